import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { InventoryModule } from '../inventory/inventory.module';
import { OrdersModule } from '../orders/orders.module';
import { ErpWebhookService } from './erp-webhook.service';
import { ErpWebhooksController } from './erp-webhooks.controller';
import { PlatformWebhooksController } from './platform-webhooks.controller';
import { WebhookDeliveryService } from './webhook-delivery.service';

@Module({
  imports: [AccountsModule, CatalogModule, InventoryModule, OrdersModule],
  controllers: [ErpWebhooksController, PlatformWebhooksController],
  providers: [ErpWebhookService, WebhookDeliveryService],
  exports: [WebhookDeliveryService],
})
export class WebhooksModule {}
