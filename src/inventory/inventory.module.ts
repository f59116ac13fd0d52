import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HealthService } from '../ops/health/health.service';
import { SkuBoundConsumer } from './consumers/sku-bound.consumer';
import { StockChangedConsumer } from './consumers/stock-changed.consumer';
import { InventoryController } from './inventory.controller';
import { InventoryRepository } from './inventory.repository';
import { StockReconcileJob } from './jobs/stock-reconcile.job';
import { StockLedgerService, UNBOUND_PREFIX } from './stock-ledger.service';
import { StockQueryService } from './stock-query.service';
import { StockSyncService } from './stock-sync.service';

@Global()
@Module({
  controllers: [InventoryController],
  providers: [InventoryRepository, StockLedgerService, StockSyncService, StockQueryService, StockChangedConsumer, SkuBoundConsumer, StockReconcileJob],
  exports: [StockLedgerService, InventoryRepository, StockSyncService],
})
export class InventoryModule implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly repo: InventoryRepository,
  ) {}

  onModuleInit(): void {
    // A platform SKU that refused to be lowered: its units stay counted, and a person must act.
    this.health.register({
      name: 'stock',
      critical: false,
      run: async () => {
        const stuck = await this.repo.unwritableAllocations(20, UNBOUND_PREFIX);
        return { up: stuck.length === 0, cannotLower: stuck.map((a) => ({ merchantSkuId: a.merchantSkuId, platform: a.platform, reason: a.unwritable })) };
      },
    });
  }
}
