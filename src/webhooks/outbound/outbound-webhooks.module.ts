import { Module, OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '@app/accounts/accounts.module';
import { SyncFailuresModule } from '@app/ops/failures/sync-failures.module';
import { RetentionModule } from '@app/ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '@app/ops/retention/retention.registry';
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
  imports: [AccountsModule, SyncFailuresModule, RetentionModule],
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
export class OutboundWebhooksModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly deliveries: OutboundDeliveryRepository,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      name: 'outboundDeliveries',
      purge: (now, s) => this.deliveries.deleteDeliveredBefore(retentionCutoff(now, s.retentionOutboundDeliveriesDays)),
    });
  }
}
