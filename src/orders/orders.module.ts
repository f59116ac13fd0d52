import { Module, OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { InventoryModule } from '../inventory/inventory.module';
import { OrderSyncBinding } from '../inventory/order-sync.port';
import { RetentionModule } from '../ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../ops/retention/retention.registry';
import { PlatformsModule } from '../platforms/platforms.module';
import { OrderPollConsumer } from './consumers/order-poll.consumer';
import { PushReceivedConsumer } from './consumers/push-received.consumer';
import { OrderPollJob } from './jobs/order-poll.job';
import { OrderIngestService } from './order-ingest.service';
import { OrderPollService } from './order-poll.service';
import { OrderQueryService } from './order-query.service';
import { OrderRepository } from './order.repository';
import { PushIntakeService } from './push-intake.service';

@Module({
  imports: [AccountsModule, CatalogModule, InventoryModule, PlatformsModule, RetentionModule],
  providers: [
    OrderRepository,
    OrderIngestService,
    OrderPollService,
    PushIntakeService,
    PushReceivedConsumer,
    OrderPollConsumer,
    OrderPollJob,
    OrderQueryService,
  ],
  exports: [OrderIngestService, OrderPollService, PushIntakeService, OrderQueryService],
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
