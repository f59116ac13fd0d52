import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { pushReceivedTopic } from '@app/messaging/contracts/push-received/push-received.contract';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { OrderIngestService } from '../order-ingest.service';
import { OrderRepository } from '../order.repository';

/** Turns a stored push into the order's current state, read from the platform. */
@Injectable()
export class PushReceivedConsumer implements OnModuleInit {
  private readonly logger = new Logger(PushReceivedConsumer.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly connections: ConnectionsService,
    private readonly ingest: OrderIngestService,
    private readonly orders: OrderRepository,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      pushReceivedTopic,
      'orders.push-received',
      async (push) => {
        if ((push.kind !== 'order' && push.kind !== 'refund') || !push.orderId) return;
        if (!push.shopId) {
          // Kuaishou sends pushes without openId during incidents and re-pushes later; the poll covers it.
          this.logger.warn(`${push.platform} push ${push.eventId} names no shop; left to the polling backstop`);
          return;
        }
        const connection = await this.connections.findByShop(push.platform, push.shopId);
        if (!connection || connection.status !== 'active') return;
        // Pushes come several per order (created, paid…): one read already newer than this push covers it.
        const known =
          push.kind === 'order' && push.occurredAt
            ? await this.orders.findByPlatformId(push.platform, push.orderId)
            : null;
        if (known && push.occurredAt! <= known.platformUpdatedAt) return;
        const shop = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
        const order = await this.channels.orders(push.platform).getOrder(shop, push.orderId);
        await this.ingest.ingest({ ...shop, merchantId: connection.merchantId }, order, {
          recheckLines: push.kind === 'refund',
        });
      },
      { transactional: false },
    );
  }
}
