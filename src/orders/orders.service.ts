import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { MerchantsService } from '../accounts/merchants.service';
import { CLOCK, Clock } from '../common/clock';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import { WebhookDeliveriesService } from '../webhooks/deliveries/webhook-deliveries.service';
import { ChannelOrderEntity } from './channel-order.entity';
import { ErpOrderLinksDto, ListOrdersQueryDto } from './dto/orders.dto';
import { OrderReconcileRunEntity } from './order-reconcile-run.entity';
import { OrderShopPolicyEntity } from './order-shop-policy.entity';
import { OrderIdKind, OrderView } from './order.view';
import { OrderRepository } from './order.repository';
import { orderMatches, resolveOrder } from './order-lookup';
import { ErpOrderIdTakenException, OrderNotFoundException } from './orders.errors';
import { DEFAULT_PROMISE_HOURS, HOUR_MS, onTimeRate, OnTimeRate } from './ship-deadline';

export interface OrderPage {
  items: OrderView[];
  total: number;
  page: number;
  pageSize: number;
}

export type ErpLinkOutcome = 'linked' | 'unchanged' | 'not_found' | 'ambiguous' | 'conflict';

export interface ErpLinkResult {
  deliveryId: string;
  duplicate: boolean;
  results: { orderId: string; erpOrderId: string; outcome: ErpLinkOutcome; internalId?: string }[];
}

export interface ShopOnTime extends OnTimeRate {
  connectionId: string;
  platform: string;
  since: number;
}

export interface ShopShipPolicy {
  connectionId: string;
  platform: string;
  /** Where the platform computes its own ship-by (Kuaishou) this is not used. */
  promiseHours: number;
  custom: boolean;
}

