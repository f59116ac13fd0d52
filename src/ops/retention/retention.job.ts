import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { CLOCK, Clock } from '@app/common/clock';
import { DAY_MS } from '../settings/ops-settings.definitions';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { RetentionRepository } from './retention.repository';

/** Purges rows past their retention (ops settings, README Configuration → Retention), hourly; every instance may run it (deletes are idempotent). */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    private readonly repo: RetentionRepository,
    private readonly settings: OpsSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'retention' })
  async purge(): Promise<Record<string, number>> {
    const now = this.clock.now();
    const s = await this.settings.current();
    const before = (days: number) => now - days * DAY_MS;
    const purged = {
      oauthStates: await this.repo.oauthStatesExpiredBefore(before(s.retentionOauthStatesDays)),
      pushes: await this.repo.pushesReceivedBefore(before(s.retentionPushesDays)),
      webhookDeliveries: await this.repo.webhookDeliveriesReceivedBefore(before(s.retentionErpDeliveriesDays)),
      drift: await this.repo.driftRecordedBefore(before(s.retentionDriftDays)),
      settledWriteOps: await this.repo.writeOpsSettledBefore(before(s.retentionSettledWritesDays)),
      closedFailures: await this.repo.failuresClosedBefore(before(s.retentionClosedFailuresDays)),
    };
    if (Object.values(purged).some(Boolean)) this.logger.log({ purged }, 'purged rows past their retention');
    return purged;
  }
}
