import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { ShopConnectionRepository } from '../accounts/shop-connection.repository';
import { MerchantSkuEntity } from '../catalog/merchant-sku.entity';
import { MerchantSkuRepository } from '../catalog/merchant-sku.repository';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { SkuBindingRepository } from '../catalog/sku-binding.repository';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { StockChangeReason, stockChangedTopic } from '../messaging/contracts/stock-changed/stock-changed.contract';
import { OutboxRepository } from '../messaging/outbox/outbox.repository';
import { MetricsService } from '../ops/metrics/metrics.service';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { ChannelRegistry, CHANNELS, ShopRef } from '../platforms/channel.port';
import { isPlatformError, PlatformError } from '../platforms/platform-error';
import { computeTargets, planMoves } from './allocator';
import { decayedDemand, isIdle } from './demand';
import { ChannelAllocationEntity } from './channel-allocation.entity';
import { InventoryRepository } from './inventory.repository';
import { ORDER_SYNC, OrderSyncPort } from './order-sync.port';
import { StockWriteOpEntity } from './stock-write-op.entity';

interface Lane {
  /** Missing until the binding's first event is handled: the platform's stock is unknown. */
  allocation?: ChannelAllocationEntity;
  binding: SkuBindingEntity;
  connection: ShopConnectionEntity;
  shop: ShopRef;
}

const STABLE_READ_ATTEMPTS = 3;
/** Changes made under the ledger lock; a run that saw their sequence saw them. */
const COALESCIBLE: StockChangeReason[] = ['sale', 'release', 'shipment', 'erp'];
export const INVENTORY_SYNC_REPLAY = 'inventory.sync';

/**
 * The one writer of a SKU's platform stock (the stock-changed consumer is keyed by SKU).
 *
 * Each run: settle writes whose outcome is unknown, optionally reconcile the platforms with what
 * the ledger expects, then plan targets and write — decreases first and confirmed, increases
 * only into room that the ledger (Σ allotted ≤ sellable) guarantees. Writes are incremental and
 * journaled before they are sent; an unknown outcome is settled by reading back, never by
 * writing again.
 */
