import { ApiContext, ApiDef, date, num, str } from './youzan-api.common';
import { addMonthsCst } from './youzan-emulator.codec';
import { BusinessError } from './youzan-emulator.errors';
import { EXPRESS_COMPANIES, Order, Refund } from './youzan-emulator.store';
import { fullOrderInfoView, refundRowView, tradeView } from './youzan-emulator.views';

const TRADE_PARAM = 106000002;

const REFUND_PARAM = 103000001;

/** §3.11 seller actions: the refund in `allowed`, quoted at its latest `version` (stale: 103010039). */
function sellerRefund(ctx: ApiContext, allowed: Refund['status'][], returnGoods?: boolean): Refund {
  const refund = ctx.store.refund(str(ctx.params, 'refund_id') as string, ctx.shop.kdtId);
  if (num(ctx.params, 'version') !== refund.version) throw new BusinessError(103010039, '退款版本号错误，请刷新后重试');
  if (!allowed.includes(refund.status) || (returnGoods !== undefined && refund.returnGoods !== returnGoods))
    throw new BusinessError(102010002, `退款状态已变更(${refund.status})`);
  return refund;
}

const SELLER_ACTION = { refund_id: 'string!', version: 'number!' } as const;

const TIME_PAIRS: [string, string, (o: Order) => number | undefined][] = [
  ['start_created', 'end_created', (o) => o.created],
  ['start_update', 'end_update', (o) => o.updated],
  ['start_success', 'end_success', (o) => o.successTime],
  ['start_pay', 'end_pay', (o) => o.payTime],
];

function tradesSoldGet(ctx: ApiContext) {
  const now = ctx.store.clock.now();
  const pageNo = num(ctx.params, 'page_no') ?? 1;
  const pageSize = num(ctx.params, 'page_size') ?? 20;
  if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > 100)
    throw new BusinessError(TRADE_PARAM, 'page_no 最大为100');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    throw new BusinessError(TRADE_PARAM, 'page_size 最大为100');
  let orders = ctx.store.ordersOf(ctx.shop.kdtId).filter((o) => ctx.store.readable(o));
  let sortKey: (o: Order) => number = (o) => o.created;
  for (const [startKey, endKey, field] of TIME_PAIRS) {
    const start = date(ctx.params, startKey);
    const end = date(ctx.params, endKey);
    // An unpaired time parameter is silently ignored, as on the real API.
    if (start === undefined || end === undefined) continue;
    if (end <= start) throw new BusinessError(TRADE_PARAM, `${endKey} 必须大于 ${startKey}`);
    if (end > addMonthsCst(start, 3)) throw new BusinessError(TRADE_PARAM, '查询时间跨度不能超过3个月');
    if (end > now + 7 * 24 * 3600 * 1000) throw new BusinessError(106000003, '结束时间不能大于当前时间7天');
    orders = orders.filter((o) => {
      const t = field(o);
      if (t === undefined) return false;
      const second = Math.floor(t / 1000) * 1000;
      return second >= start && second <= end;
    });
    sortKey = (o) => field(o) ?? 0;
  }
  const status = str(ctx.params, 'status');
  if (status) {
    const wanted = status === 'TRADE_CLOSE' ? 'TRADE_CLOSED' : status;
    if (wanted === 'TRADE_REFUND') orders = orders.filter((o) => [1, 11].includes(ctx.store.orderRefundState(o)));
    else if (
      [
        'WAIT_BUYER_PAY',
        'WAIT_SELLER_SEND_GOODS',
        'WAIT_BUYER_CONFIRM_GOODS',
        'TRADE_SUCCESS',
        'TRADE_CLOSED',
      ].includes(wanted)
    )
      orders = orders.filter((o) => o.status === wanted);
    else throw new BusinessError(TRADE_PARAM, `不支持的订单状态 ${status}`);
  }
  const tid = str(ctx.params, 'tid');
  if (tid) orders = orders.filter((o) => o.tid === tid);
  const sorted = [...orders].sort((a, b) => sortKey(b) - sortKey(a) || (a.tid < b.tid ? 1 : -1));
  return {
    total_results: sorted.length,
    full_order_info_list: sorted
      .slice((pageNo - 1) * pageSize, pageNo * pageSize)
      .map((o) => ({ full_order_info: fullOrderInfoView(ctx.store, o) })),
  };
}

