import { PlatformError } from '../platform-error';
import { ChannelOrder, OrderPage, OrderQuery, OrdersPort } from '../ports/orders.port';
import { ShopRef } from '../ports/platform.types';
import { RawTrade } from './youzan-api.types';
import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, READ } from './youzan-channel.helpers';
import { YouzanHttpClient, YouzanParams } from './youzan-http.client';
import { epochMsToBeijing } from './youzan-values';
import { mapTrade } from './youzan.mapper';

/** trades.sold.get windows: ≤ 3 calendar months (the shortest 3-month span is 89 days). */
const ORDER_WINDOW_MS = 89 * 24 * 3600 * 1000;
const MAX_PAGE_NO = 100;

interface OrderCursor {
  /** Window [ws, we) in epoch ms, whole seconds. */
  ws: number;
  we: number;
  p: number;
  /** tids of the previous page: rows shift between pages while paginating (doc FAQ 47347). */
  prev: string[];
}

/** Youzan orders: `trades.sold.get` over windows, and `trade.get`. */
export class YouzanOrdersChannel implements OrdersPort {
  readonly platform = 'youzan' as const;

  constructor(private readonly http: YouzanHttpClient) {}

  clockOffsetMs(): number | undefined {
    return this.http.platformClock.offsetMs();
  }

  /**
   * `trades.sold.get` 4.0.0 over windows of ≤ 3 months (paired start/end), pages of ≤ 100 up to
   * page 100; a window holding more rows than that is halved. Rows can shift between pages while
   * paginating, so tids of the previous page travel in the cursor and repeats are dropped.
   */
  async listOrders(shop: ShopRef, query: OrderQuery): Promise<OrderPage> {
    const pageSize = Math.min(Math.max(1, query.pageSize ?? MAX_PAGE_SIZE), MAX_PAGE_SIZE);
    const since = Math.floor(query.since / 1000) * 1000;
    // end > start is required: a window is at least 2 s wide.
    const until = Math.max(Math.ceil(query.until / 1000) * 1000, since + 2000);
    const [startKey, endKey] =
      query.by === 'updated' ? ['start_update', 'end_update'] : ['start_created', 'end_created'];
    let cursor: OrderCursor = query.cursor
      ? decodeCursor<OrderCursor>(query.cursor)
      : { ws: since, we: Math.min(until, since + ORDER_WINDOW_MS), p: 1, prev: [] };

    for (let windows = 0; ; windows++) {
      const params: YouzanParams = {
        [startKey]: epochMsToBeijing(cursor.ws),
        [endKey]: epochMsToBeijing(cursor.we - 1000),
        page_no: cursor.p,
        page_size: pageSize,
      };
      const data = (await this.http.call(shop, 'youzan.trades.sold.get', '4.0.0', params, READ)) as {
        total_results?: number;
        full_order_info_list?: RawTrade[];
      };
      const total = data.total_results ?? 0;
      if (cursor.p === 1 && total > MAX_PAGE_NO * pageSize && cursor.we - cursor.ws > 2000) {
        cursor = { ...cursor, we: cursor.ws + Math.max(2000, Math.floor((cursor.we - cursor.ws) / 2000) * 1000) };
        continue;
      }
      const rows = data.full_order_info_list ?? [];
      const seen = new Set(cursor.prev);
      const orders: ChannelOrder[] = [];
      for (const row of rows) {
        const order = mapTrade(row);
        if (seen.has(order.orderId)) continue;
        seen.add(order.orderId);
        orders.push(order);
      }
      const pageTids = rows.map((r) => r.full_order_info?.order_info?.tid ?? '');
      const moreInWindow = rows.length > 0 && cursor.p * pageSize < total && cursor.p < MAX_PAGE_NO;
      let next: OrderCursor | undefined;
      if (moreInWindow) next = { ws: cursor.ws, we: cursor.we, p: cursor.p + 1, prev: pageTids };
      else if (cursor.we < until) {
        next = { ws: cursor.we, we: Math.min(until, cursor.we + ORDER_WINDOW_MS), p: 1, prev: pageTids };
      }
      if (orders.length === 0 && next && !moreInWindow && windows < 20) {
        cursor = next;
        continue;
      }
      return { orders, nextCursor: next ? encodeCursor(next) : undefined };
    }
  }

  async getOrder(shop: ShopRef, orderId: string): Promise<ChannelOrder> {
    const data = (await this.http.call(shop, 'youzan.trade.get', '4.0.0', { tid: orderId }, READ)) as RawTrade;
    if (!data?.full_order_info?.order_info?.tid) {
      // An empty skeleton is "not found yet" (the doc warns of a ≥ 30 s read lag after a push).
      const message = `trade ${orderId} not found (empty answer)`;
      throw new PlatformError({ platform: 'youzan', api: 'youzan.trade.get', code: 'NOT_FOUND', message });
    }
    return mapTrade(data);
  }
}
