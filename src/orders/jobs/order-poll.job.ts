import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { StorePairRepository } from '../../accounts/store-pair.repository';
import { ShopConnectionRepository } from '../../accounts/shop-connection.repository';
import { Db } from '../../database/db';
import { orderPollRequestedTopic } from '../../messaging/contracts/order-poll-requested/order-poll-requested.contract';
import { OutboxService } from '../../messaging/outbox/outbox.service';

/** Every minute, one poll per connected shop of an active store pair (keyed by shop: repeats collapse). */
@Injectable()
export class OrderPollJob {
  constructor(
    private readonly pairs: StorePairRepository,
    private readonly connections: ShopConnectionRepository,
    private readonly outbox: OutboxService,
    private readonly db: Db,
  ) {}

  @Interval('order-poll', 60_000)
  async enqueue(): Promise<number> {
    const ids = new Set<string>();
    for (const pair of await this.pairs.listActive()) {
      for (const id of [pair.kuaishouConnectionId, pair.youzanConnectionId]) {
        const c = await this.connections.findById(id);
        if (c?.status === 'active') ids.add(id);
      }
    }
    if (!ids.size) return 0;
    await this.db.transaction(async () => {
      for (const connectionId of ids) await this.outbox.enqueue(orderPollRequestedTopic, { connectionId, reason: 'schedule' });
    });
    return ids.size;
  }
}
