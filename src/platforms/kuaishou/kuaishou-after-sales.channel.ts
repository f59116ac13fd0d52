import {
  AfterSalesPort,
  ChannelRefund,
  RefundAction,
  RefundActionInput,
  RefundPage,
  RefundQuery,
  RefusalReason,
  ShopReturnAddress,
} from '../ports/after-sales.port';
import { PlatformError } from '../platform-error';
import { ShopRef } from '../ports/platform.types';
import { KuaishouApi, KuaishouChannelOptions } from './kuaishou-api.client';
import { idFrom, toKuaishouLong } from './kuaishou-ids';
import { windowedPage } from './kuaishou-window.cursor';
import { toChannelRefund } from './kuaishou.mapper';
import { KsRefund } from './kuaishou-wire.types';

const DAY_MS = 86_400_000;

interface KsRejectReason {
  reasonCode?: number;
  code?: number;
  reasonDesc?: string;
  desc?: string;
}

interface KsSellerAddress {
  addressId: unknown;
  consignee?: string;
  mobile?: string;
  provinceName?: string;
  cityName?: string;
  districtName?: string;
  address?: string;
  defaultAddress?: boolean;
}

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

  /**
   * `open.refund.reject.reason` (GET, §2.7/§3.10). The answer's shape is unconfirmed: read as
   * `data.reasonList[{reasonCode, reasonDesc}]`, or `data` as the list itself.
   */
  async refusalReasons(shop: ShopRef, refund: ChannelRefund): Promise<RefusalReason[]> {
    const answer = await this.api.call(
      shop,
      'open.refund.reject.reason',
      { refundId: toKuaishouLong(refund.refundId) },
      true,
    );
    const data = answer.data as { reasonList?: KsRejectReason[] } | KsRejectReason[] | undefined;
    const rows = Array.isArray(data) ? data : (data?.reasonList ?? []);
    return rows
      .map((r) => ({ code: Number(r.reasonCode ?? r.code), text: String(r.reasonDesc ?? r.desc ?? '') }))
      .filter((r) => Number.isInteger(r.code) && r.code > 0);
  }

  /** `open.address.seller.list` (GET, §3.9); fields unconfirmed: `data.addressList[{addressId, consignee, mobile, …}]`. */
  async returnAddresses(shop: ShopRef): Promise<ShopReturnAddress[]> {
    const answer = await this.api.call(shop, 'open.address.seller.list', {}, true);
    const data = answer.data as { addressList?: KsSellerAddress[] } | undefined;
    return (data?.addressList ?? []).map((a) => ({
      addressId: idFrom(a.addressId),
      name: a.consignee ?? '',
      mobile: a.mobile ?? '',
      address: [a.provinceName, a.cityName, a.districtName, a.address].filter(Boolean).join(' '),
      isDefault: a.defaultAddress === true,
    }));
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
