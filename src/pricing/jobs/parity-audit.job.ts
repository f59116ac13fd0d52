import { Inject, Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { ShopConnectionRepository } from '../../accounts/shop-connection.repository';
import { CLOCK, Clock } from '../../common/clock';
import { Db } from '../../database/db';
import { priceAuditRequestedTopic } from '../../messaging/contracts/price-audit-requested/price-audit-requested.contract';
import { OutboxService } from '../../messaging/outbox/outbox.service';

/** Only enqueues: one price audit per active shop (the work happens in the price-audit consumer). */
@Injectable()
export class ParityAuditJob {
  constructor(
    private readonly connections: ShopConnectionRepository,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'price-parity-audit' })
  async enqueue(): Promise<number> {
    const shops = await this.connections.listActive();
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const shop of shops) await this.outbox.enqueue(priceAuditRequestedTopic, { connectionId: shop.id, requestedAt: now });
    });
    return shops.length;
  }

  /** The same for one merchant's active shops (on request). */
  async enqueueForMerchant(merchantId: string): Promise<number> {
    const shops = (await this.connections.listByMerchant(merchantId)).filter((c) => c.status === 'active');
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const shop of shops) await this.outbox.enqueue(priceAuditRequestedTopic, { connectionId: shop.id, requestedAt: now });
    });
    return shops.length;
  }
}
