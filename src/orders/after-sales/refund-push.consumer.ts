import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { pushReceivedTopic } from '@app/messaging/contracts/push-received/push-received.contract';
import { RefundIngestService } from './refund-ingest.service';

/** A refund push names the refund: its current state is read from the platform into the registry. */
@Injectable()
export class RefundPushConsumer implements OnModuleInit {
  private readonly logger = new Logger(RefundPushConsumer.name);

  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly connections: ConnectionsService,
    private readonly refunds: RefundIngestService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      pushReceivedTopic,
      'orders.refund-pushes',
      async (push) => {
        if (push.kind !== 'refund' || !push.refundId) return;
        if (!push.shopId) {
          this.logger.warn(`${push.platform} refund push ${push.eventId} names no shop; left to the polling backstop`);
          return;
        }
        const connection = await this.connections.findByShop(push.platform, push.shopId);
        if (!connection || connection.status !== 'active') return;
        const shop = {
          platform: connection.platform,
          connectionId: connection.id,
          shopId: connection.shopId,
          merchantId: connection.merchantId,
        };
        await this.refunds.refresh(shop, push.refundId);
      },
      { transactional: false },
    );
  }
}
