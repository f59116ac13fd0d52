import { Module, OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { InventoryModule } from '../inventory/inventory.module';
import { RetentionModule } from '../ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../ops/retention/retention.registry';
import { OrdersModule } from '../orders/orders.module';
import { ErpWebhookService } from './erp-webhook.service';
import { ErpWebhooksController } from './erp-webhooks.controller';
import { PlatformWebhooksController } from './platform-webhooks.controller';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';

@Module({
  imports: [AccountsModule, CatalogModule, InventoryModule, OrdersModule, RetentionModule],
  controllers: [ErpWebhooksController, PlatformWebhooksController],
  providers: [ErpWebhookService, WebhookDeliveryRepository],
})
export class WebhooksModule implements OnModuleInit {
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
