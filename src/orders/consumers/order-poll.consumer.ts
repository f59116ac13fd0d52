import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { orderPollRequestedTopic } from '@app/messaging/contracts/order-poll-requested/order-poll-requested.contract';
import { OrderPollService } from '../order-poll.service';

@Injectable()
export class OrderPollConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly poller: OrderPollService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      orderPollRequestedTopic,
      'orders.poll',
      async ({ connectionId }) => {
        await this.poller.poll(connectionId);
      },
      { transactional: false },
    );
  }
}
