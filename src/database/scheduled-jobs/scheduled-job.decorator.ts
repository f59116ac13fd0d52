import { Logger } from '@nestjs/common';
import { Cron, Interval } from '@nestjs/schedule';
import { JobLeases, LeaseOptions } from './job-leases';

export type JobSchedule =
  /** A cron expression and the length of the period it fires once in (e.g. EVERY_HOUR, 1 h). */
  | { cron: string; periodMs: number }
  /** A fixed interval; the period is the interval. */
  | { everyMs: number };

const logger = new Logger('ScheduledJob');

/**
 * Schedules the method (like `@Cron`/`@Interval`) so that it runs once per period across all
 * instances sharing the database (see JobLeases). Direct calls of the method are not leased;
 * only the scheduler's calls go through the lease. Without JobLeases in the app (no database
 * module) the scheduler's calls are skipped, never run unleased.
 */
export function ScheduledJob(name: string, schedule: JobSchedule, options: LeaseOptions = {}): MethodDecorator {
  const periodMs = 'cron' in schedule ? schedule.periodMs : schedule.everyMs;
  return (target, key) => {
    const tick = async function (this: Record<string | symbol, () => Promise<unknown>>): Promise<void> {
      const leases = JobLeases.current;
      if (!leases) {
        logger.warn(`${name}: skipped, no job leases in this app`);
        return;
      }
      try {
        await leases.runOnce(name, periodMs, () => this[key](), { nearestBoundary: 'cron' in schedule, ...options });
      } catch (error) {
        logger.error(`${name} failed: ${(error as Error).message}`);
      }
    };
    const tickKey = `${String(key)}__scheduled`;
    const descriptor: PropertyDescriptor = { value: tick, writable: true, configurable: true, enumerable: false };
    Object.defineProperty(target, tickKey, descriptor);
    const schedule_ = 'cron' in schedule ? Cron(schedule.cron, { name }) : Interval(name, schedule.everyMs);
    schedule_(target, tickKey, descriptor);
  };
}
