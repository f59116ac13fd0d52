import { Module, OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { InventoryModule } from '../inventory/inventory.module';
import { OrderSyncBinding } from '../inventory/order-sync.port';
import { RetentionModule } from '../ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../ops/retention/retention.registry';
import { PlatformsModule } from '../platforms/platforms.module';
import { WebhookDeliveriesModule } from '../webhooks/deliveries/webhook-deliveries.module';
import { DeadlineCheckConsumer } from './consumers/deadline-check.consumer';
import { OrderPollConsumer } from './consumers/order-poll.consumer';
import { OrderReconcileConsumer } from './consumers/order-reconcile.consumer';
import { ErpOrdersController } from './erp-orders.controller';
import { OrderReconcileJob } from './jobs/order-reconcile.job';
import { ShipDeadlineJob } from './jobs/ship-deadline.job';
import { OrderDeadlineService } from './order-deadline.service';
import { OrderReconcilerService } from './order-reconciler.service';
import { OrdersPagesController } from './orders-pages.controller';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { PushReceivedConsumer } from './consumers/push-received.consumer';
import { OrderPollJob } from './jobs/order-poll.job';
import { OrderIngestService } from './order-ingest.service';
import { OrderPollService } from './order-poll.service';
import { OrderQueryService } from './order-query.service';
import { OrderRepository } from './order.repository';
import { PushIntakeService } from './push-intake.service';
import { RefundIngestService } from './after-sales/refund-ingest.service';
import { RefundPushConsumer } from './after-sales/refund-push.consumer';
import { RefundRepository } from './after-sales/refund.repository';
import { RefundsController, RefundsPageController } from './after-sales/refunds.controller';
import { RefundsService } from './after-sales/refunds.service';
import { RefundActionRepository } from './after-sales/refund-action.repository';
import { RefundActionsService } from './after-sales/refund-actions.service';

@Module({
  imports: [AccountsModule, CatalogModule, InventoryModule, PlatformsModule, RetentionModule, WebhookDeliveriesModule],
  controllers: [OrdersController, ErpOrdersController, OrdersPagesController, RefundsController, RefundsPageController],
  providers: [
    OrdersService,
    OrderDeadlineService,
    OrderReconcilerService,
    DeadlineCheckConsumer,
    OrderReconcileConsumer,
    ShipDeadlineJob,
    OrderReconcileJob,
    OrderRepository,
    OrderIngestService,
    OrderPollService,
    PushIntakeService,
    PushReceivedConsumer,
    OrderPollConsumer,
    OrderPollJob,
    // After-sales (src/orders/after-sales): the refund registry.
    RefundRepository,
    RefundIngestService,
    RefundActionRepository,
    RefundActionsService,
    RefundPushConsumer,
    RefundsService,
    OrderQueryService,
  ],
  exports: [OrderIngestService, OrderPollService, PushIntakeService, RefundsService, OrdersService, OrderQueryService],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly orderSync: OrderSyncBinding,
    private readonly polls: OrderPollService,
    private readonly retention: RetentionRegistry,
    private readonly orders: OrderRepository,
  ) {}

  /** Orders implements inventory's order-sync port (inventory asks for polls and feed completeness) and purges its pushes. */
  onModuleInit(): void {
    this.orderSync.bind(this.polls);
    this.retention.register({
      name: 'pushes',
      purge: (now, s) => this.orders.deletePushesReceivedBefore(retentionCutoff(now, s.retentionPushesDays)),
    });
  }
}