@Injectable()
export class StockSyncService {
  private readonly logger = new Logger(StockSyncService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: InventoryRepository,
    private readonly skus: MerchantSkuRepository,
    private readonly bindings: SkuBindingRepository,
    private readonly connectionsRepo: ShopConnectionRepository,
    private readonly connections: ConnectionsService,
    private readonly failures: SyncFailureService,
    private readonly metrics: MetricsService,
    private readonly outboxRepo: OutboxRepository,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(ORDER_SYNC) private readonly orders: OrderSyncPort,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /**
   * Coalescing: per SKU, the highest stock-changed sequence whose change a completed run had
   * already seen (read under the ledger lock, where those changes are made). A later event
   * carrying a lower sequence has nothing new to say: a burst of sales costs one run, not many.
   */
  private readonly seenUpTo = new Map<string, number>();

  async sync(merchantSkuId: string, options: { triggerAt: number; reconcile?: boolean; reason?: StockChangeReason; seq?: number }): Promise<void> {
    const coalescible = !options.reconcile && options.reason !== undefined && COALESCIBLE.includes(options.reason);
    if (coalescible && options.seq !== undefined && options.seq <= (this.seenUpTo.get(merchantSkuId) ?? 0)) {
      this.metrics.counter('kwaizan_stock_events_coalesced_total', 'Stock-changed events already covered by an earlier run').inc();
      return;
    }
    const sku = await this.skus.findById(merchantSkuId);
    if (!sku) return;
    const lanes = await this.phase('load', () => this.lanes(sku));
    await this.phase('settle', async () => {
      for (const op of await this.repo.unsettledOps(merchantSkuId)) {
        const lane = lanes.find((l) => l.binding.id === op.bindingId);
        if (lane) await this.settle(lane, op);
      }
    });
    if (options.reconcile) {
      await this.phase('reconcile', async () => {
        for (const lane of lanes) await this.reconcile(lane);
      });
    }
    const seen = await this.converge(sku, lanes, options.triggerAt);
    this.seenUpTo.set(merchantSkuId, Math.max(seen, this.seenUpTo.get(merchantSkuId) ?? 0));
  }

  /**
   * Plans targets under the ledger lock, then writes decreases (confirmed) before increases.
   * Returns the stock-changed sequence the plan had seen.
   */
  private async converge(sku: MerchantSkuEntity, lanes: Lane[], triggerAt: number): Promise<number> {
    let seen = 0;
    const plan = await this.phase('plan', () => this.db.transaction(async () => {
      const ledger = await this.repo.lockLedger(sku.id, this.clock.now());
      seen = await this.outboxRepo.currentSequence(stockChangedTopic.name, sku.id);
      if (ledger.onHandSeq === 0) return undefined;
      const sellable = ledger.onHand - (await this.repo.openReserved(sku.id)) - sku.safetyStock;
      const allocations = await this.repo.allocations(sku.id);
      const usable = allocations.filter((a) => a.established && lanes.some((l) => l.binding.id === a.bindingId));
      const scarce = usable.length > 1 && (sku.allocationMode === 'pool' || (sku.allocationMode === 'auto' && sellable < sku.scarceBelow));
      const targets = computeTargets(
        sellable - allocations.filter((a) => !usable.includes(a)).reduce((sum, a) => sum + Math.max(0, a.allotted), 0),
        usable.map((a) => ({
          id: a.bindingId,
          platform: a.platform,
          allotted: a.allotted,
          soldRecent: a.soldRecent,
          demandNow: decayedDemand(a.demandMilli, a.lastSaleAt, this.clock.now()),
          lastSaleAt: a.lastSaleAt,
          idle: isIdle(a.allotted, a.lastSaleAt, a.lastGrantAt, this.clock.now()),
          limits: sku.platformLimits?.[a.platform as 'kuaishou' | 'youzan'],
        })),
        { mode: sku.allocationMode, scarceBelow: sku.scarceBelow, tranche: sku.tranche },
      );
      for (const a of usable) {
        const target = targets.get(a.bindingId) ?? 0;
        if (a.target !== target) {
          a.target = target;
          a.updatedAt = this.clock.now();
          await this.repo.saveAllocation(a);
        }
      }
      const others = allocations.filter((a) => !usable.includes(a)).reduce((sum, a) => sum + Math.max(0, a.allotted), 0);
      const plan = planMoves(
        sellable - others,
        usable.map((a) => ({ id: a.bindingId, allotted: a.allotted, target: a.target })),
        scarce ? () => 0 : (t) => Math.floor(t / 10),
      );
      // A connected platform whose stock was never read could be showing anything: until it is,
      // only lower the others.
      const unread = lanes.some((l) => !allocations.find((a) => a.bindingId === l.binding.id)?.established);
      return unread ? { decreases: plan.decreases, increases: [] } : plan;
    }));
    if (!plan) return seen;
    await this.phase('write', async () => {
      for (const move of plan.decreases) {
        const lane = lanes.find((l) => l.binding.id === move.id)!;
        await this.decrease(lane, -move.delta, triggerAt);
      }
      for (const move of plan.increases) {
        const lane = lanes.find((l) => l.binding.id === move.id)!;
        await this.increase(sku, lane, move.delta, triggerAt);
      }
    });
    return seen;
  }

  private async decrease(lane: Lane, units: number, triggerAt: number): Promise<void> {
    // Counted only once confirmed: until then the platform may still sell them.
    const op = await this.journal(lane, -units, triggerAt);
    const outcome = await this.write(lane, op);
    if (outcome === 'applied') {
      await this.db.transaction(async () => {
        await this.repo.lockLedger(lane.binding.merchantSkuId, this.clock.now());
        const a = (await this.repo.allocation(lane.binding.id))!;
        a.allotted -= units;
        a.updatedAt = this.clock.now();
        await this.repo.saveAllocation(a);
        await this.finish(op, 'applied');
      });
    } else if (outcome === 'not_applied') {
      await this.db.transaction(() => this.finish(op, 'not_applied'));
      // The platform has fewer units than we counted (unheard sales, an activity reserve): look.
      await this.reconcile(lane);
    } else {
      await this.settle(lane, op);
    }
  }

  private async increase(sku: MerchantSkuEntity, lane: Lane, wanted: number, triggerAt: number): Promise<void> {
    // Counted before the write, inside the ledger lock, so Σ allotted ≤ sellable holds at every instant.
    const op = await this.db.transaction(async () => {
      const ledger = await this.repo.lockLedger(sku.id, this.clock.now());
      const sellable = ledger.onHand - (await this.repo.openReserved(sku.id)) - sku.safetyStock;
      const allocations = await this.repo.allocations(sku.id);
      const room = sellable - allocations.reduce((sum, a) => sum + Math.max(0, a.allotted), 0);
      const units = Math.min(wanted, room);
      if (units <= 0) return undefined;
      const a = allocations.find((x) => x.bindingId === lane.binding.id)!;
      a.allotted += units;
      a.lastGrantAt = this.clock.now();
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
      return this.journal(lane, units, triggerAt);
    });
    if (!op) return;
    const outcome = await this.write(lane, op);
    if (outcome === 'applied') {
      await this.db.transaction(() => this.finish(op, 'applied'));
    } else if (outcome === 'not_applied') {
      await this.db.transaction(async () => {
        await this.repo.lockLedger(sku.id, this.clock.now());
        const a = (await this.repo.allocation(lane.binding.id))!;
        a.allotted -= op.delta;
        a.updatedAt = this.clock.now();
        await this.repo.saveAllocation(a);
        await this.finish(op, 'not_applied');
      });
    } else {
      await this.settle(lane, op);
    }
  }

  /** Sends one journaled write. Definite failures are recorded; AUTH problems stop the shop. */
  private async write(lane: Lane, op: StockWriteOpEntity): Promise<'applied' | 'not_applied' | 'unknown'> {
    const started = this.clock.now();
    try {
      const result = await this.channels.get(lane.shop.platform).adjustSkuStock(lane.shop, { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId }, op.delta, op.id);
      this.metrics.counter('kwaizan_stock_writes_total', 'Platform stock writes', ['platform', 'outcome']).inc({ platform: lane.shop.platform, outcome: result.outcome });
      this.metrics.histogram('kwaizan_stock_write_seconds', 'Platform stock write latency', ['platform'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]).observe({ platform: lane.shop.platform }, (this.clock.now() - started) / 1000);
      if (result.outcome === 'applied') {
        await this.failures.resolveByDedupeKey(failureKey(lane.binding.id));
        return 'applied';
      }
      return 'unknown';
    } catch (error) {
      this.metrics.counter('kwaizan_stock_writes_total', 'Platform stock writes', ['platform', 'outcome']).inc({ platform: lane.shop.platform, outcome: 'failed' });
      const e = isPlatformError(error) ? error : new PlatformError({ platform: lane.shop.platform, api: 'stock.adjust', code: 'UNKNOWN', message: (error as Error).message, ambiguous: true });
      if (e.ambiguous) return 'unknown';
      await this.connections.reportCallFailure(lane.connection.id, e);
      await this.failures.record({
        context: 'inventory',
        operation: 'stock.write',
        errorCode: e.code,
        reason: `${op.delta > 0 ? 'raising' : 'lowering'} ${lane.shop.platform} stock of SKU ${lane.binding.outerSkuId ?? lane.binding.platformSkuId} by ${Math.abs(op.delta)} failed: ${e.message}`,
        platform: lane.shop.platform,
        shopRef: lane.shop.shopId,
        entityType: 'merchant-sku',
        entityRef: lane.binding.merchantSkuId,
        platformCode: e.rawCode,
        platformMessage: e.rawMessage,
        replay: { kind: INVENTORY_SYNC_REPLAY, data: { merchantSkuId: lane.binding.merchantSkuId, bindingId: lane.binding.id } },
        dedupeKey: failureKey(lane.binding.id),
        retryable: e.code !== 'AUTH_REVOKED' && e.code !== 'INSUFFICIENT_SCOPE',
      });
      return 'not_applied';
    }
  }

  /**
   * Settles a write whose outcome is unknown (or that was in flight when the process died) by
   * reading the platform back after hearing every recent sale. Never writes.
   */
  private async settle(lane: Lane, op: StockWriteOpEntity): Promise<void> {
    const observed = await this.stableRead(lane);
    if (observed === undefined) {
      await this.db.transaction(async () => {
        op.status = 'unknown';
        op.note = 'could not read the platform back yet';
        await this.repo.saveOp(op);
      });
      return;
    }
    await this.db.transaction(async () => {
      await this.repo.lockLedger(lane.binding.merchantSkuId, this.clock.now());
      const a = (await this.repo.allocation(lane.binding.id))!;
      // Increases are already counted in `allotted`, decreases not yet.
      const ifApplied = op.delta > 0 ? a.allotted : a.allotted + op.delta;
      const ifNot = op.delta > 0 ? a.allotted - op.delta : a.allotted;
      if (observed === ifApplied) {
        if (op.delta < 0) a.allotted += op.delta;
        await this.finish(op, 'applied', 'settled by read-back');
      } else if (observed === ifNot) {
        if (op.delta > 0) a.allotted -= op.delta;
        await this.finish(op, 'not_applied', 'settled by read-back');
      } else {
        await this.repo.insertDrift({ bindingId: a.bindingId, merchantSkuId: a.merchantSkuId, platform: a.platform, expected: ifApplied, observed, action: `settling write ${op.id} (${op.delta > 0 ? '+' : ''}${op.delta}): platform shows neither outcome; took the platform's figure`, createdAt: this.clock.now() });
        a.allotted = observed;
        await this.finish(op, 'reconciled', `expected ${ifApplied} (applied) or ${ifNot} (not applied), platform showed ${observed}`);
      }
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
    });
  }

  /** Compares the platform with the ledger's expectation and takes the platform's figure when they differ. */
  private async reconcile(lane: Lane): Promise<void> {
    const observed = await this.stableRead(lane);
    if (observed === undefined) return;
    await this.db.transaction(async () => {
      await this.repo.lockLedger(lane.binding.merchantSkuId, this.clock.now());
      const a = (await this.repo.allocation(lane.binding.id)) ?? (await this.repo.ensureAllocation(lane.binding.id, lane.binding.merchantSkuId, lane.binding.platform, this.clock.now()));
      if (a.established && a.allotted === observed) return;
      const action = !a.established ? 'first reading of the platform: taken as the starting point' : observed > a.allotted ? 'platform shows more than granted: will be lowered' : 'platform shows less than granted: counted as is';
      await this.repo.insertDrift({ bindingId: a.bindingId, merchantSkuId: a.merchantSkuId, platform: a.platform, expected: a.established ? a.allotted : 0, observed, action, createdAt: this.clock.now() });
      if (a.established) this.metrics.counter('kwaizan_stock_drift_total', 'Stock drift found by reconciliation', ['platform']).inc({ platform: a.platform });
      a.allotted = observed;
      a.established = true;
      a.updatedAt = this.clock.now();
      await this.repo.saveAllocation(a);
    });
  }

  /** The platform's stock once every recent sale is heard and two reads agree; undefined if it will not settle. */
  private async stableRead(lane: Lane): Promise<number | undefined> {
    const sku = { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId };
    const channel = this.channels.get(lane.shop.platform);
    try {
      let before = await channel.getSkuStock(lane.shop, sku);
      for (let attempt = 0; attempt < STABLE_READ_ATTEMPTS; attempt++) {
        await this.orders.pollRecent(lane.connection.id);
        const after = await channel.getSkuStock(lane.shop, sku);
        if (after === before) return after;
        before = after;
      }
    } catch (error) {
      this.logger.warn(`reading ${lane.shop.platform} stock of ${sku.skuId} failed: ${(error as Error).message}`);
    }
    return undefined;
  }

  private async journal(lane: Lane, delta: number, triggerAt: number): Promise<StockWriteOpEntity> {
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
    });
    await this.db.transaction(() => this.repo.insertOp(op));
    return op;
  }

  private async finish(op: StockWriteOpEntity, status: StockWriteOpEntity['status'], note?: string): Promise<void> {
    op.status = status;
    op.settledAt = this.clock.now();
    if (note) op.note = note;
    await this.repo.saveOp(op);
    if (status === 'applied') {
      this.metrics.histogram('kwaizan_stock_propagation_seconds', 'From a stock change being accepted to the platform write acknowledged', ['platform'], [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30]).observe({ platform: op.platform }, Math.max(0, op.settledAt - op.triggerAt) / 1000);
    }
  }

  private async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      this.metrics.histogram('kwaizan_stock_sync_phase_seconds', 'Time spent per phase of a stock-writer run', ['phase'], [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]).observe({ phase: name }, (Date.now() - started) / 1000);
    }
  }

  /** Platform SKUs of this merchant SKU whose shop is connected and usable. */
  private async lanes(sku: MerchantSkuEntity): Promise<Lane[]> {
    const lanes: Lane[] = [];
    for (const binding of await this.bindings.listByMerchantSku(sku.id)) {
      const connection = await this.connectionsRepo.findById(binding.connectionId);
      if (!connection || connection.status !== 'active') continue;
      const allocation = (await this.repo.allocation(binding.id)) ?? undefined;
      lanes.push({ allocation, binding, connection, shop: { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId } });
    }
    return lanes;
  }
}

const failureKey = (bindingId: string) => `inventory:stock-write:${bindingId}`;
