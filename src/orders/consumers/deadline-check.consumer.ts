import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { orderDeadlineCheckRequestedTopic } from '@app/messaging/contracts/order-deadline-check-requested/order-deadline-check-requested.contract';
import { OrderDeadlineService } from '../order-deadline.service';

@Injectable()
export class DeadlineCheckConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly deadlines: OrderDeadlineService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(orderDeadlineCheckRequestedTopic, 'orders.deadline-check', async ({ orderId }) => {
      await this.deadlines.check(orderId);
    });
  }
}
