import { Module, OnModuleInit } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ConnectionsService } from '../accounts/connections.service';
import { CatalogModule } from '../catalog/catalog.module';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { HealthModule } from '../ops/health/health.module';
import { HealthService } from '../ops/health/health.service';
import { RetentionModule } from '../ops/retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../ops/retention/retention.registry';
import { PlatformsModule } from '../platforms/platforms.module';
import { SkuBoundConsumer } from './consumers/sku-bound.consumer';
import { StockChangedConsumer } from './consumers/stock-changed.consumer';
import { InventoryController } from './inventory.controller';
import { StockPagesController } from './stock-pages.controller';
import { InventoryRepository } from './inventory.repository';
import { StockReconcileJob } from './jobs/stock-reconcile.job';
import { ORDER_SYNC, OrderSyncBinding } from './order-sync.port';
import { StockLedgerService, UNBOUND_PREFIX } from './stock-ledger.service';
import { StockQueryService } from './stock-query.service';
import { StockSettingsRepository } from './stock-settings.repository';
import { StockSyncService } from './stock-sync.service';
import { ShopLeaveService } from './shop-leave.service';
import { StockWriterLeases } from './stock-writer-lease';

@Module({
  imports: [AccountsModule, CatalogModule, PlatformsModule, HealthModule, SyncFailuresModule, RetentionModule],
  controllers: [InventoryController, StockPagesController],
  providers: [
    InventoryRepository,
    StockSettingsRepository,
    StockLedgerService,
    StockSyncService,
    StockWriterLeases,
    ShopLeaveService,
    StockQueryService,
    StockChangedConsumer,
    SkuBoundConsumer,
    StockReconcileJob,
    OrderSyncBinding,
    { provide: ORDER_SYNC, useExisting: OrderSyncBinding },
  ],
  exports: [StockLedgerService, OrderSyncBinding],
})
export class InventoryModule implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly repo: InventoryRepository,
    private readonly bindings: SkuBindingService,
    private readonly ledger: StockLedgerService,
    private readonly retention: RetentionRegistry,
    private readonly connections: ConnectionsService,
    private readonly shopLeave: ShopLeaveService,
  ) {}

  onModuleInit(): void {
    // Catalog deletes the binding; inventory keeps the unbound listing's units counted, in that transaction.
    this.bindings.onBindingRemoved((binding) => this.ledger.bindingRemoved(binding));
    // A disconnected shop's listings are lowered to 0 while its grant still works.
    this.connections.onShopLeaving(this.shopLeave);
    this.retention.register({
      name: 'drift',
      purge: (now, s) => this.repo.deleteDriftRecordedBefore(retentionCutoff(now, s.retentionDriftDays)),
    });
    this.retention.register({
      name: 'settledWriteOps',
      purge: (now, s) => this.repo.deleteOpsSettledBefore(retentionCutoff(now, s.retentionSettledWritesDays)),
    });
    // A platform SKU that refused to be lowered: its units stay counted, and a person must act.
    this.health.register({
      name: 'stock',
      critical: false,
      run: async () => {
        const stuck = await this.repo.unwritableAllocations(20, UNBOUND_PREFIX);
        return {
          up: stuck.length === 0,
          cannotLower: stuck.map((a) => ({
            merchantSkuId: a.merchantSkuId,
            platform: a.platform,
            reason: a.unwritable,
          })),
        };
      },
    });
  }
}
