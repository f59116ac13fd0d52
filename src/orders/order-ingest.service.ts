import { Inject, Injectable, Optional } from '@nestjs/common';
import { ShopIdentity, SkuBindingService } from '../catalog/sku-binding.service';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { StockLedgerService } from '../inventory/stock-ledger.service';
import { merchantEventRaisedTopic } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { orderChangedTopic } from '../messaging/contracts/order-changed/order-changed.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { Platform } from '../platforms/ports/platform.types';
import { ChannelOrder, ChannelOrderStatus } from '../platforms/ports/orders.port';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { ChannelOrderLineEntity, LineStockState } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';
import { orderTransitionEvents, stableEventId } from './order-events';
import { OrderRepository } from './order.repository';
import { DEFAULT_PROMISE_HOURS, isHigherRisk, riskLevel, shipDeadline } from './ship-deadline';
import { METRICS } from '@app/ops/metrics/metric-names';

export type IngestOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

/** How far an order's platform time, moved to our clock, may be later than the moment it took stock. */
const SALE_TIME_UNCERTAINTY_MS = 3_000;

const SHIPPED: ChannelOrderStatus[] = ['shipped', 'delivered', 'completed'];

/** What a line should have done to stock, given what the platform says now. */
function desiredState(
  status: ChannelOrderStatus,
  refundedQuantity: number,
): { state: Exclude<LineStockState, 'unbound'>; releaseKind?: 'cancelled' | 'refunded' } {
  if (status === 'cancelled') return { state: 'released', releaseKind: 'cancelled' };
  if (SHIPPED.includes(status)) return { state: 'shipped' };
  if (refundedQuantity > 0) return { state: 'released', releaseKind: 'refunded' };
  return { state: 'held' };
}

/**
 * The order registry: one row per (platform, platform order id), updated from the platform's
 * current state (level-triggered), so duplicated, late or lost pushes all converge. Each line's
 * stock effect (hold, release, ship) commits with the order.
 */
