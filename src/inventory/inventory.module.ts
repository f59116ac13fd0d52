import { Global, Module } from '@nestjs/common';
import { SkuBoundConsumer } from './consumers/sku-bound.consumer';
import { StockChangedConsumer } from './consumers/stock-changed.consumer';
import { InventoryController } from './inventory.controller';
import { InventoryRepository } from './inventory.repository';
import { StockReconcileJob } from './jobs/stock-reconcile.job';
import { StockLedgerService } from './stock-ledger.service';
import { StockQueryService } from './stock-query.service';
import { StockSyncService } from './stock-sync.service';

@Global()
@Module({
  controllers: [InventoryController],
  providers: [InventoryRepository, StockLedgerService, StockSyncService, StockQueryService, StockChangedConsumer, SkuBoundConsumer, StockReconcileJob],
  exports: [StockLedgerService, InventoryRepository, StockSyncService],
})
export class InventoryModule {}
