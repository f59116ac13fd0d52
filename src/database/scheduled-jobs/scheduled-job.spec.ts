import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { ScheduleModule } from '@nestjs/schedule';
import { Injectable } from '@nestjs/common';
import { claimRetentionMs, periodStart } from './job-period';
import { JobLeases } from './job-leases';
import { ScheduledJob } from './scheduled-job.decorator';

describe('job periods', () => {
  it('aligns periods on the epoch so every instance computes the same one', () => {
    const hour = 3_600_000;
    const tenOClock = Date.UTC(2026, 11, 2, 10);
    expect(periodStart(tenOClock, hour)).toBe(tenOClock);
    expect(periodStart(tenOClock + hour - 1, hour)).toBe(tenOClock);
    expect(periodStart(tenOClock + hour, hour)).toBe(tenOClock + hour);
    expect(periodStart(tenOClock + 7_400, 5_000)).toBe(tenOClock + 5_000);
  });

  it('refuses a period that is not a positive whole number of ms', () => {
    expect(() => periodStart(1, 0)).toThrow(/positive integer/);
    expect(() => periodStart(1, 1.5)).toThrow(/positive integer/);
  });

  it('keeps at least an hour and at least 100 periods of claims', () => {
    expect(claimRetentionMs(5_000)).toBe(3_600_000);
    expect(claimRetentionMs(3_600_000)).toBe(360_000_000);
  });
});

@Injectable()
class Jobs {
  calls = 0;
  @ScheduledJob('probe-hourly', { cron: '0 0 * * * *', periodMs: 3_600_000 }, { transactional: true })
  async hourly(): Promise<void> {
    this.calls += 1;
  }
  @ScheduledJob('probe-interval', { everyMs: 60_000 })
  async often(): Promise<void> {
    this.calls += 1;
  }
}

describe('@ScheduledJob', () => {
  afterEach(() => {
    JobLeases.current = undefined;
  });

  it('registers the schedule with @nestjs/schedule and sends the scheduler’s calls through the lease', async () => {
    const runOnce = jest.fn(async (_job: string, _period: number, work: () => Promise<unknown>) => {
      await work();
      return 'ran' as const;
    });
    JobLeases.current = { runOnce } as unknown as JobLeases;
    const moduleRef = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [Jobs],
    }).compile();
    await moduleRef.init();
    try {
      const registry = moduleRef.get(SchedulerRegistry);
      expect(registry.getCronJob('probe-hourly')).toBeDefined();
      expect(registry.getInterval('probe-interval')).toBeDefined();
      const jobs = moduleRef.get(Jobs);
      await (registry.getCronJob('probe-hourly') as unknown as { fireOnTick(): Promise<void> }).fireOnTick();
      await new Promise((resolve) => setImmediate(resolve));
      expect(runOnce).toHaveBeenCalledWith('probe-hourly', 3_600_000, expect.any(Function), {
        nearestBoundary: true,
        transactional: true,
      });
      expect(jobs.calls).toBe(1);
      // Direct calls (tests, ops actions) are not leased.
      await jobs.often();
      expect(runOnce).toHaveBeenCalledTimes(1);
    } finally {
      await moduleRef.close();
    }
  });

  it('skips the scheduled run when another instance holds the period', async () => {
    JobLeases.current = { runOnce: jest.fn(async () => 'skipped' as const) } as unknown as JobLeases;
    const jobs = new Jobs();
    await (jobs as unknown as Record<string, () => Promise<void>>)['hourly__scheduled']();
    expect(jobs.calls).toBe(0);
  });

  it('never runs a scheduled job unleased', async () => {
    const jobs = new Jobs();
    await (jobs as unknown as Record<string, () => Promise<void>>)['often__scheduled']();
    expect(jobs.calls).toBe(0);
  });
});
