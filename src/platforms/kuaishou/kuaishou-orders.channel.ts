import { ChannelOrder, OrderPage, OrderQuery, OrdersPort } from '../ports/orders.port';
import { ShopRef } from '../ports/platform.types';
import { KuaishouApi, KuaishouChannelOptions } from './kuaishou-api.client';
import { toKuaishouLong } from './kuaishou-ids';
import { windowedPage } from './kuaishou-window.cursor';
import { toChannelOrder, withFeeDetail } from './kuaishou.mapper';
import { KsFeeDetail, KsOrder } from './kuaishou-wire.types';

const DAY_MS = 86_400_000;

/** Kuaishou orders: `open.order.cursor.list` window by window, and the detail with its fee detail. */
export class KuaishouOrdersChannel implements OrdersPort {
  readonly platform = 'kuaishou' as const;
  private readonly orderWindowMs: number;
  private readonly maxOrderPageSize: number;

  constructor(
    private readonly api: KuaishouApi,
    options: KuaishouChannelOptions = {},
  ) {
    this.orderWindowMs = options.orderWindowMs ?? 7 * DAY_MS;
    this.maxOrderPageSize = options.maxOrderPageSize ?? 50;
  }

  clockOffsetMs(): number | undefined {
    return this.api.clockOffsetMs();
  }

  async listOrders(shop: ShopRef, query: OrderQuery): Promise<OrderPage> {
    const api = 'open.order.cursor.list';
    const pageSize = Math.min(query.pageSize ?? this.maxOrderPageSize, this.maxOrderPageSize);
    const range = { ...this.api.withinLookBack(query), cursor: query.cursor, api };
    const page = await windowedPage(range, this.orderWindowMs, async (begin, end, cursor) => {
      const queryType = query.by === 'updated' ? 2 : 1;
      const param = {
        orderViewStatus: 1,
        pageSize,
        sort: 2,
        queryType,
        beginTime: begin,
        endTime: end,
        cpsType: 0,
        cursor,
      };
      const answer = await this.api.call(shop, api, param, true);
      const data = (answer.data ?? {}) as { cursor?: string; orderList?: KsOrder[] };
      return { items: (data.orderList ?? []).map(toChannelOrder), platformCursor: data.cursor ?? '' };
    });
    return { orders: page.items, nextCursor: page.nextCursor };
  }

  async getOrder(shop: ShopRef, orderId: string): Promise<ChannelOrder> {
    const detail = await this.api.call(shop, 'open.order.detail', { oid: toKuaishouLong(orderId) }, true);
    const order = toChannelOrder(detail.data as KsOrder);
    const fee = await this.api.call(shop, 'open.seller.order.fee.detail', { orderId: toKuaishouLong(orderId) }, true);
    return fee.data ? withFeeDetail(order, fee.data as KsFeeDetail) : order;
  }
}
