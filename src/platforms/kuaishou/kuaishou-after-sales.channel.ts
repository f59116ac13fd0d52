import { AfterSalesPort, ChannelRefund, RefundPage, RefundQuery } from '../ports/after-sales.port';
import { ShopRef } from '../ports/platform.types';
import { KuaishouApi, KuaishouChannelOptions } from './kuaishou-api.client';
import { toKuaishouLong } from './kuaishou-ids';
import { windowedPage } from './kuaishou-window.cursor';
import { toChannelRefund } from './kuaishou.mapper';
import { KsRefund } from './kuaishou-wire.types';

const DAY_MS = 86_400_000;

/** Kuaishou after-sales: `open.seller.order.refund.pcursor.list` window by window, and the detail. */
export class KuaishouAfterSalesChannel implements AfterSalesPort {
  readonly platform = 'kuaishou' as const;
  private readonly refundWindowMs: number;

  constructor(
    private readonly api: KuaishouApi,
    options: KuaishouChannelOptions = {},
  ) {
    this.refundWindowMs = options.refundWindowMs ?? DAY_MS;
  }

  async listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage> {
    const api = 'open.seller.order.refund.pcursor.list';
    const range = { ...this.api.withinLookBack(query), cursor: query.cursor, api };
    const page = await windowedPage(range, this.refundWindowMs, async (begin, end, pcursor) => {
      const paging = { pageSize: 100, currentPage: 1, sort: 2, queryType: 2, pcursor };
      const param = { beginTime: begin, endTime: end, type: 9, ...paging };
      const answer = await this.api.call(shop, api, param, true);
      const data = (answer.data ?? {}) as { pcursor?: string; refundOrderInfoList?: KsRefund[]; dataList?: KsRefund[] };
      const rows = data.refundOrderInfoList ?? data.dataList ?? [];
      return { items: rows.map(toChannelRefund), platformCursor: data.pcursor ?? '' };
    });
    return { refunds: page.items, nextCursor: page.nextCursor };
  }

  async getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund> {
    const param = { refundId: toKuaishouLong(refundId) };
    const answer = await this.api.call(shop, 'open.seller.order.refund.detail', param, true);
    return toChannelRefund(answer.data as KsRefund);
  }
}
