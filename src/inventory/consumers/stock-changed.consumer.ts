import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { SkuBindingService } from '@app/catalog/sku-binding.service';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { stockChangedTopic } from '@app/messaging/contracts/stock-changed/stock-changed.contract';
import { ReplayOutcome } from '@app/ops/failures/sync-failure.service';
import { InventoryRepository } from '../inventory.repository';
import { INVENTORY_SYNC_REPLAY, StockSyncService } from '../stock-sync.service';

/** The stock writer's consumer name; its lanes are keyed by merchant SKU (the topic's key). */
export const STOCK_WRITER = 'inventory.stock-writer';
const skuOf = (data: unknown) => (data as { merchantSkuId: string }).merchantSkuId;

/** The stock writer: one per SKU (the topic is keyed by merchant SKU). */
@Injectable()
export class StockChangedConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly sync: StockSyncService,
    private readonly bindings: SkuBindingService,
    private readonly connections: ConnectionsService,
    private readonly inventory: InventoryRepository,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      stockChangedTopic,
      STOCK_WRITER,
      (p, event) =>
        this.sync.sync(p.merchantSkuId, {
          triggerAt: p.triggerAt,
          reconcile: p.reconcile,
          reason: p.reason,
          seq: event.seq,
        }),
      {
        transactional: false,
      },
    );
    // A replay (ops retry, automatic failure retry) runs in the SKU's lane: after the live run, not beside it.
    this.consumers.registerReplay(STOCK_WRITER, INVENTORY_SYNC_REPLAY, skuOf, async (data) => {
      const { merchantSkuId, bindingId } = data as { merchantSkuId: string; bindingId?: string };
      await this.sync.sync(merchantSkuId, { triggerAt: Date.now(), reconcile: true });
      return bindingId ? this.confirmBinding(bindingId) : undefined;
    });
  }

  /**
   * A failed write is not the writer's to resolve when the run never wrote that binding (its shop
   * is out of service) or left its write unsettled; a failed write re-records itself.
   */
  private async confirmBinding(bindingId: string): Promise<ReplayOutcome> {
    const binding = await this.bindings.findById(bindingId);
    if (!binding) return { confirmed: true };
    const connection = await this.connections.findById(binding.connectionId);
    if (!connection || connection.status !== 'active') {
      return {
        confirmed: false,
        errorCode: 'SHOP_NOT_WRITABLE',
        reason: `the shop of binding ${bindingId} is ${connection?.status ?? 'gone'}: its stock was not written`,
        retryable: true,
      };
    }
    if (
      (await this.inventory.unsettledOps(binding.merchantSkuId, Number.MAX_SAFE_INTEGER)).some(
        (op) => op.bindingId === bindingId,
      )
    ) {
      return {
        confirmed: false,
        errorCode: 'OUTCOME_UNKNOWN',
        reason: `the write to binding ${bindingId} is not settled yet`,
        retryable: true,
      };
    }
    return { confirmed: true };
  }
}
