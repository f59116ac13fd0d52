import { Module, OnModuleInit } from '@nestjs/common';
import { RetentionModule } from '@app/ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '@app/ops/retention/retention.registry';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

/** The de-duplication of inbound webhook deliveries (`webhook_delivery`), used by every webhook that takes ERP data. */
@Module({
  imports: [RetentionModule],
  providers: [WebhookDeliveryRepository, WebhookDeliveriesService],
  exports: [WebhookDeliveriesService],
})
export class WebhookDeliveriesModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly deliveries: WebhookDeliveryRepository,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      name: 'webhookDeliveries',
      purge: (now, s) => this.deliveries.deleteReceivedBefore(retentionCutoff(now, s.retentionErpDeliveriesDays)),
    });
  }
}
