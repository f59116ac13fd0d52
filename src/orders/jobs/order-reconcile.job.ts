import { Inject, Injectable, Logger } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { orderReconcileRequestedTopic } from '@app/messaging/contracts/order-reconcile-requested/order-reconcile-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';

/** Only enqueues: one order reconciliation per active shop, hourly (the work happens in the consumer). */
@Injectable()
export class OrderReconcileJob {
  private readonly logger = new Logger(OrderReconcileJob.name);

  constructor(
    private readonly connections: ConnectionsService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('order-reconcile', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async enqueue(): Promise<number> {
    return this.enqueueFor(await this.connections.listActive(), 'schedule');
  }

  /** The same for one merchant's active shops, now (on request). */
  async enqueueForMerchant(merchantId: string): Promise<number> {
    const shops = (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
    return this.enqueueFor(shops, 'manual');
  }

  private async enqueueFor(shops: { id: string }[], reason: 'schedule' | 'manual'): Promise<number> {
    const now = this.clock.now();
    let enqueued = 0;
    for (const shop of shops) {
      try {
        await this.db.transaction(() =>
          this.outbox.enqueue(orderReconcileRequestedTopic, { connectionId: shop.id, reason, requestedAt: now }),
        );
        enqueued++;
      } catch (error) {
        this.logger.error(`enqueueing the order reconciliation of shop ${shop.id} failed: ${(error as Error).message}`);
      }
    }
    return enqueued;
  }
}
