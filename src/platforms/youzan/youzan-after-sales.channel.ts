import {
  AfterSalesPort,
  ChannelRefund,
  RefundAction,
  RefundActionInput,
  RefundPage,
  RefundQuery,
} from '../ports/after-sales.port';
import { ShopRef } from '../ports/platform.types';
import { RawRefund } from './youzan-api.types';
import { decodeCursor, encodeCursor, READ, WRITE_ONCE, youzanInvalid } from './youzan-channel.helpers';
import { YouzanHttpClient, YouzanParams } from './youzan-http.client';
import { mapRefund } from './youzan.mapper';

/** refund.search: page_no × page_size ≤ 3000. */
const REFUND_MAX_ROWS = 3000;
const REFUND_PAGE_SIZE = 100;

interface RefundCursor {
  ws: number;
  we: number;
  p: number;
}

/** Youzan after-sales: `trade.refund.search` and `trade.refund.get`. */
export class YouzanAfterSalesChannel implements AfterSalesPort {
  readonly platform = 'youzan' as const;

  constructor(private readonly http: YouzanHttpClient) {}

  /** `trade.refund.search` by update time (epoch seconds); the list has no line ids (see getRefund). */
  async listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage> {
    const since = Math.floor(query.since / 1000) * 1000;
    const until = Math.max(Math.ceil(query.until / 1000) * 1000, since + 1000);
    let cursor: RefundCursor = query.cursor ? decodeCursor<RefundCursor>(query.cursor) : { ws: since, we: until, p: 1 };
    for (;;) {
      const params: YouzanParams = {
        update_time_start: cursor.ws / 1000,
        update_time_end: cursor.we / 1000 - 1,
        page_no: cursor.p,
        page_size: REFUND_PAGE_SIZE,
      };
      const data = (await this.http.call(shop, 'youzan.trade.refund.search', '3.0.0', params, READ)) as {
        total?: number;
        refunds?: RawRefund[];
      };
      const total = data.total ?? 0;
      if (cursor.p === 1 && total > REFUND_MAX_ROWS && cursor.we - cursor.ws > 2000) {
        cursor = { ...cursor, we: cursor.ws + Math.floor((cursor.we - cursor.ws) / 2000) * 1000 };
        continue;
      }
      const rows = data.refunds ?? [];
      const withinCap = (cursor.p + 1) * REFUND_PAGE_SIZE <= REFUND_MAX_ROWS;
      const more = rows.length > 0 && cursor.p * REFUND_PAGE_SIZE < total && withinCap;
      let next: RefundCursor | undefined;
      if (more) next = { ...cursor, p: cursor.p + 1 };
      else if (cursor.we < until) next = { ws: cursor.we, we: until, p: 1 };
      return { refunds: rows.map(mapRefund), nextCursor: next ? encodeCursor(next) : undefined };
    }
  }

  async getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund> {
    const params = { refund_id: refundId };
    return mapRefund((await this.http.call(shop, 'youzan.trade.refund.get', '3.0.0', params, READ)) as RawRefund);
  }

  /** `trade.refund.refuse` takes a free-text `remark` only (fact sheet §3.11). */
  refusalReasons(): Promise<null> {
    return Promise.resolve(null);
  }

  /** No documented API lists the shop's return addresses: `returngoods.agree` takes one each time. */
  returnAddresses(): Promise<null> {
    return Promise.resolve(null);
  }

  /**
   * By `status` (§3.11). Youzan has no separate receipt call: once the returned goods are back
   * (WAIT_SELLER_CONFIRM_GOODS) agreeing the refund confirms them.
   */
  actionsFor(refund: ChannelRefund): RefundAction[] {
    if (refund.rawStatus === 'WAIT_SELLER_AGREE')
      return refund.kind === 'return_and_refund' ? ['agree_return', 'refuse'] : ['agree', 'refuse'];
    if (refund.rawStatus === 'WAIT_SELLER_CONFIRM_GOODS') return ['confirm_received', 'refuse'];
    return [];
  }

  /** Every action quotes the refund's latest `version` (stale: 103010039). */
  async act(shop: ShopRef, input: RefundActionInput): Promise<void> {
    const { refund } = input;
    if (!refund.version) throw youzanInvalid('youzan.trade.refund.agree', 'the refund has no version to quote');
    const base: YouzanParams = { refund_id: refund.refundId, version: Number(refund.version) };
    const call = (api: string, params: YouzanParams) => this.http.call(shop, api, '3.0.0', params, WRITE_ONCE);
    switch (input.action) {
      case 'agree':
      case 'confirm_received':
        await call('youzan.trade.refund.agree', base);
        return;
      case 'refuse': {
        const remark = input.reason ?? '';
        const api =
          refund.rawStatus === 'WAIT_SELLER_CONFIRM_GOODS'
            ? 'youzan.trade.returngoods.refuse'
            : 'youzan.trade.refund.refuse';
        await call(api, { ...base, remark });
        return;
      }
      case 'agree_return': {
        const address = input.returnAddress;
        if (!address) throw youzanInvalid('youzan.trade.returngoods.agree', 'a return address is required');
        await call('youzan.trade.returngoods.agree', { ...base, ...address });
        return;
      }
    }
  }
}