function refundSearch(ctx: ApiContext) {
  const now = ctx.store.clock.now();
  const pageNo = num(ctx.params, 'page_no') ?? 1;
  const pageSize = num(ctx.params, 'page_size') ?? 20;
  if (pageNo < 1 || pageNo > 100) throw new BusinessError(REFUND_PARAM, 'page_no 最大为100');
  if (pageSize < 1 || pageNo * pageSize > 3000)
    throw new BusinessError(REFUND_PARAM, 'page_no * page_size 不能超过3000');
  const seconds = (name: string) => {
    const v = num(ctx.params, name);
    return v === undefined ? undefined : v * 1000;
  };
  const createdFrom = seconds('create_time_start');
  const createdTo = seconds('create_time_end');
  const updatedFrom = seconds('update_time_start');
  const updatedTo = seconds('update_time_end');
  const anyWindow = [createdFrom, createdTo, updatedFrom, updatedTo].some((v) => v !== undefined);
  // Default window: the last three months.
  const defaultFrom = anyWindow ? undefined : addMonthsCst(now, -3);
  let refunds = [...ctx.store.refunds.values()].filter((r) => r.kdtId === ctx.shop.kdtId);
  const inRange = (t: number, from?: number, to?: number) =>
    (from === undefined || Math.floor(t / 1000) * 1000 >= from) &&
    (to === undefined || Math.floor(t / 1000) * 1000 <= to);
  refunds = refunds.filter(
    (r) => inRange(r.created, createdFrom ?? defaultFrom, createdTo) && inRange(r.modified, updatedFrom, updatedTo),
  );
  const tid = str(ctx.params, 'tid');
  if (tid) refunds = refunds.filter((r) => r.tid === tid);
  const status = str(ctx.params, 'status');
  if (status) refunds = refunds.filter((r) => r.status === status);
  refunds.sort((a, b) => b.modified - a.modified || (a.refundId < b.refundId ? 1 : -1));
  return {
    total: refunds.length,
    refunds: refunds.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(refundRowView),
  };
}

