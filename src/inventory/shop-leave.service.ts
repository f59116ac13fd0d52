import { Inject, Injectable } from '@nestjs/common';
import { ShopLeavingHook } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { AppConfig } from '../config/app-config';
import { InventoryRepository } from './inventory.repository';
import { StockLedgerService } from './stock-ledger.service';
import { SHOP_LEFT_PREFIX, StockSyncService } from './stock-sync.service';

/**
 * A shop the merchant disconnects: while its grant still works, every listing of it is drained as
 * a removed binding is (read, lowered to 0, its units back to the pool and given to the other
 * shop), and only then are its tokens wiped. A listing that could not be lowered in time (a write
 * that may still land, a refused decrease, a lease held elsewhere) keeps what it may still sell
 * counted and is flagged for ops and the merchant.
 */
/** How long the leaving mark outlives the drain's own deadline (the unbind and its after-hook). */
const LEAVING_MARGIN_MS = 60_000;

@Injectable()
export class ShopLeaveService implements ShopLeavingHook {
  constructor(
    private readonly db: Db,
    private readonly skuBindings: SkuBindingService,
    private readonly repo: InventoryRepository,
    private readonly ledger: StockLedgerService,
    private readonly sync: StockSyncService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private bindingsOf(connectionId: string): Promise<SkuBindingEntity[]> {
    return this.skuBindings.listForConnection(connectionId);
  }

  async before(connection: ShopConnectionEntity): Promise<void> {
    // From now on no writer, on any instance, plans anything for this shop's listings but their
    // draining. The mark outlives the drain below by a margin only: a process that dies here must
    // not keep the shop out of the plan for ever (its listings are still flagged for draining).
    const now = this.clock.now();
    await this.repo.markLeaving(connection.id, now, now + 2 * this.config.stock.writerLeaseMs + LEAVING_MARGIN_MS);
    const bindings = await this.bindingsOf(connection.id);
    for (const binding of bindings) await this.db.transaction(() => this.ledger.bindingRemoved(binding));
    const deadline = Date.now() + this.config.stock.writerLeaseMs;
    for (const binding of bindings) {
      for (;;) {
        await this.sync.sync(binding.merchantSkuId, { triggerAt: this.clock.now() });
        const a = await this.repo.allocation(binding.id);
        if (!a || a.drainConnectionId === null || Date.now() > deadline) break;
        // The lease is held by another run (it drains it too), or the platform refused: wait on the row, not on time.
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async after(connection: ShopConnectionEntity): Promise<void> {
    await this.repo.clearLeaving(connection.id);
    for (const binding of await this.bindingsOf(connection.id)) {
      await this.db.transaction(async () => {
        await this.repo.lockLedger(binding.merchantSkuId, this.clock.now());
        const a = await this.repo.allocation(binding.id);
        if (!a || a.drainConnectionId !== connection.id) return;
        a.drainConnectionId = null;
        a.unwritable =
          `${SHOP_LEFT_PREFIX} (${connection.platform} shop ${connection.shopName ?? connection.shopId}) before its listing ${binding.platformSkuId} could be lowered to 0: its ${Math.max(0, a.allotted)} units stay counted (the platform may still sell them); lower it there by hand`.slice(
            0,
            300,
          );
        a.updatedAt = this.clock.now();
        await this.repo.saveAllocation(a);
      });
    }
  }
}
