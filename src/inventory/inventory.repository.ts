import { Injectable } from '@nestjs/common';
import { In, LessThan, MoreThan } from 'typeorm';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import { MetricsService } from '../ops/metrics/metrics.service';
import { ChannelAllocationEntity } from './channel-allocation.entity';
import { ShopLeavingEntity } from './shop-leaving.entity';
import { StockDriftEntity } from './stock-drift.entity';
import { StockLedgerEntity } from './stock-ledger.entity';
import { ReservationKind, StockReservationEntity } from './stock-reservation.entity';
import { DECREASE_OUTCOME_UNKNOWN, StockWriteOpEntity, StockWriteStatus } from './stock-write-op.entity';
import { METRICS } from '@app/ops/metrics/metric-names';

/** Every query of the stock ledger, reservations, allocations and the write journal. */
@Injectable()
export class InventoryRepository {
  constructor(
    private readonly db: Db,
    private readonly metrics: MetricsService,
  ) {}

  private get m() {
    return this.db.manager;
  }

  /** Locks the SKU's ledger row, creating it (unreported, 0 on hand) when missing. Every stock decision starts here. */
  async lockLedger(merchantSkuId: string, now: number): Promise<StockLedgerEntity> {
    const repo = this.m.getRepository(StockLedgerEntity);
    const lock = () =>
      this.db
        .forUpdate(repo.createQueryBuilder('l').where('l.merchant_sku_id = :merchantSkuId', { merchantSkuId }))
        .getOne();
    const started = Date.now();
    const found = await lock();
    this.metrics.histogram(METRICS.ledgerLockWaitSeconds).observe((Date.now() - started) / 1000);
    if (found) return found;
    try {
      await repo.insert({ merchantSkuId, onHand: 0, onHandSeq: 0, updatedAt: now });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    return (await lock())!;
  }

  findLedger(merchantSkuId: string): Promise<StockLedgerEntity | null> {
    return this.m.getRepository(StockLedgerEntity).findOneBy({ merchantSkuId });
  }

  async saveLedger(ledger: StockLedgerEntity): Promise<void> {
    await this.m.getRepository(StockLedgerEntity).save(ledger);
  }

  /** Appends a reservation entry; false when the line already has one of this kind. */
  async addReservation(entry: Omit<StockReservationEntity, 'id'>): Promise<boolean> {
    try {
      await this.m.getRepository(StockReservationEntity).insert(entry);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** A line's refunded units grow with each refund that puts more of them back on sale (caller holds the ledger lock). */
  async setReservationQuantity(entry: StockReservationEntity, quantity: number): Promise<void> {
    await this.m.getRepository(StockReservationEntity).update({ id: entry.id }, { quantity });
  }

  async reservationKinds(orderLineId: string): Promise<Map<ReservationKind, StockReservationEntity>> {
    const rows = await this.m.getRepository(StockReservationEntity).findBy({ orderLineId });
    return new Map(rows.map((r) => [r.kind, r]));
  }

  /** Shipments of the SKU recorded at or before `recordedBy` that no ERP report has counted yet. */
  uncountedShipments(merchantSkuId: string, recordedBy: number): Promise<StockReservationEntity[]> {
    return this.m
      .getRepository(StockReservationEntity)
      .createQueryBuilder('r')
      .where("r.merchant_sku_id = :merchantSkuId AND r.kind = 'shipped' AND r.created_at <= :recordedBy", {
        merchantSkuId,
        recordedBy,
      })
      .andWhere(
        "NOT EXISTS (SELECT 1 FROM stock_reservation c WHERE c.order_line_id = r.order_line_id AND c.kind = 'counted')",
      )
      .getMany();
  }

  /** Units held by open order lines and uncounted shipments: placed − cancelled − refunded − counted. */
  async openReserved(merchantSkuId: string): Promise<number> {
    const rows: { kind: ReservationKind; q: string | number | null }[] = await this.m
      .getRepository(StockReservationEntity)
      .createQueryBuilder('r')
      .select('r.kind', 'kind')
      .addSelect('SUM(r.quantity)', 'q')
      .where('r.merchant_sku_id = :merchantSkuId', { merchantSkuId })
      .groupBy('r.kind')
      .getRawMany();
    const sign: Record<ReservationKind, number> = { placed: 1, cancelled: -1, refunded: -1, shipped: 0, counted: -1 };
    return rows.reduce((sum, r) => sum + (sign[r.kind] ?? 0) * Number(r.q ?? 0), 0);
  }

  allocations(merchantSkuId: string): Promise<ChannelAllocationEntity[]> {
    return this.m.getRepository(ChannelAllocationEntity).find({ where: { merchantSkuId }, order: { platform: 'ASC' } });
  }

  allocation(bindingId: string): Promise<ChannelAllocationEntity | null> {
    return this.m.getRepository(ChannelAllocationEntity).findOneBy({ bindingId });
  }

  async ensureAllocation(
    bindingId: string,
    merchantSkuId: string,
    platform: string,
    now: number,
  ): Promise<ChannelAllocationEntity> {
    const existing = await this.allocation(bindingId);
    if (existing) return existing;
    const created = Object.assign(new ChannelAllocationEntity(), {
      bindingId,
      merchantSkuId,
      platform,
      allotted: 0,
      target: 0,
      established: false,
      soldRecent: 0,
      demandMilli: 0,
      lastSaleAt: null,
      lastGrantAt: null,
      updatedAt: now,
      heardSold: 0,
      pinned: false,
      obsAllotted: null,
      obsVisible: null,
      obsHeard: null,
      obsReadAt: null,
      setReadAt: null,
      unwritable: null,
    });
    try {
      await this.m.getRepository(ChannelAllocationEntity).insert(created);
      return created;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.allocation(bindingId))!;
    }
  }

  async saveAllocation(allocation: ChannelAllocationEntity): Promise<void> {
    await this.m.getRepository(ChannelAllocationEntity).save(allocation);
  }

  async deleteAllocation(bindingId: string): Promise<void> {
    await this.m.getRepository(ChannelAllocationEntity).delete({ bindingId });
  }

  /**
   * SKUs where a platform that sold recently shows nothing while another still holds units:
   * scarce stock sitting where nobody buys.
   */
  async stranded(soldSince: number, idleSince: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.m.query(
      `SELECT DISTINCT empty.merchant_sku_id AS id FROM channel_allocation empty
       JOIN channel_allocation held ON held.merchant_sku_id = empty.merchant_sku_id AND held.binding_id <> empty.binding_id
       WHERE empty.allotted <= 0 AND empty.last_sale_at >= ? AND held.allotted > 0
         AND COALESCE(held.last_sale_at, 0) < ? AND COALESCE(held.last_grant_at, 0) < ? LIMIT ?`,
      [soldSince, idleSince, idleSince, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Marks a shop as being disconnected (until `until`), for the stock writers of every instance. */
  async markLeaving(connectionId: string, now: number, until: number): Promise<void> {
    await this.m.getRepository(ShopLeavingEntity).save({ connectionId, startedAt: now, until });
  }

  async clearLeaving(connectionId: string): Promise<void> {
    await this.m.getRepository(ShopLeavingEntity).delete({ connectionId });
  }

  /** Shops being disconnected right now. */
  async leavingConnections(now: number): Promise<Set<string>> {
    const rows = await this.m.getRepository(ShopLeavingEntity).find({ where: { until: MoreThan(now) } });
    return new Set(rows.map((r) => r.connectionId));
  }

  async halveRecentSales(): Promise<void> {
    await this.db.transaction((m) =>
      m.query(
        'UPDATE channel_allocation SET sold_recent = (sold_recent - (sold_recent % 2)) / 2 WHERE sold_recent > 0',
      ),
    );
  }

  async insertOp(op: StockWriteOpEntity): Promise<void> {
    await this.m.getRepository(StockWriteOpEntity).insert(op);
  }

  async saveOp(op: StockWriteOpEntity): Promise<void> {
    await this.m.getRepository(StockWriteOpEntity).save(op);
  }

  /** Writes whose outcome is not settled yet, journaled by writers older than `belowToken` (gone, or fenced off). */
  unsettledOps(merchantSkuId: string, belowToken: number): Promise<StockWriteOpEntity[]> {
    return this.m.getRepository(StockWriteOpEntity).find({
      where: {
        merchantSkuId,
        status: In<StockWriteStatus>(['pending', 'unknown']),
        writerToken: LessThan(belowToken),
      },
      order: { createdAt: 'ASC' },
    });
  }

  /** Whether a write to this platform SKU may still be applied by the platform (in flight, or its answer was lost recently). */
  async mayStillLand(bindingId: string, now: number): Promise<boolean> {
    const repo = this.m.getRepository(StockWriteOpEntity);
    const inFlight = await repo.countBy({ bindingId, status: In<StockWriteStatus>(['pending', 'unknown']) });
    return inFlight > 0 || (await repo.countBy({ bindingId, uncertainUntil: MoreThan(now) })) > 0;
  }

  /**
   * Whether a write that would make a read of this platform SKU taken now under-count may still
   * land: any write in flight or answered ambiguously recently, except incremental decreases
   * counted as not applied (landing later, one only lowers what the platform shows).
   */
  async mayStillLandAbove(bindingId: string, now: number): Promise<boolean> {
    const repo = this.m.getRepository(StockWriteOpEntity);
    const inFlight = await repo.countBy({ bindingId, status: In<StockWriteStatus>(['pending', 'unknown']) });
    if (inFlight > 0) return true;
    const uncertain = await repo.find({ where: { bindingId, uncertainUntil: MoreThan(now) } });
    return uncertain.some(
      (op) => !(op.delta < 0 && op.status === 'not_applied' && op.note === DECREASE_OUTCOME_UNKNOWN),
    );
  }

  /**
   * SKUs whose writer has work left without a trigger of its own: a lease holder that died with
   * triggers deferred to it, read-backs waiting for the order feed, or a removed binding's listing
   * still to lower to 0.
   */
  async skusAwaitingWriter(now: number, limit: number, withObservations = true): Promise<string[]> {
    const rows: { id: string }[] = withObservations
      ? await this.m.query(
          `SELECT merchant_sku_id AS id FROM stock_ledger WHERE rerun > 0 AND writer_until < ?
           UNION SELECT merchant_sku_id AS id FROM channel_allocation WHERE obs_read_at IS NOT NULL AND obs_read_at < ?
           UNION SELECT merchant_sku_id AS id FROM channel_allocation WHERE drain_connection_id IS NOT NULL LIMIT ?`,
          [now, now, limit],
        )
      : await this.m.query(
          'SELECT merchant_sku_id AS id FROM stock_ledger WHERE rerun > 0 AND writer_until < ? LIMIT ?',
          [now, limit],
        );
    return rows.map((r) => r.id);
  }

  /** Allocations the stock writer cannot lower right now (their units stay counted). */
  unwritableAllocations(limit: number, exceptPrefix: string): Promise<ChannelAllocationEntity[]> {
    return this.m
      .getRepository(ChannelAllocationEntity)
      .createQueryBuilder('a')
      .where('a.unwritable IS NOT NULL AND a.unwritable NOT LIKE :prefix', { prefix: `${exceptPrefix}%` })
      .orderBy('a.updated_at', 'DESC')
      .limit(limit)
      .getMany();
  }

  async skusWithUnsettledOps(olderThan: number, limit: number): Promise<string[]> {
    const rows: { sku: string }[] = await this.m
      .getRepository(StockWriteOpEntity)
      .createQueryBuilder('o')
      .select('DISTINCT o.merchant_sku_id', 'sku')
      .where('o.status IN (:...statuses)', { statuses: ['pending', 'unknown'] })
      .andWhere('o.created_at < :olderThan', { olderThan })
      .limit(limit)
      .getRawMany();
    return rows.map((r) => r.sku);
  }

  recentOps(merchantSkuId: string, limit: number): Promise<StockWriteOpEntity[]> {
    return this.m
      .getRepository(StockWriteOpEntity)
      .find({ where: { merchantSkuId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Retention: drift records made before the cutoff; returns how many went. */
  async deleteDriftRecordedBefore(cutoff: number): Promise<number> {
    return (await this.m.getRepository(StockDriftEntity).delete({ createdAt: LessThan(cutoff) })).affected ?? 0;
  }

  /** Retention: only settled writes; a pending or unknown one is still needed to settle its outcome. */
  async deleteOpsSettledBefore(cutoff: number): Promise<number> {
    const settled: StockWriteStatus[] = ['applied', 'not_applied', 'reconciled'];
    const result = await this.m
      .getRepository(StockWriteOpEntity)
      .delete({ status: In(settled), settledAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  async insertDrift(drift: Omit<StockDriftEntity, 'id'>): Promise<void> {
    await this.m.getRepository(StockDriftEntity).insert(drift);
  }

  async driftCountsSince(since: number): Promise<Record<string, number>> {
    const rows = await this.m
      .getRepository(StockDriftEntity)
      .createQueryBuilder('d')
      .select('d.platform', 'platform')
      .addSelect('COUNT(*)', 'n')
      .where('d.created_at >= :since', { since })
      .groupBy('d.platform')
      .getRawMany<{ platform: string; n: number | string }>();
    return Object.fromEntries(rows.map((r) => [r.platform, Number(r.n)]));
  }

  async driftCountsByBindingSince(since: number): Promise<{ bindingId: string; platform: string; n: number }[]> {
    const rows = await this.m
      .getRepository(StockDriftEntity)
      .createQueryBuilder('d')
      .select('d.binding_id', 'bindingId')
      .addSelect('d.platform', 'platform')
      .addSelect('COUNT(*)', 'n')
      .where('d.created_at >= :since', { since })
      .groupBy('d.binding_id')
      .addGroupBy('d.platform')
      .getRawMany<{ bindingId: string; platform: string; n: number | string }>();
    return rows.map((r) => ({ bindingId: r.bindingId, platform: r.platform, n: Number(r.n) }));
  }

  recentDrifts(merchantSkuId: string, limit: number): Promise<StockDriftEntity[]> {
    return this.m
      .getRepository(StockDriftEntity)
      .find({ where: { merchantSkuId }, order: { createdAt: 'DESC' }, take: limit });
  }

  async managedSkuIds(limit: number, afterId = ''): Promise<string[]> {
    const rows = await this.m
      .getRepository(StockLedgerEntity)
      .createQueryBuilder('l')
      .select('l.merchant_sku_id', 'id')
      .where('l.on_hand_seq > 0 AND l.merchant_sku_id > :afterId', { afterId })
      .orderBy('l.merchant_sku_id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }
}
