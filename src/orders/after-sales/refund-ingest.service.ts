import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SkuBindingEntity } from '../../catalog/sku-binding.entity';
import { ShopIdentity, SkuBindingService } from '../../catalog/sku-binding.service';
import { CLOCK, Clock } from '../../common/clock';
import { ID_GENERATOR, IdGenerator } from '../../common/ids';
import { Db } from '../../database/db';
import { StockLedgerService } from '../../inventory/stock-ledger.service';
import {
  MerchantEventType,
  merchantEventRaisedTopic,
} from '../../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '../../messaging/outbox/outbox.service';
import { ChannelRefund, ChannelRefundStatus } from '../../platforms/ports/after-sales.port';
import { ChannelRegistry, CHANNELS } from '../../platforms/ports/channel.registry';
import { ChannelOrderLineEntity } from '../channel-order-line.entity';
import { ChannelOrderEntity } from '../channel-order.entity';
import { OrderIngestService } from '../order-ingest.service';
import { ChannelRefundEntity } from './channel-refund.entity';
import { RefundRepository } from './refund.repository';

export type RefundIngestOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

/** A refund in one of these never moves again: a later read that says otherwise is not taken. */
const FINAL: ChannelRefundStatus[] = ['succeeded', 'closed'];

/** Refund kinds that take the goods off the order (exchanges, re-sends and repairs do not). */
const TAKES_GOODS: ChannelRefund['kind'][] = ['refund_only', 'return_and_refund'];

