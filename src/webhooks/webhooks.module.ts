import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { InventoryModule } from '../inventory/inventory.module';
import { OrdersModule } from '../orders/orders.module';
import { WebhookDeliveriesModule } from './deliveries/webhook-deliveries.module';
import { OutboundWebhooksModule } from './outbound/outbound-webhooks.module';
import { ErpWebhookService } from './erp-webhook.service';
import { ErpWebhooksController } from './erp-webhooks.controller';
import { PlatformWebhooksController } from './platform-webhooks.controller';

@Module({
  imports: [
    AccountsModule,
    CatalogModule,
    InventoryModule,
    OrdersModule,
    WebhookDeliveriesModule,
    OutboundWebhooksModule,
  ],
  controllers: [ErpWebhooksController, PlatformWebhooksController],
  providers: [ErpWebhookService],
})
export class WebhooksModule {}
