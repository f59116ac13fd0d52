import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { CLOCK, Clock } from '../../common/clock';
import { RetentionRepository } from './retention.repository';

const DAY = 86_400_000;

/**
 * How long rows are kept (README, Configuration → Retention). Dedupe tables outlive every way a
 * duplicate can still arrive: Kuaishou re-pushes for about 2 hours and from its console; Youzan keeps
 * its message log (manual re-push) for 7 days; ERP deliveries are re-signed on every retry.
 */
export const RETENTION_MS = {
  oauthStateAfterExpiry: 1 * DAY,
  pushes: 30 * DAY,
  webhookDeliveries: 30 * DAY,
  drift: 30 * DAY,
  settledWriteOps: 14 * DAY,
  closedFailures: 90 * DAY,
} as const;

/** Purges rows past their retention, hourly; every instance may run it (deletes are idempotent). */
@Injectable()
export class RetentionJob {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    private readonly repo: RetentionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'retention' })
  async purge(): Promise<Record<string, number>> {
    const now = this.clock.now();
    const purged = {
      oauthStates: await this.repo.oauthStatesExpiredBefore(now - RETENTION_MS.oauthStateAfterExpiry),
      pushes: await this.repo.pushesReceivedBefore(now - RETENTION_MS.pushes),
      webhookDeliveries: await this.repo.webhookDeliveriesReceivedBefore(now - RETENTION_MS.webhookDeliveries),
      drift: await this.repo.driftRecordedBefore(now - RETENTION_MS.drift),
      settledWriteOps: await this.repo.writeOpsSettledBefore(now - RETENTION_MS.settledWriteOps),
      closedFailures: await this.repo.failuresClosedBefore(now - RETENTION_MS.closedFailures),
    };
    if (Object.values(purged).some(Boolean)) this.logger.log({ purged }, 'purged rows past their retention');
    return purged;
  }
}