/** The order registry as the merchant sees it: lookup by every id, the ERP's id, deadlines and the on-time rate. */
@Injectable()
export class OrdersService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly deliveries: WebhookDeliveriesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(merchantId: string, query: ListOrdersQueryDto): Promise<OrderPage> {
    await this.merchants.get(merchantId);
    const ids = query.id ? (await orderMatches(this.orders, merchantId, query.id)).map((m) => m.order.id) : undefined;
    const [rows, total] = await this.orders.search(
      merchantId,
      {
        platform: query.platform,
        statuses: query.status,
        risk: query.risk,
        connectionId: query.connectionId,
        ids,
      },
      query.pageSize,
      (query.page - 1) * query.pageSize,
    );
    const lines = await this.orders.linesOf(rows.map((r) => r.id));
    const now = this.clock.now();
    return {
      items: rows.map((r) =>
        OrderView.of(
          r,
          lines.filter((l) => l.orderId === r.id),
          now,
        ),
      ),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** One order of the merchant by any of its ids; another merchant's order is not found. */
  async getForMerchant(merchantId: string, anyId: string): Promise<OrderView> {
    await this.merchants.get(merchantId);
    const { order, matchedBy } = await this.resolveForMerchant(merchantId, anyId);
    return OrderView.of(order, await this.orders.lines(order.id), this.clock.now(), matchedBy);
  }

  /** The registry's one lookup (`resolveOrder`), also behind `OrderQueryService.findForMerchant`. */
  resolveForMerchant(
    merchantId: string,
    anyId: string,
  ): Promise<{ order: ChannelOrderEntity; matchedBy: OrderIdKind }> {
    return resolveOrder(this.orders, merchantId, anyId);
  }

  /** Sets (or replaces) the ERP's id of an order; an id another order of the merchant holds is a conflict. */
  async setErpOrderId(merchantId: string, anyId: string, erpOrderId: string): Promise<OrderView> {
    await this.merchants.get(merchantId);
    const { order } = await this.resolveForMerchant(merchantId, anyId);
    await this.link(order.id, merchantId, erpOrderId);
    return this.getForMerchant(merchantId, order.id);
  }

  /** The ERP webhook: each link applied once per delivery (the delivery id commits with the links). */
  async applyErpLinks(merchantId: string, deliveryId: string, body: ErpOrderLinksDto): Promise<ErpLinkResult> {
    await this.merchants.get(merchantId);
    try {
      return await this.db.transaction(async () => {
        // 'ord:' + the merchant UUID fits the 40 characters whole (stock: 'erp:', prices: 'prc:').
        await this.deliveries.take(`ord:${merchantId}`, deliveryId);
        const results: ErpLinkResult['results'] = [];
        for (const link of body.orders) {
          const found = await orderMatches(this.orders, merchantId, link.orderId);
          const best = found.filter((m) => m.matchedBy === found[0]?.matchedBy);
          if (!best.length || best.length > 1) {
            results.push({ ...link, outcome: best.length ? 'ambiguous' : 'not_found' });
            continue;
          }
          const order = best[0].order;
          const holder = await this.orders.findByErpIdForMerchant(merchantId, link.erpOrderId);
          if (holder && holder.id !== order.id) {
            results.push({ ...link, outcome: 'conflict', internalId: order.id });
            continue;
          }
          if (order.erpOrderId === link.erpOrderId) {
            results.push({ ...link, outcome: 'unchanged', internalId: order.id });
            continue;
          }
          await this.setErp(order.id, link.erpOrderId);
          results.push({ ...link, outcome: 'linked', internalId: order.id });
        }
        return { deliveryId, duplicate: false, results };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return { deliveryId, duplicate: true, results: [] };
    }
  }

  private async link(orderId: string, merchantId: string, erpOrderId: string): Promise<void> {
    try {
      await this.db.transaction(async () => {
        const holder = await this.orders.findByErpIdForMerchant(merchantId, erpOrderId);
        if (holder && holder.id !== orderId) throw new ErpOrderIdTakenException(erpOrderId);
        await this.setErp(orderId, erpOrderId);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ErpOrderIdTakenException(erpOrderId);
      throw error;
    }
  }

  private async setErp(orderId: string, erpOrderId: string): Promise<void> {
    const row = await this.orders.lockById(orderId);
    if (!row) throw new OrderNotFoundException(orderId);
    row.erpOrderId = erpOrderId;
    row.updatedAt = this.clock.now();
    await this.orders.saveOrder(row);
  }

  /** Per shop: of the orders due in the last `days` days, the share shipped by their deadline. */
  async onTimeRates(merchantId: string, days: number): Promise<ShopOnTime[]> {
    await this.merchants.get(merchantId);
    const now = this.clock.now();
    const since = now - days * 24 * HOUR_MS;
    const shops = await this.connections.listByMerchant(merchantId);
    const out: ShopOnTime[] = [];
    for (const c of shops)
      out.push({
        connectionId: c.id,
        platform: c.platform,
        since,
        ...onTimeRate(await this.orders.deadlinesOf(c.id, since, now), now),
      });
    return out;
  }

  async reconcileRuns(merchantId: string, limit: number, connectionId?: string): Promise<OrderReconcileRunEntity[]> {
    await this.merchants.get(merchantId);
    return this.orders.reconcileRuns(merchantId, limit, connectionId);
  }

  async shipPolicies(merchantId: string): Promise<ShopShipPolicy[]> {
    await this.merchants.get(merchantId);
    const out: ShopShipPolicy[] = [];
    for (const c of await this.connections.listByMerchant(merchantId)) {
      const hours = await this.orders.promiseHours(c.id);
      out.push({
        connectionId: c.id,
        platform: c.platform,
        promiseHours: hours ?? DEFAULT_PROMISE_HOURS,
        custom: hours !== undefined,
      });
    }
    return out;
  }

  /** New orders of the shop are held to the promise from their next read on. */
  async setShipPolicy(merchantId: string, connectionId: string, promiseHours: number): Promise<ShopShipPolicy> {
    const connection = await this.connections.getOwned(merchantId, connectionId);
    await this.orders.saveShopPolicy(
      Object.assign(new OrderShopPolicyEntity(), { connectionId, promiseHours, updatedAt: this.clock.now() }),
    );
    return { connectionId, platform: connection.platform, promiseHours, custom: true };
  }
}