/** A stable UUID (v5 layout) for one fact, so a repeated event carries the same `eventId`. */
export function stableEventId(fact: string): string {
  const hex = createHash('sha1').update(`kwaizan:${fact}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Units a refund puts back on sale: it succeeded, takes the goods (not an exchange, not price
 * protection) and paid back in full what the buyer paid for its units; a refund for less (money
 * only, price difference) leaves the goods to ship. Whether they were still unshipped is the
 * ledger's to judge (it releases nothing of a shipped line: returns come back through the ERP).
 */
export function restockUnitsOf(refund: ChannelRefundEntity, covered: ChannelOrderLineEntity[]): number {
  if (refund.status !== 'succeeded' || !TAKES_GOODS.includes(refund.kind) || refund.priceProtection) return 0;
  if (!covered.length) return 0;
  if (covered.length === 1) {
    const line = covered[0];
    const units = Math.min(refund.quantity ?? line.quantity, line.quantity);
    const owed = Math.floor((line.paidFen * units) / Math.max(1, line.quantity));
    return units > 0 && refund.amountFen >= owed ? units : 0;
  }
  const owed = covered.reduce((sum, l) => sum + l.paidFen, 0);
  return refund.amountFen >= owed ? covered.reduce((sum, l) => sum + l.quantity, 0) : 0;
}

function lineIdsOf(refund: ChannelRefundEntity): string[] {
  return refund.platformLineIds ? refund.platformLineIds.split(',').filter(Boolean) : [];
}

/**
 * The after-sales registry: one row per platform refund, updated from the refund's current state
 * as the platform's detail read shows it (level-triggered: pushes and the poll backstop both end
 * here, so duplicated, late and lost pushes converge). Stock moves only by the ledger's refund
 * rule, from each line's running total of units refunds put back on sale, so no repeat or
 * reordering releases a unit twice.
 */
@Injectable()
export class RefundIngestService {
  constructor(
    private readonly db: Db,
    private readonly refunds: RefundRepository,
    private readonly orders: OrderIngestService,
    private readonly bindings: SkuBindingService,
    private readonly ledger: StockLedgerService,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
  ) {}

  /** Reads the refund's detail from the platform and takes it in. */
  async refresh(
    shop: ShopIdentity,
    refundId: string,
    options: { orderFresh?: boolean } = {},
  ): Promise<RefundIngestOutcome> {
    const detail = await this.channels.afterSales(shop.platform).getRefund(shop, refundId);
    return this.ingest(shop, detail, options);
  }

  /** A refund from the platform's list: its detail (units, price protection, lines) is read only when the list shows it newer. */
  async ingestListed(
    shop: ShopIdentity,
    listed: ChannelRefund,
    options: { orderFresh?: boolean } = {},
  ): Promise<RefundIngestOutcome> {
    const known = await this.refunds.findByPlatformId(shop.platform, listed.refundId);
    if (known && known.platformUpdatedAt >= listed.updatedAt)
      return known.platformUpdatedAt > listed.updatedAt ? 'stale' : 'unchanged';
    return this.refresh(shop, listed.refundId, options);
  }

  /**
   * Takes in a refund's detail. `orderFresh`: the caller has just read the order; otherwise it is
   * read first when unknown or when the refund has just succeeded (its lines may have shipped or
   * closed meanwhile, and only unshipped units come back).
   */
  async ingest(
    shop: ShopIdentity,
    refund: ChannelRefund,
    options: { orderFresh?: boolean } = {},
  ): Promise<RefundIngestOutcome> {
    const known = await this.refunds.findByPlatformId(shop.platform, refund.refundId);
    if (known && known.platformUpdatedAt > refund.updatedAt) return 'stale';
    if (
      known &&
      known.platformUpdatedAt === refund.updatedAt &&
      (known.status === refund.status || FINAL.includes(known.status)) &&
      known.orderId
    )
      return 'unchanged';
    const finishing = refund.status === 'succeeded' && known?.status !== 'succeeded';
    if (
      refund.orderId &&
      !options.orderFresh &&
      (finishing || !(await this.refunds.order(shop.platform, refund.orderId)))
    )
      await this.refreshOrder(shop, refund.orderId);

    return this.db.transaction(async () => {
      const now = this.clock.now();
      const order = refund.orderId ? await this.refunds.order(shop.platform, refund.orderId) : null;
      if (order) await this.refunds.lockOrder(order.id);
      let row = await this.refunds.lockByPlatformId(shop.platform, refund.refundId);
      let created = false;
      if (!row) {
        const fresh = this.newRefund(shop, refund, now);
        created = await this.refunds.insert(fresh);
        row = created ? fresh : await this.refunds.lockByPlatformId(shop.platform, refund.refundId);
        if (!row) throw new Error(`refund ${refund.refundId} vanished while ingesting`);
      }
      if (!created && refund.updatedAt < row.platformUpdatedAt) return 'stale' as const;
      const previousStatus = created ? undefined : row.status;
      const status = previousStatus && FINAL.includes(previousStatus) ? previousStatus : refund.status;
      const changed = created || status !== row.status || refund.updatedAt !== row.platformUpdatedAt;
      const lines = order ? await this.refunds.lines(order.id) : [];
      const lineIds = refund.lineIds.length
        ? refund.lineIds
        : lineIdsOf(row).length
          ? lineIdsOf(row)
          : lines.length === 1
            ? [lines[0].platformLineId]
            : [];
      Object.assign(row, {
        orderId: order?.id ?? row.orderId,
        platformOrderId: (refund.orderId || row.platformOrderId).slice(0, 64),
        platformLineIds: lineIds.join(',').slice(0, 400),
        status,
        rawStatus: status === refund.status ? refund.rawStatus.slice(0, 40) : row.rawStatus,
        kind: refund.kind,
        priceProtection: refund.priceProtection === undefined ? row.priceProtection : refund.priceProtection ? 1 : 0,
        quantity: refund.quantity ?? row.quantity,
        amountFen: refund.amountFen,
        reason: refund.reason?.slice(0, 200) ?? row.reason,
        platformCreatedAt: refund.createdAt || row.platformCreatedAt,
        platformUpdatedAt: refund.updatedAt,
        updatedAt: now,
      });
      row.restockUnits = restockUnitsOf(
        row,
        lines.filter((l) => lineIds.includes(l.platformLineId)),
      );
      await this.refunds.save(row);
      if (order)
        await this.applyStock(order, lines, (line) =>
          this.bindings.resolve(shop, {
            platformItemId: line.platformItemId,
            platformSkuId: line.platformSkuId,
            outerSkuId: line.outerSkuId ?? undefined,
          }),
        );
      if (changed) await this.raise(row, order, previousStatus, now);
      return created ? ('created' as const) : changed ? ('updated' as const) : ('unchanged' as const);
    });
  }

  /**
   * A line that arrived before its SKU was bound held nothing, so its refunds released nothing:
   * once the binding attached it (and it holds its units), they release what they put back on sale.
   */
  async applyForBinding(binding: SkuBindingEntity): Promise<void> {
    for (const orderId of await this.refunds.ordersWithRestockingRefunds(binding)) {
      await this.db.transaction(async () => {
        const order = await this.refunds.lockOrder(orderId);
        if (!order) return;
        const lines = await this.refunds.lines(order.id);
        await this.applyStock(order, lines, async (line) =>
          line.platformItemId === binding.platformItemId && line.platformSkuId === binding.platformSkuId
            ? binding
            : null,
        );
      });
    }
  }

  /** Each bound line releases what the running total of its refunds' restocked units adds to what was released. */
  private async applyStock(
    order: ChannelOrderEntity,
    lines: ChannelOrderLineEntity[],
    bindingOf: (line: ChannelOrderLineEntity) => Promise<{ id: string; merchantSkuId: string } | null>,
  ): Promise<void> {
    const refunds = (await this.refunds.refundsOfOrder(order.platform, order.platformOrderId)).filter(
      (r) => r.restockUnits > 0,
    );
    for (const line of lines) {
      if (!line.merchantSkuId) continue;
      let total = 0;
      for (const refund of refunds) {
        const ids = lineIdsOf(refund);
        if (!ids.includes(line.platformLineId)) continue;
        total += ids.length === 1 ? refund.restockUnits : line.quantity;
      }
      if (total <= 0) continue;
      const binding = await bindingOf(line);
      if (!binding) continue;
      await this.ledger.release(
        {
          orderLineId: line.id,
          merchantSkuId: binding.merchantSkuId,
          bindingId: binding.id,
          platform: order.platform,
          quantity: line.quantity,
        },
        'refunded',
        Math.min(total, line.quantity),
      );
    }
  }

  private async raise(
    row: ChannelRefundEntity,
    order: ChannelOrderEntity | null,
    previousStatus: ChannelRefundStatus | undefined,
    now: number,
  ): Promise<void> {
    const subject = order?.id ?? `${row.platform}:${row.platformOrderId}`;
    const data = {
      refundId: row.id,
      platform: row.platform,
      platformRefundId: row.platformRefundId,
      orderId: row.orderId,
      platformOrderId: row.platformOrderId,
      platformLineIds: lineIdsOf(row),
      status: row.status,
      previousStatus: previousStatus ?? null,
      kind: row.kind,
      priceProtection: row.priceProtection === 1,
      amountFen: row.amountFen,
      quantity: row.quantity,
      restockUnits: row.restockUnits,
      platformUpdatedAt: row.platformUpdatedAt,
    };
    const event = (type: MerchantEventType, fact: string) =>
      this.outbox.enqueue(merchantEventRaisedTopic, {
        eventId: stableEventId(fact),
        merchantId: row.merchantId,
        type,
        subject: subject.slice(0, 128),
        occurredAt: now,
        data,
      });
    await event(
      'refund.updated',
      `refund.updated:${row.platform}:${row.platformRefundId}:${row.status}:${row.platformUpdatedAt}`,
    );
    if (row.status === 'succeeded' && previousStatus !== 'succeeded')
      await event('order.refunded', `order.refunded:${row.platform}:${row.platformRefundId}`);
  }

  private async refreshOrder(shop: ShopIdentity, platformOrderId: string): Promise<void> {
    const order = await this.channels.orders(shop.platform).getOrder(shop, platformOrderId);
    await this.orders.ingest(shop, order, { recheckLines: true });
  }

  private newRefund(shop: ShopIdentity, refund: ChannelRefund, now: number): ChannelRefundEntity {
    return Object.assign(new ChannelRefundEntity(), {
      id: this.ids.uuid(),
      merchantId: shop.merchantId,
      connectionId: shop.connectionId,
      platform: shop.platform,
      platformRefundId: refund.refundId.slice(0, 64),
      platformOrderId: refund.orderId.slice(0, 64),
      orderId: null,
      platformLineIds: '',
      status: refund.status,
      rawStatus: refund.rawStatus.slice(0, 40),
      kind: refund.kind,
      priceProtection: refund.priceProtection ? 1 : 0,
      quantity: refund.quantity ?? null,
      restockUnits: 0,
      amountFen: refund.amountFen,
      reason: refund.reason?.slice(0, 200) ?? null,
      platformCreatedAt: refund.createdAt,
      platformUpdatedAt: refund.updatedAt,
      createdAt: now,
      updatedAt: now,
    });
  }
}
