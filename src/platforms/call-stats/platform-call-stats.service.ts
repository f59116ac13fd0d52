import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { JobLeases } from '@app/database/scheduled-jobs/job-leases';
import { PLATFORMS, Platform } from '../ports/platform.types';
import { GATEWAYS, Gateways } from '../platform-health.service';
import { BreakerState, CallUsage } from '../shared/platform-gateway';
import { CallTotals, PlatformCallStatsRepository } from './platform-call-stats.repository';

export const FLUSH_EVERY_MS = 5_000;
/** An instance that has not reported for this long is shown as silent and left out of the figures. */
export const SILENT_AFTER_MS = 30_000;
const KEEP_MS = 2 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

export interface InstanceReport {
  instance: string;
  startedAt: number;
  reportedAt: number;
  breakers: Record<Platform, Record<string, BreakerState>>;
  apis: Record<Platform, CallUsage[]>;
  shops: Record<Platform, CallUsage[]>;
}

/**
 * Persists what each instance's gateways saw: calls and errors per API and minute (added to the instance's own rows)
 * and the breakers and last minute's calls (one row per instance and platform). Every instance flushes its own, so
 * this runs on a plain interval in each of them, not as a once-per-period scheduled job.
 */
@Injectable()
export class PlatformCallStatsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PlatformCallStatsService.name);
  private readonly startedAt = Date.now();
  private flushing: Promise<void> | undefined;
  private lastPurge = 0;

  constructor(
    @Inject(GATEWAYS) private readonly gateways: Gateways,
    private readonly repo: PlatformCallStatsRepository,
    private readonly leases: JobLeases,
  ) {}

  get instance(): string {
    return this.leases.instance;
  }

  @Interval('platform-call-stats-flush', FLUSH_EVERY_MS)
  async tick(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.logger.warn(`platform call figures not saved: ${(error as Error).message}`);
    }
  }

  /** Writes this instance's figures; one flush at a time (a tick during a flush waits for it, then flushes again). */
  async flush(now = Date.now()): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.write(now).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(now: number): Promise<void> {
    for (const platform of PLATFORMS) {
      const gateway = this.gateways[platform];
      const drained = gateway.drainTally();
      try {
        await this.repo.add(this.instance, platform, drained);
      } catch (error) {
        gateway.restoreTally(drained);
        throw error;
      }
      const usage = gateway.usage(now);
      await this.repo.saveState({
        instance: this.instance,
        platform,
        breakers: usage.breakers,
        apis: usage.apis,
        shops: usage.shops,
        startedAt: this.startedAt,
        reportedAt: now,
      });
    }
    if (now - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = now;
      await this.repo.purgeBefore(now - KEEP_MS);
      await this.repo.purgeStatesBefore(now - KEEP_MS);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.flush();
      // A stopped instance leaves the breaker and last-minute figures; its call counts stay for the error rates.
      await this.repo.deleteStates(this.instance);
    } catch (error) {
      this.logger.warn(`platform call figures not saved at shutdown: ${(error as Error).message}`);
    }
  }

  /** Calls and errors per platform API over all instances, in the minutes since `since`. */
  totalsSince(since: number): Promise<CallTotals[]> {
    return this.repo.totalsSince(since);
  }

  /** The instances that reported within SILENT_AFTER_MS of `now`, each with its breakers and last minute's calls. */
  async instances(now = Date.now()): Promise<InstanceReport[]> {
    const rows = await this.repo.statesSince(now - SILENT_AFTER_MS);
    const reports = new Map<string, InstanceReport>();
    for (const row of rows) {
      const report = reports.get(row.instance) ?? {
        instance: row.instance,
        startedAt: row.startedAt,
        reportedAt: row.reportedAt,
        breakers: { kuaishou: {}, youzan: {} },
        apis: { kuaishou: [], youzan: [] },
        shops: { kuaishou: [], youzan: [] },
      };
      const platform = row.platform as Platform;
      report.breakers[platform] = row.breakers;
      report.apis[platform] = row.apis;
      report.shops[platform] = row.shops;
      report.reportedAt = Math.min(report.reportedAt, row.reportedAt);
      reports.set(row.instance, report);
    }
    return [...reports.values()];
  }
}
