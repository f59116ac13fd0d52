import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { ErpWebhookService } from './erp-webhook.service';
import { ErpWebhooksController } from './erp-webhooks.controller';
import { PlatformWebhooksController } from './platform-webhooks.controller';

@Module({
  imports: [OrdersModule],
  controllers: [ErpWebhooksController, PlatformWebhooksController],
  providers: [ErpWebhookService],
})
export class WebhooksModule {}
