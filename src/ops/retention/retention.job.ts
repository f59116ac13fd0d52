import { Inject, Injectable, Logger } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { CLOCK, Clock } from '@app/common/clock';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { RetentionRegistry } from './retention.registry';

/**
 * Purges rows past their retention (ops settings, README Configuration → Retention), hourly; every instance may run
 * it (deletes are idempotent). Each context deletes its own rows through the purge it registered.
 */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    private readonly registry: RetentionRegistry,
    private readonly settings: OpsSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('retention', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async purge(): Promise<Record<string, number>> {
    const now = this.clock.now();
    const s = await this.settings.current();
    const purged: Record<string, number> = {};
    for (const p of this.registry.registered()) {
      try {
        purged[p.name] = await p.purge(now, s);
      } catch (error) {
        // One context's failure must not keep the others' rows forever; it is left out and the next run tries again.
        this.logger.error({ purge: p.name, error: (error as Error).message }, 'retention purge failed');
      }
    }
    if (Object.values(purged).some(Boolean)) this.logger.log({ purged }, 'purged rows past their retention');
    return purged;
  }
}
