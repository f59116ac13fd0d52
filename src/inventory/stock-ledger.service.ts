import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { StockChangeReason, stockChangedTopic } from '../messaging/contracts/stock-changed/stock-changed.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { decayedDemand } from './demand';
import { InventoryRepository } from './inventory.repository';

export interface LineStockRef {
  orderLineId: string;
  merchantSkuId: string;
  /** Binding of the platform SKU the line was sold through. */
  bindingId: string;
  platform: string;
  quantity: number;
  /** Our clock, never later than the moment the platform took the stock; unknown when the platform's clock is. */
  soldAt?: number;
}

export type ErpOutcome = 'applied' | 'stale';

/**
 * A heard sale's `soldAt` is no later than the sale; the sale itself was no later than this much
 * after it (the platform's whole-second times and the clock estimate's uncertainty, both ways).
 */
const SALE_TIME_SPAN_MS = 6_000;
export const UNBOUND_PREFIX = 'binding removed';

/**
 * The stock ledger: on-hand from the ERP, holds per order line, and what each platform was
 * granted. Every method runs inside the caller's transaction (so the order or webhook that
 * caused it commits with it) and announces the change to the stock writer.
 */
@Injectable()
export class StockLedgerService {
  private readonly logger = new Logger(StockLedgerService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: InventoryRepository,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Absolute on-hand from the ERP; an update with a sequence not above the last one is ignored.
   * The report counts the shipments recorded up to `shippedThrough` (ms, capped at now), or
   * without one, those recorded ERP_SHIPMENT_COUNT_LAG_MS before it arrived: their holds close.
   * Any later shipment stays held, so a report taken before it cannot put its units back on sale.
   */
  /** Drift found by reconciliation since `since`, per platform (ops console). */
  driftCountsSince(since: number): Promise<Record<string, number>> {
    return this.repo.driftCountsSince(since);
  }

  /** Drift found by reconciliation since `since`, per SKU binding (the ops console maps bindings to shops). */
  driftCountsByBindingSince(since: number): Promise<{ bindingId: string; platform: string; n: number }[]> {
    return this.repo.driftCountsByBindingSince(since);
  }

  async applyErpOnHand(
    merchantSkuId: string,
    onHand: number,
    sequence: number,
    report: { shippedThrough?: number } = {},
  ): Promise<ErpOutcome> {
    return this.db.transaction(async () => {
      const now = this.clock.now();
      const ledger = await this.repo.lockLedger(merchantSkuId, now);
      if (sequence <= ledger.onHandSeq) {
        this.logger.warn(`ignored stale ERP stock for ${merchantSkuId}: sequence ${sequence} ≤ ${ledger.onHandSeq}`);
        return 'stale';
      }
      const firstReport = ledger.onHandSeq === 0;
      ledger.onHand = onHand;
      ledger.onHandSeq = sequence;
      ledger.updatedAt = now;
      await this.repo.saveLedger(ledger);
      const countedThrough = Math.min(now, report.shippedThrough ?? now - this.config.erp.shipmentCountLagMs);
      for (const shipment of await this.repo.uncountedShipments(merchantSkuId, countedThrough)) {
        await this.repo.addReservation({
          merchantSkuId,
          orderLineId: shipment.orderLineId,
          kind: 'counted',
          quantity: shipment.quantity,
          platform: shipment.platform,
          createdAt: now,
        });
      }
      // The first report brings the SKU under management: read the platforms before writing them.
      await this.announce(merchantSkuId, 'erp', now, firstReport);
      return 'applied';
    });
  }

  /** A platform sold units (it already took them from its own stock). */
  async hold(line: LineStockRef): Promise<boolean> {
    return this.db.transaction(async () => {
      const now = this.clock.now();
      await this.repo.lockLedger(line.merchantSkuId, now);
      if (
        !(await this.repo.addReservation({
          merchantSkuId: line.merchantSkuId,
          orderLineId: line.orderLineId,
          kind: 'placed',
          quantity: line.quantity,
          platform: line.platform,
          createdAt: now,
        }))
      )
        return false;
      const allocation = await this.repo.ensureAllocation(line.bindingId, line.merchantSkuId, line.platform, now);
      // A pinned count came from a read that may already exclude this sale (see ChannelAllocationEntity.pinned);
      // a sale that certainly came after that read is in it, and lowers it.
      const afterRead =
        line.soldAt !== undefined && allocation.obsReadAt !== null && line.soldAt > allocation.obsReadAt;
      // A count an absolute set left holds the sales unheard at its read: one certainly made before that read is one of them.
      const beforeSetRead =
        line.soldAt !== undefined &&
        allocation.setReadAt !== null &&
        line.soldAt + SALE_TIME_SPAN_MS < allocation.setReadAt;
      if (!allocation.pinned || afterRead || beforeSetRead) allocation.allotted -= line.quantity;
      allocation.heardSold += line.quantity;
      allocation.soldRecent += line.quantity;
      allocation.demandMilli = decayedDemand(allocation.demandMilli, allocation.lastSaleAt, now) + line.quantity * 1000;
      allocation.lastSaleAt = now;
      allocation.updatedAt = now;
      await this.repo.saveAllocation(allocation);
      await this.announce(line.merchantSkuId, 'sale', now);
      return true;
    });
  }

  /**
   * A held line was cancelled, or refunds put units back on sale before it shipped: for
   * 'refunded', `quantity` is the line's running total of such units (several refunds per line),
   * and only what it adds to the units already released is released, so a repeated or
   * out-of-order report never releases twice. The platform put them back into its own stock
   * (assumed: if it did not, we over-count what it can sell, which is the safe side;
   * reconciliation finds it).
   */
  async release(line: LineStockRef, kind: 'cancelled' | 'refunded', quantity = line.quantity): Promise<boolean> {
    return this.db.transaction(async () => {
      const now = this.clock.now();
      await this.repo.lockLedger(line.merchantSkuId, now);
      const kinds = await this.repo.reservationKinds(line.orderLineId);
      if (!kinds.has('placed') || kinds.has('cancelled') || kinds.has('shipped')) return false;
      const placed = kinds.get('placed')!.quantity;
      const refunded = kinds.get('refunded');
      const units =
        kind === 'refunded'
          ? Math.min(quantity, placed) - (refunded?.quantity ?? 0)
          : Math.min(quantity, placed - (refunded?.quantity ?? 0));
      if (units <= 0) return false;
      if (kind === 'refunded' && refunded) await this.repo.setReservationQuantity(refunded, refunded.quantity + units);
      else
        await this.repo.addReservation({
          merchantSkuId: line.merchantSkuId,
          orderLineId: line.orderLineId,
          kind,
          quantity: units,
          platform: line.platform,
          createdAt: now,
        });
      const allocation = await this.repo.ensureAllocation(line.bindingId, line.merchantSkuId, line.platform, now);
      allocation.allotted += units;
      allocation.updatedAt = now;
      await this.repo.saveAllocation(allocation);
      await this.announce(line.merchantSkuId, 'release', now);
      return true;
    });
  }

  /**
   * Shipped: the goods (less any units a refund released) left the warehouse. On-hand is the
   * ERP's to lower; the hold stays open until an ERP report counts the shipment.
   */
  async ship(line: LineStockRef): Promise<boolean> {
    return this.db.transaction(async () => {
      const now = this.clock.now();
      await this.repo.lockLedger(line.merchantSkuId, now);
      await this.hold(line);
      const kinds = await this.repo.reservationKinds(line.orderLineId);
      if (kinds.has('shipped') || kinds.has('cancelled')) return false;
      const units = kinds.get('placed')!.quantity - (kinds.get('refunded')?.quantity ?? 0);
      if (units <= 0) return false;
      await this.repo.addReservation({
        merchantSkuId: line.merchantSkuId,
        orderLineId: line.orderLineId,
        kind: 'shipped',
        quantity: units,
        platform: line.platform,
        createdAt: now,
      });
      await this.announce(line.merchantSkuId, 'shipment', now);
      return true;
    });
  }

  /** A new platform SKU binding: create its allocation and read the platform before writing. */
  async bindingAdded(bindingId: string, merchantSkuId: string, platform: string): Promise<void> {
    await this.db.transaction(async () => {
      const now = this.clock.now();
      await this.repo.lockLedger(merchantSkuId, now);
      await this.repo.ensureAllocation(bindingId, merchantSkuId, platform, now);
      await this.announce(merchantSkuId, 'binding', now, true);
    });
  }

  /**
   * A binding is being deleted (in the caller's transaction). What the listing may still sell
   * stays counted until the writer (announced here) has lowered it to 0 through the address kept
   * on the allocation; then those units go back to the pool. Its journaled writes are resolved by
   * that run, so nothing stays unsettled.
   */
  async bindingRemoved(binding: {
    id: string;
    merchantSkuId: string;
    connectionId: string;
    platform: string;
    platformItemId: string;
    platformSkuId: string;
  }): Promise<void> {
    const now = this.clock.now();
    await this.repo.lockLedger(binding.merchantSkuId, now);
    const allocation = await this.repo.allocation(binding.id);
    if (allocation) {
      allocation.unwritable =
        `${UNBOUND_PREFIX} (${binding.platform} item ${binding.platformItemId} SKU ${binding.platformSkuId}): its ${Math.max(0, allocation.allotted)} units stay counted until the listing is lowered to 0`.slice(
          0,
          300,
        );
      allocation.drainConnectionId = binding.connectionId;
      allocation.drainItemId = binding.platformItemId;
      allocation.drainSkuId = binding.platformSkuId;
      allocation.updatedAt = now;
      await this.repo.saveAllocation(allocation);
    }
    await this.announce(binding.merchantSkuId, 'binding', now);
  }

  async announce(
    merchantSkuId: string,
    reason: StockChangeReason,
    triggerAt: number,
    reconcile = false,
  ): Promise<void> {
    await this.outbox.enqueue(stockChangedTopic, {
      merchantSkuId,
      reason,
      triggerAt,
      ...(reconcile ? { reconcile } : {}),
    });
  }

  /** Sellable = on hand − open holds − safety stock (never stored). */
  async sellable(
    merchantSkuId: string,
    safetyStock: number,
  ): Promise<{ onHand: number; reserved: number; sellable: number; reported: boolean }> {
    const ledger = await this.repo.findLedger(merchantSkuId);
    const reserved = await this.repo.openReserved(merchantSkuId);
    const onHand = ledger?.onHand ?? 0;
    return { onHand, reserved, sellable: onHand - reserved - safetyStock, reported: (ledger?.onHandSeq ?? 0) > 0 };
  }
}