/** Trade APIs: orders, logistics, refunds and trade memos. */
export const TRADE_APIS: Record<string, ApiDef> = {
  'youzan.trades.sold.get': {
    versions: ['4.0.0', '4.0.4'],
    paramCode: TRADE_PARAM,
    params: {
      start_created: 'date',
      end_created: 'date',
      start_update: 'date',
      end_update: 'date',
      start_success: 'date',
      end_success: 'date',
      start_pay: 'date',
      end_pay: 'date',
      status: 'string',
      tid: 'string',
      page_no: 'number',
      page_size: 'number',
    },
    handle: tradesSoldGet,
  },
  'youzan.trade.get': {
    versions: ['4.0.0', '4.0.2'],
    paramCode: TRADE_PARAM,
    params: { tid: 'string!' },
    handle: (ctx) => {
      const tid = str(ctx.params, 'tid') as string;
      if (!/^[EC]\d{23}$/.test(tid)) throw new BusinessError(106000004, '订单号不合法');
      const order = ctx.store.orders.get(tid);
      // The real API answers an unknown (or another shop's) tid with 5000 and an empty skeleton.
      if (!order || order.kdtId !== ctx.shop.kdtId || !ctx.store.readable(order))
        throw new BusinessError(5000, 'trade not found', {
          full_order_info: null,
          refund_order: [],
          delivery_order: [],
          order_promotion: null,
        });
      return tradeView(ctx.store, order);
    },
  },
  'youzan.logistics.online.confirm': {
    versions: ['3.0.0'],
    paramCode: 102570001,
    params: {
      tid: 'string!',
      is_no_express: 'number',
      out_stype: 'string',
      out_sid: 'string',
      oids: 'string',
      outer_tid: 'string',
    },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const order = ctx.store.order(str(p, 'tid') as string, ctx.shop.kdtId);
      const noExpress = num(p, 'is_no_express') === 1;
      const stype = str(p, 'out_stype');
      const sid = str(p, 'out_sid');
      if (!noExpress && (!stype || !sid))
        throw new BusinessError(102570001, '物流公司(out_stype)和运单号(out_sid)不能为空');
      const company = noExpress ? undefined : EXPRESS_COMPANIES.find((e) => String(e.id) === stype);
      if (!noExpress && !company) throw new BusinessError(102570021, `物流公司 ${stype} 不存在`);
      if (sid && !/^[A-Za-z0-9-]+$/.test(sid)) throw new BusinessError(105000003, '运单号只能包含字母、数字和中划线');
      const oidsText = str(p, 'oids');
      if (oidsText !== undefined && !/^\d+(,\d+)*$/.test(oidsText))
        throw new BusinessError(102599996, 'oids 必须是数字，多个用英文逗号分隔');
      ctx.store.ship(order, company?.id ?? 0, sid ?? '', oidsText?.split(','));
      return { is_success: true };
    },
  },
  'youzan.logistics.express.get': {
    versions: ['3.0.0'],
    paramCode: 102570001,
    params: {},
    handle: () => ({ allExpress: EXPRESS_COMPANIES }),
  },
  'youzan.trade.refund.search': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: REFUND_PARAM,
    params: {
      tid: 'string',
      refund_id: 'string',
      status: 'string',
      create_time_start: 'number',
      create_time_end: 'number',
      update_time_start: 'number',
      update_time_end: 'number',
      page_no: 'number',
      page_size: 'number',
    },
    handle: refundSearch,
  },
  'youzan.trade.refund.get': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: REFUND_PARAM,
    params: { refund_id: 'string!' },
    handle: (ctx) => {
      const r = ctx.store.refund(str(ctx.params, 'refund_id') as string, ctx.shop.kdtId);
      const order = ctx.store.orders.get(r.tid) as Order;
      const line = order.lines.find((l) => l.oid === r.oids[0]);
      return {
        ...refundRowView(r),
        oid: r.oids[0],
        version: r.version,
        item_num: r.oids.length === 1 ? r.itemNum : (line?.num ?? 0),
        logistics: null,
      };
    },
  },
  'youzan.trade.refund.agree': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: REFUND_PARAM,
    params: { ...SELLER_ACTION },
    write: true,
    handle: (ctx) => {
      // Refund only while awaiting the seller; a return once its goods are back.
      const refund = ctx.store.refund(str(ctx.params, 'refund_id') as string, ctx.shop.kdtId);
      sellerRefund(ctx, refund.returnGoods ? ['WAIT_SELLER_CONFIRM_GOODS'] : ['WAIT_SELLER_AGREE']);
      ctx.store.setRefundStatus(refund.refundId, 'SUCCESS');
      return { is_success: true };
    },
  },
  'youzan.trade.refund.refuse': {
    versions: ['3.0.0'],
    paramCode: REFUND_PARAM,
    params: { ...SELLER_ACTION, remark: 'string!' },
    write: true,
    handle: (ctx) => {
      const refund = sellerRefund(ctx, ['WAIT_SELLER_AGREE']);
      ctx.store.setRefundStatus(refund.refundId, 'SELLER_REFUSE_BUYER');
      return { is_success: true };
    },
  },
  'youzan.trade.returngoods.agree': {
    versions: ['3.0.0'],
    paramCode: REFUND_PARAM,
    params: {
      ...SELLER_ACTION,
      name: 'string!',
      mobile: 'string!',
      address: 'string!',
      tel: 'string',
      post: 'string',
      remark: 'string',
    },
    write: true,
    handle: (ctx) => {
      const refund = sellerRefund(ctx, ['WAIT_SELLER_AGREE'], true);
      ctx.store.setRefundStatus(refund.refundId, 'WAIT_BUYER_RETURN_GOODS');
      return { is_success: true };
    },
  },
  'youzan.trade.returngoods.refuse': {
    versions: ['3.0.0'],
    paramCode: REFUND_PARAM,
    params: { ...SELLER_ACTION, remark: 'string!' },
    write: true,
    handle: (ctx) => {
      const refund = sellerRefund(ctx, ['WAIT_SELLER_CONFIRM_GOODS'], true);
      ctx.store.setRefundStatus(refund.refundId, 'SELLER_REFUSE_BUYER_RETURN_GOODS');
      return { is_success: true };
    },
  },
  'youzan.trade.memo.update': {
    versions: ['3.0.0'],
    paramCode: 50000,
    params: { tid: 'string!', memo: 'string!', flag: 'number' },
    write: true,
    legacy: true,
    handle: (ctx) => {
      const order = ctx.store.order(str(ctx.params, 'tid') as string, ctx.shop.kdtId);
      order.memo = str(ctx.params, 'memo') ?? '';
      const flag = num(ctx.params, 'flag');
      if (flag !== undefined) order.star = flag;
      // Memo changes do not bump update_time (doc digest).
      return { is_success: true };
    },
  },
};
