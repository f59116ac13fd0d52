import { Inject, Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { priceAuditRequestedTopic } from '@app/messaging/contracts/price-audit-requested/price-audit-requested.contract';
import { priceChangedTopic } from '@app/messaging/contracts/price-changed/price-changed.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { PricingRepository } from '../pricing.repository';

/**
 * Only enqueues: one price audit per active shop (the work happens in the price-audit consumer),
 * and the SKUs whose journaled price writes were left unsettled (their price writer reads them back).
 */
@Injectable()
export class ParityAuditJob {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    private readonly repo: PricingRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('price-parity-audit', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async enqueue(): Promise<number> {
    const shops = await this.connections.listActive();
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const shop of shops)
        await this.outbox.enqueue(priceAuditRequestedTopic, { connectionId: shop.id, requestedAt: now });
    });
    return shops.length;
  }

  /** The same for one merchant's active shops (on request). */
  async enqueueForMerchant(merchantId: string): Promise<number> {
    const shops = (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const shop of shops)
        await this.outbox.enqueue(priceAuditRequestedTopic, { connectionId: shop.id, requestedAt: now });
    });
    return shops.length;
  }

  @ScheduledJob('price-settle', { everyMs: 60_000 })
  async enqueueSettlement(): Promise<number> {
    const ids = await this.repo.skusWithPendingOps(this.clock.now() - 30_000, 200);
    if (!ids.length) return 0;
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const merchantSkuId of ids)
        await this.outbox.enqueue(priceChangedTopic, { merchantSkuId, reason: 'audit', requestedAt: now });
    });
    return ids.length;
  }
}