@Injectable()
export class OrderIngestService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly bindings: SkuBindingService,
    private readonly ledger: StockLedgerService,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Optional() @Inject(CHANNELS) private readonly channels?: ChannelRegistry,
  ) {}

  /** `recheckLines`: the order's lines may have changed without its update time (a refund), so compare them too. */
  async ingest(
    shop: ShopIdentity,
    order: ChannelOrder,
    options: { recheckLines?: boolean } = {},
  ): Promise<IngestOutcome> {
    // Polls and settlement re-read many orders that did not change: answer those without locking.
    const known = await this.orders.findByPlatformId(order.platform, order.orderId);
    if (
      known &&
      !options.recheckLines &&
      known.platformUpdatedAt >= order.updatedAt &&
      (known.platformUpdatedAt > order.updatedAt || known.status === order.status)
    ) {
      const outcome = known.platformUpdatedAt > order.updatedAt ? 'stale' : 'unchanged';
      this.metrics.counter(METRICS.ordersIngestedTotal).inc({ platform: order.platform, outcome });
      return outcome;
    }
    const outcome = await this.db.transaction(async () => {
      const now = this.clock.now();
      let row = await this.orders.lockByPlatformId(order.platform, order.orderId);
      let created = false;
      if (!row) {
        const fresh = this.newOrder(shop, order, now);
        created = await this.orders.insertOrder(fresh);
        row = created ? fresh : await this.orders.lockByPlatformId(order.platform, order.orderId);
        if (!row) throw new Error(`order ${order.orderId} vanished while ingesting`);
      }
      if (!created && order.updatedAt < row.platformUpdatedAt) return 'stale' as const;
      const previousStatus = created ? undefined : row.status;
      const changed = created || row.status !== order.status || row.platformUpdatedAt !== order.updatedAt;
      Object.assign(row, this.orderFields(order), { updatedAt: now });
      await this.applyDeadline(row, order, now);
      await this.orders.saveOrder(row);
      const existing = new Map((await this.orders.lines(row.id)).map((l) => [l.platformLineId, l]));
      for (const line of order.lines) {
        const binding = await this.bindings.resolve(shop, {
          platformItemId: line.itemId,
          platformSkuId: line.skuId,
          outerSkuId: line.outerSkuId,
        });
        const lineRow =
          existing.get(line.lineId) ??
          Object.assign(new ChannelOrderLineEntity(), {
            id: this.ids.uuid(),
            orderId: row.id,
            platformLineId: line.lineId,
            stockState: 'unbound' as LineStockState,
          });
        Object.assign(lineRow, {
          platformItemId: line.itemId,
          platformSkuId: line.skuId,
          outerSkuId: line.outerSkuId ?? null,
          merchantSkuId: binding?.merchantSkuId ?? null,
          title: line.title.slice(0, 200),
          quantity: line.quantity,
          unitPriceFen: line.unitPriceFen,
          discountFen: line.discountFen,
          paidFen: line.paidFen,
          // Youzan's order list carries no refund state: keep what a detailed read said.
          refundStatus: line.refundStatus ?? lineRow.refundStatus ?? 'none',
          refundedQuantity: line.refundedQuantity ?? lineRow.refundedQuantity ?? 0,
        });
        if (binding)
          await this.applyStock(
            lineRow,
            binding,
            order.status,
            order.platform,
            lineRow.refundedQuantity,
            this.soldAtLocal(order),
          );
        await this.orders.saveLine(lineRow);
      }
      if (changed) {
        await this.outbox.enqueue(orderChangedTopic, {
          orderId: row.id,
          merchantId: row.merchantId,
          platform: row.platform,
          platformOrderId: row.platformOrderId,
          status: row.status,
          previousStatus,
          platformUpdatedAt: row.platformUpdatedAt,
        });
        for (const type of orderTransitionEvents(previousStatus, row.status))
          await this.outbox.enqueue(merchantEventRaisedTopic, {
            eventId: stableEventId(row.id, type),
            merchantId: row.merchantId,
            type,
            subject: row.id,
            occurredAt: type === 'order.created' ? row.platformCreatedAt || now : row.platformUpdatedAt || now,
            data: {
              orderId: row.id,
              platform: row.platform,
              platformOrderId: row.platformOrderId,
              erpOrderId: row.erpOrderId,
              status: row.status,
              previousStatus: previousStatus ?? null,
              paidFen: row.paidFen,
              deadlineAt: row.deadlineAt,
            },
          });
      }
      return created ? ('created' as const) : changed ? ('updated' as const) : ('unchanged' as const);
    });
    this.metrics.counter(METRICS.ordersIngestedTotal).inc({ platform: order.platform, outcome });
    return outcome;
  }

  /** Lines that arrived before their SKU was bound get their stock effect now. */
  async attachUnboundLines(binding: SkuBindingEntity): Promise<number> {
    return this.db.transaction(async () => {
      const pending = await this.orders.unboundLines(
        binding.connectionId,
        binding.platformItemId,
        binding.platformSkuId,
      );
      for (const { line, order } of pending) {
        line.merchantSkuId = binding.merchantSkuId;
        await this.applyStock(line, binding, order.status, order.platform, line.refundedQuantity);
        await this.orders.saveLine(line);
      }
      return pending.length;
    });
  }

  /**
   * When the order took stock, on our clock, no later than it really did: its platform time
   * (Youzan: whole seconds, rounded down) less the platform's clock offset and that offset's
   * uncertainty (the `Date` header's second plus the answer's travel). Unknown before the
   * platform's clock was seen.
   */
  private soldAtLocal(order: ChannelOrder): number | undefined {
    const offset = this.channels?.orders(order.platform as Platform).clockOffsetMs?.();
    if (offset === undefined || !order.createdAt) return undefined;
    return order.createdAt - offset - SALE_TIME_UNCERTAINTY_MS;
  }

  private async applyStock(
    line: ChannelOrderLineEntity,
    binding: SkuBindingEntity,
    status: ChannelOrderStatus,
    platform: string,
    refundedQuantity = 0,
    soldAt?: number,
  ): Promise<void> {
    const want = desiredState(status, refundedQuantity);
    const ref = {
      orderLineId: line.id,
      merchantSkuId: binding.merchantSkuId,
      bindingId: binding.id,
      platform,
      quantity: line.quantity,
      soldAt,
    };
    const from = line.stockState;
    // Returns after shipment reach stock through the ERP's count.
    if (from === 'shipped' || (from === want.state && want.releaseKind !== 'cancelled')) return;
    if (want.state === 'held') {
      if (from !== 'unbound') return;
      await this.ledger.hold(ref);
    } else if (want.state === 'shipped') {
      // A line a refund partly released still ships its other units; one released in full ships none.
      if (!(await this.ledger.ship(ref)) && from === 'released') return;
    } else if (want.releaseKind === 'cancelled') {
      // Cancelling also frees what a partial refund left held; a line never held has nothing to free.
      if (from !== 'unbound') await this.ledger.release(ref, 'cancelled');
    } else {
      if (from === 'unbound') await this.ledger.hold(ref);
      await this.ledger.release(ref, 'refunded', refundedQuantity);
    }
    line.stockState = want.state;
  }

  /**
   * The ship deadline from what the platform says now, the first time the order was seen shipped,
   * and a risk level reset when a later deadline (an approved delay) puts the order back in time.
   */
  private async applyDeadline(row: ChannelOrderEntity, order: ChannelOrder, now: number): Promise<void> {
    const computes =
      this.channels?.fulfilment(order.platform as Platform)?.platformShipBy ?? order.platform === 'kuaishou';
    const promiseHours = computes
      ? DEFAULT_PROMISE_HOURS
      : ((await this.orders.promiseHours(row.connectionId)) ?? DEFAULT_PROMISE_HOURS);
    const deadline = shipDeadline({
      status: order.status,
      paidAt: order.paidAt,
      platformShipBy: order.shipBy,
      delayedShipBy: order.delayedShipBy,
      platformComputesShipBy: computes,
      shipHolds: order.shipHolds,
      presaleShipAt: order.lines.map((l) => l.presaleShipAt),
      promiseHours,
    });
    // A shipped order keeps the deadline it was held to.
    if (!(SHIPPED.includes(order.status) && row.deadlineAt !== null && deadline.at === null)) {
      row.deadlineAt = deadline.at;
      row.deadlineSource = deadline.source;
    }
    if (row.deadlineRisk && row.deadlineAt !== null) {
      const level = riskLevel(row.deadlineAt, now);
      if (level === null || isHigherRisk(row.deadlineRisk, level)) row.deadlineRisk = level;
    }
    if (SHIPPED.includes(order.status) && row.shippedAt === null) row.shippedAt = order.updatedAt || now;
  }

  private newOrder(shop: ShopIdentity, order: ChannelOrder, now: number): ChannelOrderEntity {
    return Object.assign(new ChannelOrderEntity(), {
      id: this.ids.uuid(),
      platform: order.platform,
      platformOrderId: order.orderId,
      connectionId: shop.connectionId,
      merchantId: shop.merchantId,
      createdAt: now,
      erpOrderId: null,
      deadlineAt: null,
      deadlineSource: null,
      deadlineRisk: null,
      shippedAt: null,
      ...this.orderFields(order),
      updatedAt: now,
    });
  }

  private orderFields(order: ChannelOrder): Partial<ChannelOrderEntity> {
    return {
      status: order.status,
      rawStatus: order.rawStatus.slice(0, 40),
      platformCreatedAt: order.createdAt,
      platformUpdatedAt: order.updatedAt,
      paidAt: order.paidAt ?? null,
      shipBy: order.shipBy ?? null,
      goodsTotalFen: order.goodsTotalFen,
      discountFen: order.discountFen,
      shippingFeeFen: order.shippingFeeFen,
      paidFen: order.paidFen,
      shipHolds: order.shipHolds.length ? order.shipHolds.join(',').slice(0, 300) : null,
      // Buyer fields exactly as delivered; a later read without them (a hold) keeps what came before.
      ...(order.buyer
        ? {
            buyerName: order.buyer.name?.slice(0, 100) ?? null,
            buyerPhone: order.buyer.phone?.slice(0, 40) ?? null,
            buyerAddress: order.buyer.address?.slice(0, 300) ?? null,
            buyerRegion: order.buyer.region?.slice(0, 100) ?? null,
            buyerEncrypted: order.buyer.encrypted ?? null,
          }
        : {}),
    };
  }
}
