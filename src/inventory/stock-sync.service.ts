import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { MerchantSkuService } from '../catalog/merchant-sku.service';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { StockChangeReason, stockChangedTopic } from '../messaging/contracts/stock-changed/stock-changed.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { ShopRef } from '../platforms/ports/platform.types';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { dispositionOf } from '../platforms/failure-policy';
import { isPlatformError, PlatformError } from '../platforms/platform-error';
import { computeTargets, planMoves } from './allocator';
import { decayedDemand, isIdle } from './demand';
import { ChannelAllocationEntity } from './channel-allocation.entity';
import { InventoryRepository } from './inventory.repository';
import { ORDER_SYNC, OrderSyncPort } from './order-sync.port';
import { StockLedgerEntity } from './stock-ledger.entity';
import { UNBOUND_PREFIX } from './stock-ledger.service';
import { StockSettingsRepository } from './stock-settings.repository';
import { DECREASE_OUTCOME_UNKNOWN, StockWriteOpEntity } from './stock-write-op.entity';
import { METRICS } from '@app/ops/metrics/metric-names';
import { AppConfig } from '@app/config/app-config';
import { Lease, StockWriterLeases, WriterLeaseLostError } from './stock-writer-lease';

export { WriterLeaseLostError };

interface Lane {
  binding: SkuBindingEntity;
  connection: ShopConnectionEntity;
  shop: ShopRef;
}

/**
 * The writer lease (`STOCK_WRITER_LEASE_MS`, default 15 s) is renewed at every commit and, while
 * the run is alive, every fifth of it (so a platform call longer than the lease keeps it): only a
 * dead or stuck holder loses it, and a SIGKILLed one within one lease.
 */
const RENEWALS_PER_LEASE = 5;
/** How long after an unknown answer a platform may still apply the write (timeouts applied late). */
export const LATE_APPLY_MS = 120_000;
/** Runs one lease holder makes for triggers that arrived while it ran, before leaving them to the settle job. */
const MAX_ROUNDS = 5;
/** Changes made under the ledger lock; a run that saw their sequence saw them. */
const COALESCIBLE: StockChangeReason[] = ['sale', 'release', 'shipment', 'erp'];
export const INVENTORY_SYNC_REPLAY = 'inventory.sync';
/** A listing of a shop that left before it could be lowered (`ShopLeaveService`). */
export const SHOP_LEFT_PREFIX = 'shop disconnected';
/** A listing of a shop that is not connected (revoked, needs re-authorization, unbound). */
export const NOT_CONNECTED_PREFIX = 'shop not connected';

/**
 * The one writer of a SKU's platform stock. At most one run per SKU holds the writer lease
 * (a fencing token on the ledger row, checked by every bookkeeping commit), whatever started it:
 * the consumer, a replay, an ops retry, another instance.
 *
 * `allotted` = the platform's visible stock + its sales not heard yet, never under-counted:
 * increases are counted before they are written, decreases once confirmed, and an unknown
 * outcome counts in the safe direction (an increase as applied, a decrease as not). A read-back
 * raises `allotted` at once but lowers it only once the shop's order feed is complete up to the
 * read, by max(0, a_r − V − H) (allotted and heard sales when the read started, visible stock,
 * units heard since).
 */
@Injectable()
export class StockSyncService {
  private readonly logger = new Logger(StockSyncService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: InventoryRepository,
    private readonly skus: MerchantSkuService,
    private readonly stockSettings: StockSettingsRepository,
    private readonly bindings: SkuBindingService,
    private readonly connections: ConnectionsService,
    private readonly failures: SyncFailureService,
    private readonly metrics: MetricsService,
    private readonly outbox: OutboxService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(ORDER_SYNC) private readonly orders: OrderSyncPort,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly config: AppConfig,
    private readonly leases: StockWriterLeases,
  ) {}

  private get leaseMs(): number {
    return this.leases.leaseMs;
  }

  /**
   * Coalescing: per SKU, the highest stock-changed sequence whose change a completed run had
   * already seen (read under the ledger lock, where those changes are made). A later event
   * carrying a lower sequence has nothing new to say: a burst of sales costs one run, not many.
   */
  private readonly seenUpTo = new Map<string, number>();

