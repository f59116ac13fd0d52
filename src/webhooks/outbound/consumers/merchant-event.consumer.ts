import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { merchantEventRaisedTopic } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { OutboundDeliveriesService } from '../outbound-deliveries.service';
import { WEBHOOKS_DELIVER_REPLAY, WebhookSenderService } from '../webhook-sender.service';

/** Merchant events → one delivery row per matching subscription (the topic is keyed per subject, so order holds). */
@Injectable()
export class MerchantEventConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly deliveries: OutboundDeliveriesService,
    private readonly sender: WebhookSenderService,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(merchantEventRaisedTopic, 'webhooks.outbound-deliveries', async (payload, event) => {
      await this.deliveries.fanOut(payload, event.seq);
    });
    this.failures.registerReplayHandler(WEBHOOKS_DELIVER_REPLAY, (data) =>
      this.sender.replayFailed((data as { deliveryId: string }).deliveryId),
    );
  }
}
