import { Module } from '@nestjs/common';
import { AccountsModule } from '@app/accounts/accounts.module';
import { SyncFailuresModule } from '@app/ops/failures/sync-failures.module';
import { MerchantEventConsumer } from './consumers/merchant-event.consumer';
import { WebhookSweepJob } from './jobs/webhook-sweep.job';
import { OutboundDeliveriesService } from './outbound-deliveries.service';
import { OutboundDeliveryRepository } from './outbound-delivery.repository';
import { OutboundWebhooksController } from './outbound-webhooks.controller';
import { OutboundWebhooksPagesController } from './outbound-webhooks-pages.controller';
import { WebhookSenderService } from './webhook-sender.service';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/** Outbound webhooks to the merchant's ERP, fed by the merchant-event-raised topic. */
@Module({
  imports: [AccountsModule, SyncFailuresModule],
  controllers: [OutboundWebhooksController, OutboundWebhooksPagesController],
  providers: [
    WebhookSubscriptionRepository,
    OutboundDeliveryRepository,
    WebhookSubscriptionsService,
    OutboundDeliveriesService,
    WebhookSenderService,
    MerchantEventConsumer,
    WebhookSweepJob,
  ],
  exports: [WebhookSubscriptionsService, OutboundDeliveriesService],
})
export class OutboundWebhooksModule {}
