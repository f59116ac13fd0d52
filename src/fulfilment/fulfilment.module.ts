import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { OrdersModule } from '../orders/orders.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { WebhookDeliveriesModule } from '../webhooks/deliveries/webhook-deliveries.module';
import { ShipmentRequestedConsumer } from './consumers/shipment-requested.consumer';
import { ErpShipmentsController } from './erp-shipments.controller';
import { ShipmentPagesController } from './shipment-pages.controller';
import { ShipmentWriterService } from './shipment-writer.service';
import { ShipmentRepository } from './shipment.repository';
import { ShipmentService } from './shipment.service';
import { ShipmentsController } from './shipments.controller';

/** Fulfilment: shipments from the ERP and the API written back to the platforms. */
@Module({
  imports: [AccountsModule, OrdersModule, PlatformsModule, SyncFailuresModule, WebhookDeliveriesModule],
  controllers: [ShipmentsController, ErpShipmentsController, ShipmentPagesController],
  providers: [ShipmentRepository, ShipmentService, ShipmentWriterService, ShipmentRequestedConsumer],
  exports: [ShipmentService],
})
export class FulfilmentModule {}
