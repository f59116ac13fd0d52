import {
  AfterSalesPort,
  ChannelRefund,
  RefundAction,
  RefundActionInput,
  RefundPage,
  RefundQuery,
} from '../ports/after-sales.port';
import { PlatformError } from '../platform-error';
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

  /** By `status` (§3.10): 10/11 awaiting the seller, 40 the buyer's return awaiting the seller's receipt. */
  actionsFor(refund: ChannelRefund): RefundAction[] {
    if (['10', '11'].includes(refund.rawStatus))
      return refund.kind === 'return_and_refund' ? ['agree_return', 'refuse'] : ['agree', 'refuse'];
    if (refund.rawStatus === '40') return ['confirm_received', 'refuse'];
    return [];
  }

  async act(shop: ShopRef, input: RefundActionInput): Promise<void> {
    const refundId = toKuaishouLong(input.refund.refundId);
    switch (input.action) {
      case 'agree':
        await this.write(shop, 'open.seller.order.refund.approve', { refundId, refundAmount: input.refund.amountFen });
        return;
      case 'agree_return':
        await this.write(shop, 'open.seller.order.refund.returngoods.approve', {
          refundId,
          ...(input.returnAddressId ? { returnAddressId: toKuaishouLong(input.returnAddressId) } : {}),
        });
        return;
      case 'confirm_received':
        await this.write(shop, 'open.seller.order.refund.confirm.receipt', { refundId });
        return;
      case 'refuse':
        if (!input.reasonCode || !input.refund.version) {
          const message = 'open.refund.reject needs a reasonCode and the refund version';
          throw new PlatformError({
            platform: 'kuaishou',
            api: 'open.refund.reject',
            code: 'INVALID_REQUEST',
            message,
          });
        }
        await this.write(shop, 'open.refund.reject', {
          refundId,
          reasonCode: input.reasonCode,
          ...(input.reason ? { rejectDesc: input.reason } : {}),
          refundVersion: Number(input.refund.version),
        });
        return;
    }
  }

  private async write(shop: ShopRef, api: string, param: Record<string, unknown>): Promise<void> {
    await this.api.call(shop, api, param, false);
  }
}
