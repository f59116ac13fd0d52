import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Db } from '@app/database/db';
import { claimRetentionMs, periodStart } from './job-period';
import { ScheduledJobRunEntity } from './scheduled-job-run.entity';

export interface LeaseOptions {
  /**
   * true: the claim and the job's database work commit in one transaction, so the period's
   * effect happens exactly once (a failed run leaves the period unclaimed for a retry). Only for
   * jobs that touch nothing but the database. false (default): the claim commits first, then
   * the job runs (at most once per period; a crashed run waits for the next period).
   */
  transactional?: boolean;
  /**
   * true for cron schedules that fire on period boundaries: the run counts for the nearest
   * boundary, so instances whose clocks differ slightly still agree on the period.
   */
  nearestBoundary?: boolean;
}

/**
 * One run per job and period across every instance on the same database: a run first inserts
 * (job, period) into `scheduled_job_run`; the instance whose insert wins runs, the others skip.
 */
@Injectable()
export class JobLeases implements OnModuleInit, OnModuleDestroy {
  /** The leases `@ScheduledJob` methods use in this process (set when the module starts). */
  static current?: JobLeases;
  private readonly logger = new Logger(JobLeases.name);
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`.slice(0, 64);

  constructor(private readonly db: Db) {}

  onModuleInit(): void {
    JobLeases.current = this;
  }

  onModuleDestroy(): void {
    if (JobLeases.current === this) JobLeases.current = undefined;
  }

  /**
   * Runs `work` unless another run of `job` already claimed the current period. Periods follow
   * the wall clock the scheduler fires on (not the injectable clock, which tests may stop).
   */
  async runOnce(
    job: string,
    periodMs: number,
    work: () => Promise<unknown>,
    options: LeaseOptions = {},
    now = Date.now(),
  ): Promise<'ran' | 'skipped'> {
    const start = periodStart(options.nearestBoundary ? now + periodMs / 2 : now, periodMs);
    if (options.transactional) {
      return this.db.transaction(async () => {
        if (!(await this.claim(job, start, periodMs))) return 'skipped';
        await work();
        return 'ran';
      });
    }
    if (!(await this.db.transaction(() => this.claim(job, start, periodMs)))) return 'skipped';
    await work();
    return 'ran';
  }

  private async claim(job: string, start: number, periodMs: number): Promise<boolean> {
    const repo = this.db.manager.getRepository(ScheduledJobRunEntity);
    try {
      await repo.insert({ jobName: job, periodStart: start, claimedAt: Date.now(), instance: this.instance });
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
    await repo.delete({ jobName: job, periodStart: LessThan(start - claimRetentionMs(periodMs)) });
    this.logger.debug(`${job}: period ${new Date(start).toISOString()} claimed by ${this.instance}`);
    return true;
  }
}
