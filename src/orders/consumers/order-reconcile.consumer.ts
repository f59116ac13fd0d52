import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { orderReconcileRequestedTopic } from '@app/messaging/contracts/order-reconcile-requested/order-reconcile-requested.contract';
import { OrderReconcilerService } from '../order-reconciler.service';

@Injectable()
export class OrderReconcileConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly reconciler: OrderReconcilerService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      orderReconcileRequestedTopic,
      'orders.reconcile',
      async ({ connectionId, lookbackMs }) => {
        await this.reconciler.reconcile(connectionId, lookbackMs);
      },
      { transactional: false },
    );
  }
}
