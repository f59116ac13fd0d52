import { Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { Db } from '../database/db';
import { ErpPriceEntity } from './erp-price.entity';
import { ListingPriceEntity } from './listing-price.entity';
import { PriceDriftEntity } from './price-drift.entity';
import { PricePolicyEntity } from './price-policy.entity';
import { PriceWriteOpEntity } from './price-write-op.entity';

@Injectable()
export class PricingRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return this.db.manager;
  }

  policies(merchantId: string, scopes: string[]): Promise<PricePolicyEntity[]> {
    return this.m.getRepository(PricePolicyEntity).findBy({ merchantId, scope: In(scopes) });
  }

  allPolicies(merchantId: string): Promise<PricePolicyEntity[]> {
    return this.m.getRepository(PricePolicyEntity).findBy({ merchantId });
  }

  /**
   * The last seen price of every listing of the merchant that counts towards parity (as the DB-side
   * audit counts them: bound in an active shop, or an unbound twin where none is bound), in one query.
   */
  async countedListingsOfMerchant(merchantId: string): Promise<ListingPriceEntity[]> {
    const rows: ListingPriceRow[] = await this.m.query(
      `SELECT ${LISTING_PRICE_COLUMNS} FROM listing_price lp LEFT JOIN sku_binding b ON b.id = lp.binding_id ` +
        'JOIN shop_connection c ON c.id = COALESCE(b.connection_id, lp.connection_id) ' +
        "WHERE lp.merchant_id = ? AND c.status = 'active' " +
        `AND (b.id IS NOT NULL OR (lp.platform_item_id IS NOT NULL AND ${TWIN_FREE})) ORDER BY lp.merchant_sku_id`,
      [merchantId],
    );
    return rows.map(toListingPrice);
  }

  policy(merchantId: string, scope: string): Promise<PricePolicyEntity | null> {
    return this.m.getRepository(PricePolicyEntity).findOneBy({ merchantId, scope });
  }

  async savePolicy(policy: PricePolicyEntity): Promise<void> {
    await this.m.getRepository(PricePolicyEntity).save(policy);
  }

  async insertOp(op: PriceWriteOpEntity): Promise<void> {
    await this.m.getRepository(PriceWriteOpEntity).insert(op);
  }

  async insertOps(ops: PriceWriteOpEntity[]): Promise<void> {
    if (ops.length) await this.m.getRepository(PriceWriteOpEntity).insert(ops);
  }

  async saveOp(op: PriceWriteOpEntity): Promise<void> {
    await this.m.getRepository(PriceWriteOpEntity).save(op);
  }

  pendingOps(merchantSkuId: string): Promise<PriceWriteOpEntity[]> {
    return this.m
      .getRepository(PriceWriteOpEntity)
      .find({ where: { merchantSkuId, status: 'pending' }, order: { createdAt: 'ASC' } });
  }

  /** Merchant SKUs with a write journaled before `before` and never settled (its writer died). */
  async skusWithPendingOps(before: number, limit: number): Promise<string[]> {
    const rows = await this.m.getRepository(PriceWriteOpEntity).find({
      select: { merchantSkuId: true },
      where: { status: 'pending', createdAt: LessThan(before) },
      order: { createdAt: 'ASC' },
      take: limit * 4,
    });
    return [...new Set(rows.map((r) => r.merchantSkuId))].slice(0, limit);
  }

  /** The last price the service saw applied per binding (what the audit expects to find). */
  async lastApplied(merchantSkuId: string): Promise<Map<string, number>> {
    const ops = await this.m
      .getRepository(PriceWriteOpEntity)
      .find({ where: { merchantSkuId, status: 'applied' }, order: { createdAt: 'ASC' } });
    return new Map(ops.map((op) => [op.bindingId, op.priceFen]));
  }

  /** Whether a write of a change requested after `requestedAt` has been applied (a newer change won). */
  async writtenSince(merchantSkuId: string, requestedAt: number): Promise<boolean> {
    const n = await this.m
      .getRepository(PriceWriteOpEntity)
      .createQueryBuilder('op')
      .where('op.merchant_sku_id = :merchantSkuId AND op.status = :status', { merchantSkuId, status: 'applied' })
      .andWhere('(op.requested_at > :at OR (op.requested_at IS NULL AND op.created_at > :at))', { at: requestedAt })
      .getCount();
    return n > 0;
  }

  history(merchantSkuId: string, limit: number): Promise<PriceWriteOpEntity[]> {
    return this.m
      .getRepository(PriceWriteOpEntity)
      .find({ where: { merchantSkuId }, order: { createdAt: 'DESC' }, take: limit });
  }

  drifts(merchantSkuId: string, limit: number): Promise<PriceDriftEntity[]> {
    return this.m
      .getRepository(PriceDriftEntity)
      .find({ where: { merchantSkuId }, order: { createdAt: 'DESC' }, take: limit });
  }

  /** Journaled writes left pending, of several SKUs (oldest first). */
  pendingOpsOf(merchantSkuIds: string[]): Promise<PriceWriteOpEntity[]> {
    if (!merchantSkuIds.length) return Promise.resolve([]);
    return this.m
      .getRepository(PriceWriteOpEntity)
      .find({ where: { merchantSkuId: In(merchantSkuIds), status: 'pending' }, order: { createdAt: 'ASC' } });
  }

  /** The newest `limit` writes of each SKU, in one query (newest first). */
  historyOf(merchantSkuIds: string[], limit: number): Promise<PriceWriteOpEntity[]> {
    return this.newestPerSku(PriceWriteOpEntity, 'price_write_op', merchantSkuIds, limit);
  }

  /** The newest `limit` drift findings of each SKU, in one query (newest first). */
  driftsOf(merchantSkuIds: string[], limit: number): Promise<PriceDriftEntity[]> {
    return this.newestPerSku(PriceDriftEntity, 'price_drift', merchantSkuIds, limit);
  }

  private newestPerSku<T extends PriceWriteOpEntity | PriceDriftEntity>(
    entity: new () => T,
    table: string,
    merchantSkuIds: string[],
    limit: number,
  ): Promise<T[]> {
    if (!merchantSkuIds.length) return Promise.resolve([]);
    return this.m
      .getRepository(entity)
      .createQueryBuilder('x')
      .where(
        `x.id IN (SELECT r.id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY merchant_sku_id ` +
          `ORDER BY created_at DESC, id DESC) AS rn FROM ${table} WHERE merchant_sku_id IN (:...ids)) r WHERE r.rn <= :limit)`,
        { ids: merchantSkuIds, limit },
      )
      .orderBy('x.created_at', 'DESC')
      .addOrderBy('x.id', 'DESC')
      .getMany();
  }

  /** `lastApplied` of several SKUs in one query: merchant SKU → binding → price. */
  async lastAppliedOf(merchantSkuIds: string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>(merchantSkuIds.map((id) => [id, new Map()]));
    if (!merchantSkuIds.length) return out;
    const rows: { merchant_sku_id: string; binding_id: string; price_fen: number | string }[] = await this.m.query(
      'SELECT r.merchant_sku_id, r.binding_id, r.price_fen FROM (SELECT merchant_sku_id, binding_id, price_fen, ' +
        'ROW_NUMBER() OVER (PARTITION BY binding_id ORDER BY created_at DESC, id DESC) AS rn FROM price_write_op ' +
        `WHERE status = 'applied' AND merchant_sku_id IN (${merchantSkuIds.map(() => '?').join(', ')})) r WHERE r.rn = 1`,
      merchantSkuIds,
    );
    for (const r of rows) out.get(r.merchant_sku_id)?.set(r.binding_id, Number(r.price_fen));
    return out;
  }

  erpPricesOf(merchantSkuIds: string[]): Promise<ErpPriceEntity[]> {
    if (!merchantSkuIds.length) return Promise.resolve([]);
    return this.m.getRepository(ErpPriceEntity).findBy({ merchantSkuId: In(merchantSkuIds) });
  }

  /** `unboundListingPrices` of several SKUs in one query (newest first). */
  async unboundListingPricesOf(merchantSkuIds: string[]): Promise<ListingPriceEntity[]> {
    if (!merchantSkuIds.length) return [];
    const rows: ListingPriceRow[] = await this.m.query(
      `SELECT ${LISTING_PRICE_COLUMNS} FROM listing_price lp ` +
        `LEFT JOIN sku_binding b ON b.id = lp.binding_id WHERE lp.merchant_sku_id IN (${merchantSkuIds.map(() => '?').join(', ')}) AND b.id IS NULL ` +
        UNBOUND_COUNTED +
        'ORDER BY lp.observed_at DESC',
      merchantSkuIds,
    );
    return rows.map(toListingPrice);
  }

  async insertDrift(drift: Omit<PriceDriftEntity, 'id'>): Promise<void> {
    await this.m.getRepository(PriceDriftEntity).insert(drift);
  }

  erpPrice(merchantSkuId: string): Promise<ErpPriceEntity | null> {
    return this.m.getRepository(ErpPriceEntity).findOneBy({ merchantSkuId });
  }

  /** Row-locked on MariaDB (the caller runs in a transaction), so two deliveries compare sequences one at a time. */
  lockErpPrice(merchantSkuId: string): Promise<ErpPriceEntity | null> {
    const repo = this.m.getRepository(ErpPriceEntity);
    return this.db.isMysql
      ? repo.findOne({ where: { merchantSkuId }, lock: { mode: 'pessimistic_write' } })
      : repo.findOneBy({ merchantSkuId });
  }

  async saveErpPrice(row: ErpPriceEntity): Promise<void> {
    await this.m.getRepository(ErpPriceEntity).save(row);
  }

  /** The price each listing last showed, by binding id. */
  async listingPrices(bindingIds: string[]): Promise<Map<string, number>> {
    if (!bindingIds.length) return new Map();
    const rows = await this.m.getRepository(ListingPriceEntity).findBy({ bindingId: In(bindingIds) });
    return new Map(rows.map((r) => [r.bindingId, r.priceFen]));
  }

  /** The rows behind `listingPrices`, with when each price was seen. */
  listingPriceRows(bindingIds: string[]): Promise<ListingPriceEntity[]> {
    if (!bindingIds.length) return Promise.resolve([]);
    return this.m.getRepository(ListingPriceEntity).findBy({ bindingId: In(bindingIds) });
  }

  /** The last drift recorded for a listing. */
  lastDrift(bindingId: string): Promise<PriceDriftEntity | null> {
    return this.m
      .getRepository(PriceDriftEntity)
      .findOne({ where: { bindingId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async observe(rows: ListingPriceEntity[]): Promise<void> {
    if (rows.length) await this.m.getRepository(ListingPriceEntity).upsert(rows, ['bindingId']);
  }

  /**
   * DB-side parity audit: merchant SKUs whose last seen listing prices spread beyond `limitBp`
   * (exact on integer fen), paged by merchant SKU id: fewer than `limit` answered means no more.
   * Counted: every listing still bound in an active shop, and every known listing no longer bound
   * (an unbound twin) in an active shop, on a platform where no listing of the SKU is bound in an
   * active shop and not bound to anything since; rows of disconnected shops are stale.
   * Two steps: one grouped query over all kept rows, in index order with no join, finds the
   * candidates (a spread over the counted rows never exceeds the spread over all of them); the
   * same grouping over the counted rows of those candidates only confirms them.
   */
  async spreadViolations(
    limitBp: number,
    options: { merchantId?: string; after?: string; limit?: number } = {},
  ): Promise<{ merchantSkuId: string; merchantId: string; minFen: number; maxFen: number }[]> {
    const limit = options.limit ?? 10_000;
    const found: { merchantSkuId: string; merchantId: string; minFen: number; maxFen: number }[] = [];
    for (let after = options.after ?? ''; found.length < limit;) {
      const candidates = await this.spreadCandidates(limitBp, options.merchantId, after, limit);
      if (!candidates.length) break;
      found.push(...(await this.countedSpreads(limitBp, candidates)));
      if (candidates.length < limit) break;
      after = candidates[candidates.length - 1];
    }
    return found.slice(0, limit);
  }

  private async spreadCandidates(
    limitBp: number,
    merchantId: string | undefined,
    after: string,
    limit: number,
  ): Promise<string[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (merchantId) {
      where.push('lp.merchant_id = ?');
      params.push(merchantId);
    }
    if (after) {
      where.push('lp.merchant_sku_id > ?');
      params.push(after);
    }
    params.push(10_000 + limitBp, limit);
    const rows: { merchant_sku_id: string }[] = await this.m.query(
      `SELECT lp.merchant_sku_id FROM listing_price lp ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
        'GROUP BY lp.merchant_sku_id HAVING COUNT(*) > 1 AND MAX(lp.price_fen) * 10000 > MIN(lp.price_fen) * ? ' +
        'ORDER BY lp.merchant_sku_id LIMIT ?',
      params,
    );
    return rows.map((r) => r.merchant_sku_id);
  }

  private async countedSpreads(
    limitBp: number,
    merchantSkuIds: string[],
  ): Promise<{ merchantSkuId: string; merchantId: string; minFen: number; maxFen: number }[]> {
    const rows: { merchant_sku_id: string; merchant_id: string; min_fen: number | string; max_fen: number | string }[] =
      await this.m.query(
        'SELECT lp.merchant_sku_id, MIN(lp.merchant_id) AS merchant_id, MIN(lp.price_fen) AS min_fen, ' +
          'MAX(lp.price_fen) AS max_fen FROM listing_price lp LEFT JOIN sku_binding b ON b.id = lp.binding_id ' +
          'JOIN shop_connection c ON c.id = COALESCE(b.connection_id, lp.connection_id) ' +
          `WHERE lp.merchant_sku_id IN (${merchantSkuIds.map(() => '?').join(', ')}) AND c.status = 'active' ` +
          `AND (b.id IS NOT NULL OR (lp.platform_item_id IS NOT NULL AND ${TWIN_FREE})) GROUP BY lp.merchant_sku_id ` +
          'HAVING COUNT(*) > 1 AND MAX(lp.price_fen) * 10000 > MIN(lp.price_fen) * ? ORDER BY lp.merchant_sku_id',
        [...merchantSkuIds, 10_000 + limitBp],
      );
    return rows.map((r) => ({
      merchantSkuId: r.merchant_sku_id,
      merchantId: r.merchant_id,
      minFen: Number(r.min_fen),
      maxFen: Number(r.max_fen),
    }));
  }

  /**
   * Last seen prices of a merchant SKU's listings that are no longer bound (the row outlives its
   * binding) and not bound to anything since, in an active shop (a row that does not know its shop:
   * the merchant has an active shop on its platform): the guard counts them.
   */
  async unboundListingPrices(merchantSkuId: string): Promise<ListingPriceEntity[]> {
    const rows: ListingPriceRow[] = await this.m.query(
      `SELECT ${LISTING_PRICE_COLUMNS} FROM listing_price lp ` +
        'LEFT JOIN sku_binding b ON b.id = lp.binding_id WHERE lp.merchant_sku_id = ? AND b.id IS NULL ' +
        UNBOUND_COUNTED +
        'ORDER BY lp.observed_at DESC',
      [merchantSkuId],
    );
    return rows.map(toListingPrice);
  }

  /** Known listings of one shop that are no longer bound (the audit reads them with the shop's listings). */
  async unboundListingsOfConnection(connectionId: string): Promise<ListingPriceEntity[]> {
    const rows: ListingPriceRow[] = await this.m.query(
      `SELECT ${LISTING_PRICE_COLUMNS} FROM listing_price lp LEFT JOIN sku_binding b ON b.id = lp.binding_id ` +
        'WHERE lp.connection_id = ? AND b.id IS NULL',
      [connectionId],
    );
    return rows.map(toListingPrice);
  }

  /** A known listing that is gone from its platform is forgotten. */
  async forgetListing(bindingId: string): Promise<void> {
    await this.m.getRepository(ListingPriceEntity).delete({ bindingId });
  }

  /** The lowest parity limit any policy sets (a DB-side audit with it finds every candidate). */
  async lowestLimitBp(fallback: number): Promise<number> {
    const rows: { low: number | string | null }[] = await this.m.query(
      'SELECT MIN(parity_limit_bp) AS low FROM price_policy',
    );
    const low = rows[0]?.low;
    return low === null || low === undefined ? fallback : Math.min(fallback, Number(low));
  }
}

/** An unbound listing's row counts while its shop is active and it is not bound (to any SKU) again. */
const UNBOUND_COUNTED =
  "AND (EXISTS (SELECT 1 FROM shop_connection c WHERE c.id = lp.connection_id AND c.status = 'active') " +
  "OR (lp.connection_id IS NULL AND EXISTS (SELECT 1 FROM shop_connection c WHERE c.merchant_id = lp.merchant_id AND c.platform = lp.platform AND c.status = 'active'))) " +
  'AND NOT EXISTS (SELECT 1 FROM sku_binding k WHERE k.connection_id = lp.connection_id ' +
  'AND k.platform_item_id = lp.platform_item_id AND k.platform_sku_id = lp.platform_sku_id) ';

/**
 * An unbound listing counts only on a platform where no listing of its SKU is bound in an active
 * shop, and only while it is not bound again (to any SKU) since.
 */
const TWIN_FREE =
  'NOT EXISTS (SELECT 1 FROM sku_binding o JOIN shop_connection oc ON oc.id = o.connection_id ' +
  "WHERE o.merchant_sku_id = lp.merchant_sku_id AND o.platform = lp.platform AND oc.status = 'active') " +
  'AND NOT EXISTS (SELECT 1 FROM sku_binding k WHERE k.connection_id = lp.connection_id ' +
  'AND k.platform_item_id = lp.platform_item_id AND k.platform_sku_id = lp.platform_sku_id)';

interface ListingPriceRow {
  binding_id: string;
  merchant_id: string;
  merchant_sku_id: string;
  platform: string;
  price_fen: number | string;
  connection_id: string | null;
  platform_item_id: string | null;
  platform_sku_id: string | null;
  observed_at: number | string;
}

const LISTING_PRICE_COLUMNS =
  'lp.binding_id, lp.merchant_id, lp.merchant_sku_id, lp.platform, lp.price_fen, lp.connection_id, ' +
  'lp.platform_item_id, lp.platform_sku_id, lp.observed_at';

const toListingPrice = (r: ListingPriceRow): ListingPriceEntity =>
  Object.assign(new ListingPriceEntity(), {
    bindingId: r.binding_id,
    merchantId: r.merchant_id,
    merchantSkuId: r.merchant_sku_id,
    platform: r.platform,
    priceFen: Number(r.price_fen),
    connectionId: r.connection_id,
    platformItemId: r.platform_item_id,
    platformSkuId: r.platform_sku_id,
    observedAt: Number(r.observed_at),
  });