  async sync(
    merchantSkuId: string,
    options: { triggerAt: number; reconcile?: boolean; reason?: StockChangeReason; seq?: number },
  ): Promise<void> {
    const coalescible = !options.reconcile && options.reason !== undefined && COALESCIBLE.includes(options.reason);
    if (coalescible && options.seq !== undefined && options.seq <= (this.seenUpTo.get(merchantSkuId) ?? 0)) {
      this.metrics.counter(METRICS.stockEventsCoalescedTotal).inc();
      return;
    }
    if (!(await this.skus.findById(merchantSkuId))) return;
    const lease = await this.acquire(merchantSkuId, options.reconcile === true);
    if (!lease) {
      // The live holder runs again for this trigger before it lets go (or the settle job does).
      this.metrics.counter(METRICS.stockWriterLeaseBusyTotal).inc();
      return;
    }
    let reconcile = options.reconcile === true;
    // A rebalance (a platform sold out while another holds counted units and sells none) first
    // reads those holders back, so units they are counted for but do not show can be proven unsold.
    let readBack = options.reason === 'rebalance';
    // Platform SKUs whose decrease failed in this call: planned around, as if they could not be written.
    const stuck = new Set<string>();
    const renewal = setInterval(
      () => void this.renew(lease).catch((e: Error) => this.logger.warn(`renewing a writer lease: ${e.message}`)),
      Math.max(200, Math.floor(this.leaseMs / RENEWALS_PER_LEASE)),
    );
    renewal.unref();
    try {
      for (let round = 1; ; round++) {
        const failedBefore = stuck.size;
        const seen = await this.run(lease, reconcile, options.triggerAt, stuck, readBack);
        readBack = false;
        this.seenUpTo.set(merchantSkuId, Math.max(seen, this.seenUpTo.get(merchantSkuId) ?? 0));
        const again = await this.releaseOrContinue(lease, seen, round < MAX_ROUNDS, stuck.size > failedBefore);
        if (again === undefined) return;
        reconcile = again.reconcile;
      }
    } catch (error) {
      if (error instanceof WriterLeaseLostError) {
        this.metrics.counter(METRICS.stockWriterFencedTotal).inc();
        this.logger.warn(error.message);
        return;
      }
      await this.release(lease).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  private async run(
    lease: Lease,
    reconcile: boolean,
    triggerAt: number,
    stuck: Set<string>,
    readBack = false,
  ): Promise<number> {
    const lanes = await this.phase('load', () => this.lanes(lease.merchantSkuId));
    await this.phase('settle', () => this.takeOver(lease));
    await this.phase('drain', () => this.drainRemoved(lease));
    await this.phase('reconcile', async () => {
      for (const lane of lanes) {
        const allocation = await this.repo.allocation(lane.binding.id);
        // The shop is connected again: what it shows is read afresh. (A listing of a shop that was
        // disconnected keeps its binding, and its drained allocation the `binding removed` flag.)
        const back =
          [SHOP_LEFT_PREFIX, NOT_CONNECTED_PREFIX].some((p) => allocation?.unwritable?.startsWith(p)) ||
          (allocation?.drainConnectionId === null && allocation.unwritable?.startsWith(UNBOUND_PREFIX) === true);
        if ((reconcile || back) && allocation?.unwritable) await this.clearUnwritable(lease, lane);
        // Last units: a holder counted for units it may not show is read (one read at a time:
        // a pending read-back is left to mature), and they go back to the pool once proven unsold.
        const holder =
          readBack &&
          allocation !== null &&
          allocation.allotted > 0 &&
          allocation.obsReadAt === null &&
          !allocation.unwritable;
        // (A holder's read polls no orders: the poll backstop completes the feed past it, so
        // rebalance runs every 5 s cost one stock read per holder, not two order polls.)
        if (reconcile || back || !allocation?.established) await this.observe(lease, lane);
        else if (holder) await this.observe(lease, lane, false);
        await this.matureObservation(lease, lane);
      }
    });
    return this.converge(lease, lanes, triggerAt, stuck);
  }

  // ---- lease ------------------------------------------------------------------------------

  private acquire(merchantSkuId: string, reconcile: boolean): Promise<Lease | undefined> {
    return this.leases.acquire(merchantSkuId, reconcile);
  }

  private renew(lease: Lease): Promise<void> {
    return this.leases.renew(lease);
  }

  /** Takes the ledger lock as the lease holder (renewing the lease), or throws when fenced off. */
  private lockAsWriter(lease: Lease): Promise<StockLedgerEntity> {
    return this.leases.lockAsWriter(lease);
  }

  private releaseOrContinue(lease: Lease, seen: number, mayContinue: boolean, replan: boolean) {
    return this.leases.releaseOrContinue(lease, seen, mayContinue, replan);
  }

  private release(lease: Lease): Promise<void> {
    return this.leases.release(lease);
  }

  // ---- planning and writing -----------------------------------------------------------------

  /**
   * Plans targets under the ledger lock (settings read there too), then writes decreases
   * (confirmed) before increases. Returns the stock-changed sequence the plan had seen.
   */
  private async converge(lease: Lease, lanes: Lane[], triggerAt: number, stuck: Set<string>): Promise<number> {
    let seen = 0;
    const plan = await this.phase('plan', () =>
      this.db.transaction(async () => {
        const ledger = await this.lockAsWriter(lease);
        seen = await this.outbox.currentSequence(stockChangedTopic, lease.merchantSkuId);
        const sku = await this.stockSettings.forSku(lease.merchantSkuId);
        if (ledger.onHandSeq === 0) return undefined;
        const sellable = ledger.onHand - (await this.repo.openReserved(sku.merchantSkuId)) - sku.safetyStock;
        const allocations = await this.repo.allocations(sku.merchantSkuId);
        // Platforms we cannot write (revoked, re-auth, refused decreases, unbound) keep what they may sell counted.
        const usable = allocations.filter(
          (a) =>
            a.established &&
            !a.unwritable &&
            !stuck.has(a.bindingId) &&
            lanes.some((l) => l.binding.id === a.bindingId),
        );
        // A shop that is not connected may still sell what it shows: its units stay counted, and it is flagged.
        for (const a of allocations) {
          if (a.unwritable || a.drainConnectionId !== null || a.allotted <= 0) continue;
          if (lanes.some((l) => l.binding.id === a.bindingId)) continue;
          a.unwritable = `${NOT_CONNECTED_PREFIX} (${a.platform}): its ${a.allotted} units stay counted, as it may still sell them, until it is connected again`;
          a.updatedAt = this.clock.now();
          await this.repo.saveAllocation(a);
        }
        const others = allocations
          .filter((a) => !usable.includes(a))
          .reduce((sum, a) => sum + Math.max(0, a.allotted), 0);
        const scarce =
          usable.length > 1 &&
          (sku.allocationMode === 'pool' || (sku.allocationMode === 'auto' && sellable < sku.scarceBelow));
        const now = this.clock.now();
        const targets = computeTargets(
          sellable - others,
          usable.map((a) => ({
            id: a.bindingId,
            platform: a.platform,
            allotted: a.allotted,
            soldRecent: a.soldRecent,
            demandNow: decayedDemand(a.demandMilli, a.lastSaleAt, now),
            lastSaleAt: a.lastSaleAt,
            idle: isIdle(a.allotted, a.lastSaleAt, a.lastGrantAt, now),
            limits: sku.platformLimits?.[a.platform as 'kuaishou' | 'youzan'],
          })),
          { mode: sku.allocationMode, scarceBelow: sku.scarceBelow, tranche: sku.tranche },
        );
        for (const a of usable) {
          const target = targets.get(a.bindingId) ?? 0;
          if (a.target !== target) {
            a.target = target;
            a.updatedAt = now;
            await this.repo.saveAllocation(a);
          }
        }
        const plan = planMoves(
          sellable - others,
          usable.map((a) => ({
            id: a.bindingId,
            allotted: a.allotted,
            target: a.target,
            max: sku.platformLimits?.[a.platform as 'kuaishou' | 'youzan']?.max,
          })),
          scarce ? () => 0 : (t) => Math.floor(t / 10),
        );
        // A connected platform whose stock was never read could be showing anything: until it is,
        // only lower the others.
        const unread = lanes.some((l) => !allocations.find((a) => a.bindingId === l.binding.id)?.established);
        return unread ? { decreases: plan.decreases, increases: [] } : plan;
      }),
    );
    if (!plan) return seen;
    await this.phase('write', async () => {
      for (const move of plan.decreases) {
        if (
          !(await this.decrease(
            lease,
            lanes.find((l) => l.binding.id === move.id)!,
            -move.delta,
            triggerAt,
          ))
        )
          stuck.add(move.id);
      }
      for (const move of plan.increases)
        await this.increase(
          lease,
          lanes.find((l) => l.binding.id === move.id)!,
          move.delta,
          triggerAt,
        );
    });
    return seen;
  }

  /** False when the platform could not be lowered (its units stay counted). */
  private async decrease(lease: Lease, lane: Lane, units: number, triggerAt: number): Promise<boolean> {
    // Counted only once confirmed: until then the platform may still sell them.
    const op = await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      return this.journal(lease, lane, -units, triggerAt);
    });
    const outcome = await this.write(lane, op);
    if (outcome === 'applied') {
      await this.db.transaction(async () => {
        await this.lockAsWriter(lease);
        const a = (await this.repo.allocation(lane.binding.id))!;
        a.allotted -= units;
        a.updatedAt = this.clock.now();
        await this.repo.saveAllocation(a);
        await this.finish(op, 'applied');
      });
      return true;
    }
    if (outcome === 'unknown') {
      await this.db.transaction(async () => {
        await this.lockAsWriter(lease);
        await this.finish(op, 'not_applied', DECREASE_OUTCOME_UNKNOWN, this.clock.now() + LATE_APPLY_MS);
      });
      return false;
    }
    await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      await this.finish(op, 'not_applied', outcome.reason);
    });
    if (outcome.refused) return this.refusedDecrease(lease, lane, units, outcome.reason, triggerAt);
    // Failed: the platform may have fewer units than counted (unheard sales, a reserve): look.
    await this.observe(lease, lane).catch((e: Error) =>
      this.logger.warn(`read-back after a failed decrease: ${e.message}`),
    );
    return false;
  }

  /**
   * The platform refused to go lower (Youzan refusing negative increments, Kuaishou's activity
   * reserve): set the stock absolutely where the platform offers that, else take the listing off
   * the shelf, and tell ops and the merchant. Until one of them works the platform's units stay counted.
   */
  private async refusedDecrease(
    lease: Lease,
    lane: Lane,
    units: number,
    reason: string,
    triggerAt: number,
  ): Promise<boolean> {
    const stock = this.channels.stock(lane.shop.platform);
    const sku = { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId };
    // Refused because the listing already shows nothing (sales not heard yet took its units, as
    // Kuaishou answers a decrease below zero; Youzan refusing any negative increment): nothing is
    // left to lower, and the count above it is those sales, which lower it when heard. Not a
    // listing that cannot be lowered: it is only planned around in this run (its count stays, the
    // other platform is lowered to fit). An absolute set to 0 would change nothing on the platform
    // but would pin the count again (sales heard near it would not lower it) at every run.
    if ((await stock.getSkuStock(lane.shop, sku).catch(() => undefined)) === 0) return false;
    let fallback = 'none';
    if (stock.absoluteStockWrite) {
      try {
        const readAt = this.clock.now();
        const visible = await stock.getSkuStock(lane.shop, sku);
        const quantity = Math.max(0, visible - units);
        const op = await this.db.transaction(async () => {
          await this.lockAsWriter(lease);
          return this.journal(lease, lane, quantity - visible, triggerAt);
        });
        const result = await stock.setSkuStock(lane.shop, sku, quantity, op.id).catch(async (error: unknown) => {
          // A set that may have landed (or may still land) is an unknown outcome like any other.
          if (isPlatformError(error) && !error.ambiguous) throw error;
          await this.db.transaction(async () => {
            await this.lockAsWriter(lease);
            await this.holdForLateSet(lane, readAt);
            await this.finish(
              op,
              'not_applied',
              `absolute set: ${(error as Error).message}`.slice(0, 300),
              this.clock.now() + LATE_APPLY_MS,
            );
          });
          throw error;
        });
        await this.db.transaction(async () => {
          await this.lockAsWriter(lease);
          const a = (await this.repo.allocation(lane.binding.id))!;
          if (result.outcome === 'applied') {
            // Sales made before the read and not heard yet (and an increase still on its way,
            // which adds on top of the set) stay counted. Sales made between the read and the set
            // were undone by it (the listing shows `quantity` again): pinned, so no sale made
            // before this moment lowers the count when heard; later ones do.
            a.allotted = Math.max(quantity, a.allotted + quantity - visible);
            a.pinned = true;
            a.setReadAt = readAt;
            a.obsAllotted = null;
            a.obsVisible = null;
            a.obsHeard = null;
            a.obsReadAt = this.clock.now();
            a.updatedAt = this.clock.now();
            await this.repo.saveAllocation(a);
            await this.finish(op, 'applied', `absolute set to ${quantity} after the platform refused a decrease`);
          } else {
            await this.holdForLateSet(lane, readAt);
            await this.finish(
              op,
              'not_applied',
              'absolute set: outcome unknown, counted as not applied',
              this.clock.now() + LATE_APPLY_MS,
            );
          }
        });
        if (result.outcome === 'applied') {
          await this.failures.resolveByDedupeKey(refusedKey(lane.binding.id), 'lowered with an absolute stock set');
          return true;
        }
        fallback = 'absolute set outcome unknown';
      } catch (error) {
        fallback = `absolute set failed: ${(error as Error).message}`;
      }
    }
    let delisted = false;
    try {
      await this.channels.catalog(lane.shop.platform).setShelfStatus(lane.shop, lane.binding.platformItemId, false);
      delisted = true;
    } catch (error) {
      fallback += `; taking the listing off the shelf failed: ${(error as Error).message}`;
    }
    const why = `${lane.shop.platform} refused to lower SKU ${lane.binding.outerSkuId ?? lane.binding.platformSkuId} by ${units} (${reason}); ${fallback}${delisted ? '; listing taken off the shelf' : ''}. Its units stay counted until it is lowered.`;
    await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      const a = (await this.repo.allocation(lane.binding.id))!;
      a.unwritable = why.slice(0, 300);
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
    });
    await this.failures.record({
      context: 'inventory',
      operation: 'stock.lower',
      errorCode: 'INVALID_REQUEST',
      reason: why,
      platform: lane.shop.platform,
      shopRef: lane.shop.shopId,
      merchantId: lane.binding.merchantId,
      entityType: 'merchant-sku',
      entityRef: lane.binding.merchantSkuId,
      replay: { kind: INVENTORY_SYNC_REPLAY, data: { merchantSkuId: lane.binding.merchantSkuId } },
      dedupeKey: refusedKey(lane.binding.id),
      retryable: true,
    });
    return false;
  }

  /**
   * An absolute set that may still land would put back units sold since its read: until it can
   * no longer land, heard sales do not lower the count (it stays ≥ the set's quantity plus
   * whatever is written after it). Runs under the ledger lock.
   */
  private async holdForLateSet(lane: Lane, readAt: number): Promise<void> {
    const a = (await this.repo.allocation(lane.binding.id))!;
    a.pinned = true;
    a.setReadAt = readAt;
    a.obsAllotted = null;
    a.obsVisible = null;
    a.obsHeard = null;
    a.obsReadAt = this.clock.now() + LATE_APPLY_MS;
    a.updatedAt = this.clock.now();
    await this.repo.saveAllocation(a);
  }

  private async clearUnwritable(lease: Lease, lane: Lane): Promise<void> {
    await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      const a = (await this.repo.allocation(lane.binding.id))!;
      a.unwritable = null;
      await this.repo.saveAllocation(a);
    });
  }

  private async increase(lease: Lease, lane: Lane, wanted: number, triggerAt: number): Promise<void> {
    // Counted before the write, inside the ledger lock, so Σ allotted ≤ sellable holds at every instant.
    const op = await this.db.transaction(async () => {
      const ledger = await this.lockAsWriter(lease);
      const sku = await this.stockSettings.forSku(lease.merchantSkuId);
      const sellable = ledger.onHand - (await this.repo.openReserved(sku.merchantSkuId)) - sku.safetyStock;
      const allocations = await this.repo.allocations(sku.merchantSkuId);
      const room = sellable - allocations.reduce((sum, a) => sum + Math.max(0, a.allotted), 0);
      const units = Math.min(wanted, room);
      if (units <= 0) return undefined;
      const a = allocations.find((x) => x.bindingId === lane.binding.id)!;
      // Below zero is an under-count (a platform never shows less than nothing): the room above was computed from 0.
      a.allotted = Math.max(0, a.allotted) + units;
      a.lastGrantAt = this.clock.now();
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
      return this.journal(lease, lane, units, triggerAt);
    });
    if (!op) return;
    const outcome = await this.write(lane, op);
    await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      if (outcome === 'applied') return this.finish(op, 'applied');
      if (outcome === 'unknown')
        return this.finish(
          op,
          'applied',
          'outcome unknown: counted as applied (it may still land)',
          this.clock.now() + LATE_APPLY_MS,
        );
      const a = (await this.repo.allocation(lane.binding.id))!;
      a.allotted -= op.delta;
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
      await this.finish(op, 'not_applied', outcome.reason);
    });
  }

  /** Sends one journaled write. Definite failures are recorded (AUTH problems stop the shop at the channel boundary). */
  private async write(
    lane: Lane,
    op: StockWriteOpEntity,
  ): Promise<'applied' | 'unknown' | { refused: boolean; reason: string }> {
    const started = this.clock.now();
    try {
      const result = await this.channels
        .stock(lane.shop.platform)
        .adjustSkuStock(
          lane.shop,
          { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId },
          op.delta,
          op.id,
        );
      this.metrics.counter(METRICS.stockWritesTotal).inc({ platform: lane.shop.platform, outcome: result.outcome });
      this.metrics
        .histogram(METRICS.stockWriteSeconds)
        .observe({ platform: lane.shop.platform }, (this.clock.now() - started) / 1000);
      if (result.outcome === 'applied') {
        await this.failures.resolveByDedupeKey(failureKey(lane.binding.id));
        return 'applied';
      }
      return 'unknown';
    } catch (error) {
      this.metrics.counter(METRICS.stockWritesTotal).inc({ platform: lane.shop.platform, outcome: 'failed' });
      const e = isPlatformError(error)
        ? error
        : new PlatformError({
            platform: lane.shop.platform,
            api: 'stock.adjust',
            code: 'UNKNOWN',
            message: (error as Error).message,
            ambiguous: true,
          });
      if (e.ambiguous) return 'unknown';
      const refused = op.delta < 0 && e.code === 'INVALID_REQUEST';
      if (!refused) {
        await this.failures.record({
          context: 'inventory',
          operation: 'stock.write',
          errorCode: e.code,
          reason: `${op.delta > 0 ? 'raising' : 'lowering'} ${lane.shop.platform} stock of SKU ${lane.binding.outerSkuId ?? lane.binding.platformSkuId} by ${Math.abs(op.delta)} failed: ${e.message}`,
          platform: lane.shop.platform,
          shopRef: lane.shop.shopId,
          merchantId: lane.binding.merchantId,
          entityType: 'merchant-sku',
          entityRef: lane.binding.merchantSkuId,
          platformCode: e.rawCode,
          platformMessage: e.rawMessage,
          replay: {
            kind: INVENTORY_SYNC_REPLAY,
            data: { merchantSkuId: lane.binding.merchantSkuId, bindingId: lane.binding.id },
          },
          dedupeKey: failureKey(lane.binding.id),
          retryable: dispositionOf(e.code) === 'retry',
        });
      }
      return { refused, reason: `${e.code}: ${e.rawMessage ?? e.message}`.slice(0, 400) };
    }
  }

  /**
   * Ops journaled by a writer that is gone (crashed, or fenced off with a write in flight) are
   * resolved in the safe direction, never by writing again: an increase stays counted, a
   * decrease stays uncounted, and both may still land for a while.
   */
  private async takeOver(lease: Lease): Promise<void> {
    const orphans = await this.repo.unsettledOps(lease.merchantSkuId, lease.token);
    if (!orphans.length) return;
    await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      const until = this.clock.now() + LATE_APPLY_MS;
      for (const op of orphans) {
        if (op.delta > 0)
          await this.finish(
            op,
            'applied',
            'writer gone before the answer: counted as applied (it may still land)',
            until,
          );
        else
          await this.finish(
            op,
            'not_applied',
            'writer gone before the answer: counted as not applied (it may still land)',
            until,
          );
      }
    });
  }

  // ---- removed bindings ----------------------------------------------------------------------

  /**
   * Listings whose binding was removed: each is lowered to 0 (read, then a decrease by what it
   * showed; a sale in between makes the platform refuse going below 0, and the next run tries
   * again), and the units it showed go back to the pool. What it was counted for beyond that
   * (sales made through it and never heard, as its orders no longer belong to the SKU) stays
   * counted. A listing in a shop that cannot be written keeps all its units counted.
   */
  private async drainRemoved(lease: Lease): Promise<void> {
    const draining = (await this.repo.allocations(lease.merchantSkuId)).filter((a) => a.drainConnectionId !== null);
    for (const a of draining) {
      if (await this.repo.mayStillLand(a.bindingId, this.clock.now())) continue;
      const connection = await this.connections.findById(a.drainConnectionId!);
      if (!connection || connection.status !== 'active') continue;
      const lane: Lane = {
        binding: Object.assign(new SkuBindingEntity(), {
          id: a.bindingId,
          merchantSkuId: a.merchantSkuId,
          connectionId: connection.id,
          platform: a.platform,
          platformItemId: a.drainItemId!,
          platformSkuId: a.drainSkuId!,
          outerSkuId: null,
        }),
        connection,
        shop: { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId },
      };
      let visible: number;
      try {
        visible = await this.channels
          .stock(lane.shop.platform)
          .getSkuStock(lane.shop, { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId });
      } catch (error) {
        this.logger.warn(`reading the unbound listing ${a.drainSkuId}: ${(error as Error).message}`);
        continue;
      }
      if (visible > 0) {
        const op = await this.db.transaction(async () => {
          await this.lockAsWriter(lease);
          return this.journal(lease, lane, -visible, this.clock.now());
        });
        const outcome = await this.write(lane, op);
        if (outcome !== 'applied') {
          await this.db.transaction(async () => {
            await this.lockAsWriter(lease);
            await this.finish(
              op,
              'not_applied',
              outcome === 'unknown'
                ? 'unbound listing: outcome unknown, counted as not applied (it may still land)'
                : `unbound listing: ${outcome.reason}`,
              outcome === 'unknown' ? this.clock.now() + LATE_APPLY_MS : undefined,
            );
          });
          continue;
        }
        await this.db.transaction(async () => {
          await this.lockAsWriter(lease);
          await this.finish(op, 'applied', 'unbound listing lowered to 0');
        });
      }
      await this.db.transaction(async () => {
        await this.lockAsWriter(lease);
        const row = await this.repo.allocation(a.bindingId);
        if (!row) return;
        // The listing shows 0: the units it showed are back in the pool.
        const left = Math.max(0, row.allotted - visible);
        if (left === 0) return this.repo.deleteAllocation(a.bindingId);
        row.allotted = left;
        row.drainConnectionId = null;
        row.unwritable =
          `${UNBOUND_PREFIX} (${row.platform} SKU ${a.drainSkuId}): the listing was lowered to 0; ${left} units it may have sold unheard stay counted`.slice(
            0,
            300,
          );
        row.updatedAt = this.clock.now();
        await this.repo.saveAllocation(row);
      });
    }
  }

  // ---- reading the platforms ----------------------------------------------------------------

  /**
   * Reads the platform's stock under the lease. More than counted raises `allotted` at once
   * (and pins it: sales heard before the feed passes this read may be ones the read excluded);
   * less is remembered and lowers it only once the shop's order feed is complete up to the read.
   */
  private async observe(lease: Lease, lane: Lane, poll = true): Promise<void> {
    // A write that may still land and raise the platform would make a read under-count (a
    // decrease landing after the read only lowers it: the read then over-counts, the safe side).
    if (await this.repo.mayStillLandAbove(lane.binding.id, this.clock.now())) return;
    const stock = this.channels.stock(lane.shop.platform);
    const sku = { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId };
    let visible: number;
    let before: ChannelAllocationEntity;
    try {
      if (poll) await this.orders.pollRecent(lane.connection.id);
      before = await this.repo.ensureAllocation(
        lane.binding.id,
        lane.binding.merchantSkuId,
        lane.binding.platform,
        this.clock.now(),
      );
      visible = await stock.getSkuStock(lane.shop, sku);
    } catch (error) {
      this.logger.warn(`reading ${lane.shop.platform} stock of ${sku.skuId} failed: ${(error as Error).message}`);
      return;
    }
    const readAt = this.clock.now();
    await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      const a = (await this.repo.allocation(lane.binding.id))!;
      const first = !a.established;
      if (first || visible > a.allotted) {
        await this.repo.insertDrift({
          bindingId: a.bindingId,
          merchantSkuId: a.merchantSkuId,
          platform: a.platform,
          expected: first ? 0 : a.allotted,
          observed: visible,
          action: first
            ? 'first reading of the platform: counted as is until its orders up to the read are heard'
            : 'platform shows more than counted: counted as is (will be lowered)',
          createdAt: readAt,
        });
        if (!first) this.metrics.counter(METRICS.stockDriftTotal).inc({ platform: a.platform });
        a.allotted = first ? visible : Math.max(a.allotted, visible);
        a.established = true;
        a.pinned = true;
        a.setReadAt = null;
        a.obsAllotted = null;
        a.obsVisible = null;
        a.obsHeard = null;
        a.obsReadAt = readAt;
      } else if (a.obsReadAt === null && visible < before.allotted) {
        a.obsAllotted = before.allotted;
        a.obsVisible = visible;
        a.obsHeard = before.heardSold;
        a.obsReadAt = readAt;
      } else {
        return;
      }
      a.updatedAt = readAt;
      await this.repo.saveAllocation(a);
    });
    if (poll) await this.orders.pollRecent(lane.connection.id).catch(() => undefined);
  }

  /** Applies a remembered read-back once every sale up to it has been heard. */
  private async matureObservation(lease: Lease, lane: Lane, reread = true): Promise<void> {
    const pending = await this.repo.allocation(lane.binding.id);
    if (!pending || pending.obsReadAt === null) return;
    const complete = await this.orders.feedCompleteUpTo(lane.connection.id);
    if (complete === undefined || complete < pending.obsReadAt) return;
    const wasPinned = await this.db.transaction(async () => {
      await this.lockAsWriter(lease);
      const a = (await this.repo.allocation(lane.binding.id))!;
      if (a.obsReadAt === null) return false;
      const wasPinned = a.pinned;
      if (!wasPinned && a.obsAllotted !== null && a.obsVisible !== null && a.obsHeard !== null) {
        const heardSince = a.heardSold - a.obsHeard;
        const lower = Math.max(0, a.obsAllotted - a.obsVisible - heardSince);
        if (lower > 0) {
          await this.repo.insertDrift({
            bindingId: a.bindingId,
            merchantSkuId: a.merchantSkuId,
            platform: a.platform,
            expected: a.obsAllotted,
            observed: a.obsVisible,
            action: `platform showed less than counted; ${heardSince} units heard since the read: lowered by ${lower}`,
            createdAt: this.clock.now(),
          });
          this.metrics.counter(METRICS.stockDriftTotal).inc({ platform: a.platform });
          a.allotted -= lower;
        }
      }
      a.pinned = false;
      a.setReadAt = null;
      a.obsAllotted = null;
      a.obsVisible = null;
      a.obsHeard = null;
      a.obsReadAt = null;
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
      return wasPinned;
    });
    // A pinned count may hold sales that came after its read: a fresh read can lower it.
    if (wasPinned && reread) {
      await this.observe(lease, lane);
      await this.matureObservation(lease, lane, false);
    }
  }

  private async journal(lease: Lease, lane: Lane, delta: number, triggerAt: number): Promise<StockWriteOpEntity> {
    const op = Object.assign(new StockWriteOpEntity(), {
      id: this.ids.uuid(),
      bindingId: lane.binding.id,
      merchantSkuId: lane.binding.merchantSkuId,
      platform: lane.shop.platform,
      delta,
      status: 'pending',
      note: null,
      triggerAt,
      createdAt: this.clock.now(),
      settledAt: null,
      writerToken: lease.token,
      uncertainUntil: null,
    });
    await this.repo.insertOp(op);
    return op;
  }

  private async finish(
    op: StockWriteOpEntity,
    status: StockWriteOpEntity['status'],
    note?: string,
    uncertainUntil?: number,
  ): Promise<void> {
    op.status = status;
    op.settledAt = this.clock.now();
    if (note) op.note = note.slice(0, 500);
    if (uncertainUntil !== undefined) op.uncertainUntil = uncertainUntil;
    await this.repo.saveOp(op);
    if (status === 'applied') {
      this.metrics
        .histogram(METRICS.stockPropagationSeconds)
        .observe({ platform: op.platform }, Math.max(0, op.settledAt - op.triggerAt) / 1000);
    }
  }

  private async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.metrics.histogram(METRICS.stockSyncPhaseSeconds).observe({ phase: name }, (Date.now() - started) / 1000);
    }
  }

  /** Platform SKUs of this merchant SKU whose shop is connected and usable. */
  private async lanes(merchantSkuId: string): Promise<Lane[]> {
    const lanes: Lane[] = [];
    // Shops being disconnected (`ShopLeaveService`, on any instance): their listings are only drained.
    const leaving = await this.repo.leavingConnections(this.clock.now());
    for (const binding of await this.bindings.listByMerchantSku(merchantSkuId)) {
      const connection = await this.connections.findById(binding.connectionId);
      if (!connection || connection.status !== 'active' || leaving.has(connection.id)) continue;
      lanes.push({
        binding,
        connection,
        shop: { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId },
      });
    }
    return lanes;
  }
}

const failureKey = (bindingId: string) => `inventory:stock-write:${bindingId}`;
const refusedKey = (bindingId: string) => `inventory:stock-lower-refused:${bindingId}`;
