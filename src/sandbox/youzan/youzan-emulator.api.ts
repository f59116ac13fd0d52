import categoriesFile from '../data/youzan-categories.json';
import { addMonthsCst, cstString, LongId, parseCst, parseYuan, yuan } from './youzan-emulator.codec';
import { BusinessError, gw } from './youzan-emulator.errors';
import { Coupon, EXPRESS_COMPANIES, Item, linePaymentFen, Order, Refund, RefundStatus, Shop, Sku, YouzanEmulatorStore } from './youzan-emulator.store';

type ParamType = 'string' | 'number' | 'long' | 'date' | 'bool' | 'any';
type ParamSpec = ParamType | `${ParamType}!`;

export interface UploadedFile {
  field: string;
  filename?: string;
  contentType?: string;
  size: number;
}

export interface ApiContext {
  shop: Shop;
  params: Record<string, unknown>;
  store: YouzanEmulatorStore;
  files: UploadedFile[];
}

export interface ApiDef {
  versions: string[];
  /** Business code for a parameter-rule violation in this API's domain (emulator's choice). */
  paramCode: number;
  params: Record<string, ParamSpec>;
  /** Counted in writesApplied when it succeeds. */
  write?: boolean;
  /** A stock write: its operation id header is tracked for double applies. */
  stockWrite?: (params: Record<string, unknown>) => boolean;
  /** Answers in the legacy `{response}` / `{error_response}` envelope. */
  legacy?: boolean;
  handle(ctx: ApiContext): unknown;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const MAX_TITLE = 100;
const MAX_IMAGE_BYTES = 1024 * 1024;
const TRADE_PARAM = 106000002;
const ITEM_PARAM = 121000103;
const REFUND_PARAM = 103000001;
const COUPON_PARAM = 160000001;

/** Gateway-style type checks: a wrong JSON type (date without time, number for a String) is 5001. */
export function checkParams(def: ApiDef, raw: Record<string, unknown>): void {
  for (const [name, spec] of Object.entries(def.params)) {
    const required = spec.endsWith('!');
    const type = (required ? spec.slice(0, -1) : spec) as ParamType;
    const value = raw[name];
    if (value === undefined || value === null || value === '') {
      if (required) throw new BusinessError(def.paramCode, `参数 ${name} 不能为空`);
      continue;
    }
    if (!typeOk(type, value)) throw gw.wrongType();
  }
}

function typeOk(type: ParamType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
    case 'long':
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint' || (typeof value === 'string' && /^\d+$/.test(value));
    case 'date':
      return typeof value === 'string' && DATE_TIME.test(value) && parseCst(value) !== undefined;
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false' || value === 0 || value === 1;
    default:
      return true;
  }
}

function str(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function num(params: Record<string, unknown>, name: string): number | undefined {
  const v = params[name];
  return v === undefined || v === null || v === '' ? undefined : Number(v);
}

function date(params: Record<string, unknown>, name: string): number | undefined {
  const v = str(params, name);
  return v === undefined ? undefined : parseCst(v);
}

/** Unset times are sent as "" — or, as in one doc demo, as the 1970 sentinel. */
function time(ms: number | undefined, sentinel = false): string {
  return ms === undefined ? (sentinel ? '1970-01-01 08:00:00' : '') : cstString(ms);
}

// ---- views (the JSON Youzan sends) ---------------------------------------------------------

function imageView(store: YouzanEmulatorStore, id: number) {
  const image = store.images.get(id);
  const url = image?.url ?? `https://img.yzcdn.cn/sandbox/${id}.jpg`;
  return { id, url, thumbnail: `${url}!120x120.jpg`, medium: `${url}!400x400.jpg`, combine: url, created: time(image?.created ?? 0) };
}

function skuView(item: Item, sku: Sku) {
  return {
    item_id: new LongId(item.itemId),
    sku_id: sku.skuId,
    sku_unique_code: `${item.kdtId}${item.itemId}${sku.skuId}`,
    properties_name_json: JSON.stringify(sku.specs.map((s) => ({ kid: s.kid, vid: s.vid, k: s.k, v: s.v }))),
    with_hold_quantity: 0,
    price: sku.priceFen,
    created: time(sku.created),
    modified: time(sku.modified),
    quantity: sku.stock,
    item_no: sku.itemNo,
    sold_num: sku.soldNum,
    cost_price: 0,
  };
}

export function itemView(store: YouzanEmulatorStore, item: Item) {
  const images = item.imageIds.map((id) => imageView(store, id));
  return {
    item_id: new LongId(item.itemId),
    kdt_id: item.kdtId,
    title: item.title,
    desc: item.desc,
    origin_price: '',
    buy_quota: 0,
    created: time(item.created),
    update_time: time(item.updated),
    alias: item.alias,
    cid: item.cid,
    tag_ids: [],
    detail_url: `https://h5.youzan.com/v2/goods/${item.alias}`,
    share_url: `https://h5.youzan.com/v2/goods/${item.alias}`,
    pic_url: images[0]?.url ?? '',
    pic_thumb_url: images[0]?.thumbnail ?? '',
    quantity: store.quantity(item),
    sold_num: item.soldNum,
    price: item.priceFen,
    item_type: 0,
    is_listing: item.listed,
    is_lock: false,
    auto_listing_time: '',
    join_level_discount: true,
    purchase_right: false,
    post_type: 1,
    post_fee: item.postFeeFen,
    item_no: item.itemNo,
    skus: item.skus.map((s) => skuView(item, s)),
    item_imgs: images,
    item_tags: [],
    messages: '',
    sell_point: '',
    num: 0,
  };
}

function listItemView(store: YouzanEmulatorStore, item: Item) {
  const images = item.imageIds.map((id) => imageView(store, id));
  return {
    item_id: new LongId(item.itemId),
    alias: item.alias,
    title: item.title,
    price: item.priceFen,
    item_type: 0,
    item_no: item.itemNo,
    quantity: store.quantity(item),
    post_type: 1,
    post_fee: item.postFeeFen,
    created_time: time(item.created),
    update_time: time(item.updated),
    detail_url: `https://h5.youzan.com/v2/goods/${item.alias}`,
    num: 0,
    item_imgs: images,
    image: images[0]?.url ?? '',
  };
}

const STATUS_STR: Record<Order['status'], string> = {
  WAIT_BUYER_PAY: '待付款',
  WAIT_SELLER_SEND_GOODS: '待发货',
  WAIT_BUYER_CONFIRM_GOODS: '已发货',
  TRADE_SUCCESS: '已完成',
  TRADE_CLOSED: '已关闭',
};

export function fullOrderInfoView(store: YouzanEmulatorStore, order: Order) {
  const goods = order.lines.reduce((sum, l) => sum + l.priceFen * l.num, 0);
  const payment = order.lines.reduce((sum, l) => sum + linePaymentFen(l), 0);
  const refundState = store.orderRefundState(order);
  return {
    order_info: {
      tid: order.tid,
      status: order.status,
      status_str: STATUS_STR[order.status],
      type: 0,
      pay_type: order.payTime ? 10 : 0,
      pay_type_str: order.payTime ? 'WEIXIN_DAIXIAO' : '',
      team_type: 0,
      close_type: order.closeType,
      express_type: 0,
      refund_state: refundState,
      is_retail_order: false,
      created: time(order.created),
      update_time: time(order.updated),
      expired_time: time(order.created + 24 * 3600 * 1000),
      pay_time: time(order.payTime),
      consign_time: time(order.consignTime),
      confirm_time: time(undefined, true),
      success_time: time(order.successTime),
      offline_id: 0,
      order_tags: { is_virtual: false, is_payed: order.payTime !== undefined, is_refund: order.refundIds.length > 0, is_secured_transactions: true, is_postage_free: order.postFeeFen === 0, is_member: false, is_feedback: false },
      order_extra: { is_from_cart: 'false', buyer_name: '沙箱买家', is_member: '0', cash: 0, t_cash: 0, tm_cash: 0, orders_combine_id: '' },
    },
    source_info: { is_offline_order: false, source: { platform: 'wx', wx_entrance: 'direct_buy' }, order_mark: '', book_key: order.tid.slice(1) },
    buyer_info: { buyer_id: 0, buyer_phone: '138****0000', fans_type: 1, fans_id: 0, fans_nickname: '', outer_user_id: '', yz_open_id: `yz_open_${order.kdtId}` },
    pay_info: { total_fee: yuan(goods), post_fee: yuan(order.postFeeFen), payment: yuan(payment), transaction: order.payTime ? [`T${order.tid.slice(1)}`] : [], outer_transactions: [], phase_payments: [] },
    remark_info: { buyer_message: order.buyerMessage, star: order.star, trade_memo: order.memo },
    address_info: {
      receiver_name: '张*',
      receiver_tel: '138****1234',
      delivery_province: '浙江省',
      delivery_city: '杭州市',
      delivery_district: '西湖区',
      delivery_address: '文**路***号',
      delivery_postal_code: '310000',
      address_extra: '{"areaCode":"330106","lng":120.1,"lat":30.27}',
      self_fetch_info: '',
    },
    orders: order.lines.map((l) => ({
      oid: l.oid,
      item_type: 0,
      title: l.title,
      num: l.num,
      outer_sku_id: l.outerSkuId,
      outer_item_id: l.outerItemId,
      buyer_messages: '',
      price: yuan(l.priceFen),
      discount_price: yuan(l.priceFen),
      total_fee: yuan(l.priceFen * l.num),
      payment: yuan(linePaymentFen(l)),
      item_id: new LongId(l.itemId),
      sku_id: l.skuId,
      sku_properties_name: l.skuPropertiesName,
      points_price: '0',
      pic_path: '',
      alias: '',
      is_present: false,
      is_pre_sale: '0',
      pre_sale_type: '',
    })),
    child_info: null,
  };
}

export function orderPromotionView(order: Order) {
  const coupon = order.coupon;
  return {
    item: order.lines.map((l) => ({ oid: l.oid, item_id: new LongId(l.itemId), sku_id: l.skuId, is_present: false, promotions: [] })),
    order: coupon
      ? [
          {
            promotion_type: 'coupon',
            promotion_title: coupon.title,
            promotion_type_name: '优惠券',
            promotion_type_id: 7,
            discount_fee: yuan(coupon.discountFen),
            promotion_condition: '',
            promotion_content: coupon.title,
            promotion_id: coupon.groupId,
            sub_promotion_type: 'card',
            coupon_id: coupon.code,
          },
        ]
      : [],
    item_discount_fee: '0.00',
    order_discount_fee: yuan(coupon?.discountFen ?? 0),
    adjust_fee: '0.00',
  };
}

const REFUND_STATE: Record<RefundStatus, number> = {
  WAIT_SELLER_AGREE: 1,
  SELLER_REFUSE_BUYER: 10,
  WAIT_BUYER_RETURN_GOODS: 20,
  WAIT_SELLER_CONFIRM_GOODS: 30,
  SELLER_REFUSE_BUYER_RETURN_GOODS: 40,
  CLOSED: 50,
  SUCCESS: 60,
};

function tradeView(store: YouzanEmulatorStore, order: Order) {
  const deliveries = order.deliveries.map((d) => ({
    express_state: 1,
    express_type: 1,
    oids: d.oids.map((oid) => ({ oid })),
    dists: [{ dist_id: d.distId, express_info: { express_id: d.expressId, express_no: d.expressNo } }],
  }));
  const pending = order.lines.filter((l) => !l.shipped && l.restocked < l.num);
  if (order.status === 'WAIT_SELLER_SEND_GOODS' && pending.length) deliveries.push({ express_state: 0, express_type: 0, oids: pending.map((l) => ({ oid: l.oid })), dists: [] });
  return {
    full_order_info: fullOrderInfoView(store, order),
    order_promotion: orderPromotionView(order),
    refund_order: order.refundIds.map((id) => {
      const r = store.refunds.get(id) as Refund;
      return { refund_type: 1, refund_fee: yuan(r.refundFeeFen), refund_id: r.refundId, refund_state: REFUND_STATE[r.status], oids: r.oids.map((oid) => ({ oid })) };
    }),
    delivery_order: deliveries,
  };
}

function refundRowView(r: Refund) {
  return { refund_id: r.refundId, tid: r.tid, status: r.status, return_goods: r.returnGoods, reason: r.reason, refund_fee: yuan(r.refundFeeFen), created: time(r.created), modified: time(r.modified), cs_status: 0, refund_type: r.refundType };
}

function couponView(c: Coupon, now: number) {
  return {
    id: c.groupId,
    kdt_id: c.kdtId,
    group_type: 7,
    title: c.title,
    preferential_type: 1,
    denominations: c.valueFen,
    value_random_to: 0,
    condition: c.atLeastFen,
    discount: 0,
    is_limit: c.quota === 1 ? 1 : 0,
    is_forbid_preference: 0,
    user_level: 0,
    date_type: 1,
    fixed_term: 0,
    fixed_begin_term: 0,
    valid_start_time: time(c.startAt),
    valid_end_time: time(c.endAt),
    total_qty: c.total,
    stock_qty: c.stock,
    range_type: c.rangeType,
    range_value: c.itemIds.join(','),
    expire_notice: '0',
    description: c.description,
    meta_data: '',
    is_share: 1,
    is_sync_weixin: 0,
    is_invalid: now > c.endAt ? 1 : 0,
    total_fans_taked: c.totalTake,
    total_used: c.totalUsed,
    total_take: c.totalTake,
    created_at: time(c.created),
    updated_at: time(c.created),
  };
}

// ---- handlers -----------------------------------------------------------------------------

interface SkuStockInput {
  price: number;
  quantity: number;
  item_no?: string;
  skus: { k: string; v: string }[];
}

function parseSkuStocks(text: string): SkuStockInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BusinessError(ITEM_PARAM, 'sku_stocks 格式错误: 不是合法的JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new BusinessError(ITEM_PARAM, 'sku_stocks 格式错误: 必须是非空数组');
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<SkuStockInput>;
    if (typeof e !== 'object' || e === null) throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}] 格式错误`);
    if (!Number.isInteger(e.price) || (e.price as number) < 1) throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}].price 必须是大于0的整数(分)`);
    if (!Number.isInteger(e.quantity) || (e.quantity as number) < 0) throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}].quantity 必须是非负整数`);
    if (!Array.isArray(e.skus) || !e.skus.length || e.skus.some((s) => typeof s?.k !== 'string' || typeof s?.v !== 'string' || !s.k || !s.v)) {
      throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}].skus 必须包含规格名 k 和规格值 v`);
    }
    return { price: e.price as number, quantity: e.quantity as number, item_no: typeof e.item_no === 'string' ? e.item_no : '', skus: e.skus };
  });
}

const LEAF_CIDS = new Set<number>(
  (categoriesFile.categories as { id: number; leaf: boolean }[]).filter((c) => c.leaf).map((c) => c.id),
);

function validateListing(ctx: ApiContext, input: { title?: string; desc?: string; price?: number; imageIds?: string; cid?: number }, creating: boolean): number[] | undefined {
  const { title, desc, price, imageIds, cid } = input;
  if (title !== undefined && (title.trim() === '' || [...title].length > MAX_TITLE)) throw new BusinessError(ITEM_PARAM, '商品标题不能为空且不能超过100个字');
  if (desc !== undefined && ([...desc].length <= 5 || [...desc].length >= 25000)) throw new BusinessError(ITEM_PARAM, '商品描述字数要大于5个字符，小于25000个字符');
  if (price !== undefined && (!Number.isInteger(price) || price < 1)) throw new BusinessError(ITEM_PARAM, '商品价格必须是大于0的整数(分)');
  if (cid !== undefined && cid !== 0 && !LEAF_CIDS.has(cid)) throw new BusinessError(ITEM_PARAM, `类目 ${cid} 不存在或不是叶子类目`);
  if (imageIds === undefined) {
    if (creating) throw new BusinessError(121009313, '至少上传一张商品图片');
    return undefined;
  }
  const ids = imageIds.split(',').map((s) => s.trim()).filter(Boolean);
  if (!ids.length) throw new BusinessError(121009313, '至少上传一张商品图片');
  return ids.map((id) => {
    const image = ctx.store.images.get(Number(id));
    if (!/^\d+$/.test(id) || !image || image.kdtId !== ctx.shop.kdtId) throw new BusinessError(ITEM_PARAM, `图片 ${id} 不存在`);
    return Number(id);
  });
}

function itemOf(ctx: ApiContext, code = 122001001): Item {
  const id = str(ctx.params, 'item_id');
  if (id !== undefined) return ctx.store.item(id, ctx.shop.kdtId, code);
  const alias = str(ctx.params, 'alias');
  const found = alias ? ctx.store.itemsOf(ctx.shop.kdtId).find((i) => i.alias === alias) : undefined;
  if (!found) throw new BusinessError(code, '商品不存在');
  return found;
}

function listItems(ctx: ApiContext, onSale: boolean) {
  const pageNo = num(ctx.params, 'page_no') || 1;
  const pageSize = num(ctx.params, 'page_size') || 40;
  // Digest limits (stricter than the 2020 doc's "page_size ≤ 300").
  if (pageNo < 1 || pageNo > 100) throw new BusinessError(ITEM_PARAM, 'page_no 取值范围 1-100');
  if (pageSize < 1 || pageSize >= 200) throw new BusinessError(ITEM_PARAM, 'page_size 必须小于200');
  if (pageNo * pageSize > 4000) throw new BusinessError(ITEM_PARAM, 'page_no * page_size 不能超过4000');
  const q = str(ctx.params, 'q');
  const from = num(ctx.params, 'update_time_start');
  const to = num(ctx.params, 'update_time_end');
  const banner = str(ctx.params, 'banner');
  let items = ctx.store.itemsOf(ctx.shop.kdtId).filter((i) => {
    if (onSale) return i.listed;
    if (banner === 'sold_out') return ctx.store.quantity(i) === 0;
    return !i.listed;
  });
  if (q) items = items.filter((i) => i.title.includes(q));
  if (from !== undefined) items = items.filter((i) => i.updated >= from);
  if (to !== undefined) items = items.filter((i) => i.updated <= to);
  const [column = 'created_time', dir = 'desc'] = (str(ctx.params, 'order_by') ?? 'created_time:desc').split(':');
  const key = (i: Item) => (column === 'update_time' ? i.updated : column === 'price' ? i.priceFen : column === 'sold_num' ? i.soldNum : i.created);
  items.sort((a, b) => (dir === 'asc' ? 1 : -1) * (key(a) - key(b) || (a.itemId < b.itemId ? -1 : 1)));
  return { count: items.length, items: items.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((i) => listItemView(ctx.store, i)) };
}

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
  if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > 100) throw new BusinessError(TRADE_PARAM, 'page_no 最大为100');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new BusinessError(TRADE_PARAM, 'page_size 最大为100');
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
    else if (['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_SUCCESS', 'TRADE_CLOSED'].includes(wanted)) orders = orders.filter((o) => o.status === wanted);
    else throw new BusinessError(TRADE_PARAM, `不支持的订单状态 ${status}`);
  }
  const tid = str(ctx.params, 'tid');
  if (tid) orders = orders.filter((o) => o.tid === tid);
  const sorted = [...orders].sort((a, b) => sortKey(b) - sortKey(a) || (a.tid < b.tid ? 1 : -1));
  return {
    total_results: sorted.length,
    full_order_info_list: sorted.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((o) => ({ full_order_info: fullOrderInfoView(ctx.store, o) })),
  };
}

function refundSearch(ctx: ApiContext) {
  const now = ctx.store.clock.now();
  const pageNo = num(ctx.params, 'page_no') ?? 1;
  const pageSize = num(ctx.params, 'page_size') ?? 20;
  if (pageNo < 1 || pageNo > 100) throw new BusinessError(REFUND_PARAM, 'page_no 最大为100');
  if (pageSize < 1 || pageNo * pageSize > 3000) throw new BusinessError(REFUND_PARAM, 'page_no * page_size 不能超过3000');
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
  const inRange = (t: number, from?: number, to?: number) => (from === undefined || Math.floor(t / 1000) * 1000 >= from) && (to === undefined || Math.floor(t / 1000) * 1000 <= to);
  refunds = refunds.filter((r) => inRange(r.created, createdFrom ?? defaultFrom, createdTo) && inRange(r.modified, updatedFrom, updatedTo));
  const tid = str(ctx.params, 'tid');
  if (tid) refunds = refunds.filter((r) => r.tid === tid);
  const status = str(ctx.params, 'status');
  if (status) refunds = refunds.filter((r) => r.status === status);
  refunds.sort((a, b) => b.modified - a.modified || (a.refundId < b.refundId ? 1 : -1));
  return { total: refunds.length, refunds: refunds.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(refundRowView) };
}

export const APIS: Record<string, ApiDef> = {
  'youzan.itemcategories.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {},
    handle: () => ({ categories: categoriesFile.rawResponseExample.body.response.categories }),
  },
  'youzan.materials.storage.platform.img.upload': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {},
    write: true,
    handle: (ctx) => {
      const file = ctx.files.find((f) => f.field === 'image' || f.field === 'image[]');
      if (!file || file.size === 0) throw new BusinessError(121009301, '图片不能为空(multipart 字段 image)');
      if (file.size > MAX_IMAGE_BYTES) throw new BusinessError(121009302, '图片大小不能超过1M');
      return ctx.store.uploadImage(ctx.shop.kdtId);
    },
  },
  'youzan.item.create': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: { title: 'string!', desc: 'string!', price: 'number!', image_ids: 'string', quantity: 'number', item_no: 'string', cid: 'long', is_display: 'number', sku_stocks: 'string', post_fee: 'number' },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const imageIds = validateListing(ctx, { title: str(p, 'title'), desc: str(p, 'desc'), price: num(p, 'price'), imageIds: str(p, 'image_ids'), cid: num(p, 'cid') }, true);
      const skuText = str(p, 'sku_stocks');
      const skus = skuText ? parseSkuStocks(skuText) : [];
      const item = ctx.store.createItem({
        kdtId: ctx.shop.kdtId,
        title: str(p, 'title') as string,
        desc: str(p, 'desc'),
        cid: num(p, 'cid'),
        itemNo: str(p, 'item_no'),
        priceFen: num(p, 'price'),
        stock: num(p, 'quantity') ?? 0,
        listed: num(p, 'is_display') !== 0,
        imageIds,
        skus: skus.map((s) => ({ itemNo: s.item_no ?? '', priceFen: s.price, stock: s.quantity, specs: s.skus })),
      });
      item.postFeeFen = num(p, 'post_fee') ?? 0;
      return { item: itemView(ctx.store, item) };
    },
  },
  'youzan.item.update': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!', title: 'string', desc: 'string', price: 'number', image_ids: 'string', item_no: 'string', is_display: 'number', quantity: 'number', sku_stocks: 'string', cid: 'long' },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const item = itemOf(ctx);
      if (str(p, 'sku_stocks') !== undefined) throw new BusinessError(ITEM_PARAM, '沙箱未模拟 item.update 的 sku_stocks 整体替换，请用 youzan.item.sku.update');
      const imageIds = validateListing(ctx, { title: str(p, 'title'), desc: str(p, 'desc'), price: num(p, 'price'), imageIds: str(p, 'image_ids'), cid: num(p, 'cid') }, false);
      const title = str(p, 'title');
      const desc = str(p, 'desc');
      if (title !== undefined) item.title = title;
      if (desc !== undefined) item.desc = desc;
      if (imageIds) item.imageIds = imageIds;
      const itemNo = str(p, 'item_no');
      if (itemNo !== undefined) item.itemNo = itemNo;
      const cid = num(p, 'cid');
      if (cid !== undefined) item.cid = cid;
      const price = num(p, 'price');
      if (price !== undefined) {
        if (item.skus.length) throw new BusinessError(ITEM_PARAM, '多规格商品请通过 sku 更新价格');
        ctx.store.setPrice(item, undefined, price);
      }
      const display = num(p, 'is_display');
      if (display !== undefined) item.listed = display !== 0;
      const quantity = num(p, 'quantity');
      if (quantity !== undefined && !item.skus.length) ctx.store.updateQuantity(item, undefined, quantity, 0);
      item.updated = ctx.store.clock.now();
      return { item_id: new LongId(item.itemId), is_success: true };
    },
  },
  'youzan.item.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long', alias: 'string' },
    handle: (ctx) => ({ item: itemView(ctx.store, itemOf(ctx)) }),
  },
  'youzan.items.onsale.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { q: 'string', tag_id: 'long', page_no: 'number', page_size: 'number', order_by: 'string', update_time_start: 'number', update_time_end: 'number' },
    handle: (ctx) => listItems(ctx, true),
  },
  'youzan.items.inventory.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { q: 'string', tag_id: 'long', page_no: 'number', page_size: 'number', order_by: 'string', update_time_start: 'number', update_time_end: 'number', banner: 'string' },
    handle: (ctx) => listItems(ctx, false),
  },
  'youzan.item.update.listing': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!' },
    write: true,
    handle: (ctx) => {
      const item = itemOf(ctx);
      item.listed = true;
      item.updated = ctx.store.clock.now();
      return { is_success: true };
    },
  },
  'youzan.item.update.delisting': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!' },
    write: true,
    handle: (ctx) => {
      const item = itemOf(ctx);
      item.listed = false;
      item.updated = ctx.store.clock.now();
      return { is_success: true };
    },
  },
  'youzan.item.quantity.update': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!', sku_id: 'long', quantity: 'number!', type: 'number' },
    write: true,
    stockWrite: (p) => Number(p.type ?? 0) === 1,
    handle: (ctx) => {
      const item = itemOf(ctx, 123005001);
      const skuId = num(ctx.params, 'sku_id');
      const sku = ctx.store.skuOf(item, skuId);
      ctx.store.updateQuantity(item, sku, num(ctx.params, 'quantity') as number, num(ctx.params, 'type') ?? 0);
      return { is_success: true };
    },
  },
  'youzan.item.sku.update': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!', sku_id: 'long!', quantity: 'string', price: 'any', item_no: 'string', cost_price: 'number' },
    write: true,
    handle: (ctx) => {
      const item = itemOf(ctx, 123005001);
      const sku = ctx.store.skuOf(item, num(ctx.params, 'sku_id')) as Sku;
      const quantity = str(ctx.params, 'quantity');
      const price = ctx.params.price;
      let priceFen: number | undefined;
      if (price !== undefined && price !== null && price !== '') {
        priceFen = parseYuan(price);
        if (priceFen === undefined || priceFen < 1) throw new BusinessError(ITEM_PARAM, 'price 单位为元，最多两位小数且大于0');
      }
      if (quantity !== undefined && !/^\d+$/.test(quantity)) throw new BusinessError(ITEM_PARAM, 'quantity 必须是非负整数');
      if (priceFen !== undefined) ctx.store.setPrice(item, sku, priceFen);
      if (quantity !== undefined) ctx.store.updateQuantity(item, sku, Number(quantity), 0);
      const itemNo = str(ctx.params, 'item_no');
      if (itemNo !== undefined) sku.itemNo = itemNo;
      return { is_success: true };
    },
  },
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
      if (!order || order.kdtId !== ctx.shop.kdtId || !ctx.store.readable(order)) throw new BusinessError(5000, 'trade not found', { full_order_info: null, refund_order: [], delivery_order: [], order_promotion: null });
      return tradeView(ctx.store, order);
    },
  },
  'youzan.logistics.online.confirm': {
    versions: ['3.0.0'],
    paramCode: 102570001,
    params: { tid: 'string!', is_no_express: 'number', out_stype: 'string', out_sid: 'string', oids: 'string', outer_tid: 'string' },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const order = ctx.store.order(str(p, 'tid') as string, ctx.shop.kdtId);
      const noExpress = num(p, 'is_no_express') === 1;
      const stype = str(p, 'out_stype');
      const sid = str(p, 'out_sid');
      if (!noExpress && (!stype || !sid)) throw new BusinessError(102570001, '物流公司(out_stype)和运单号(out_sid)不能为空');
      const company = noExpress ? undefined : EXPRESS_COMPANIES.find((e) => String(e.id) === stype);
      if (!noExpress && !company) throw new BusinessError(102570021, `物流公司 ${stype} 不存在`);
      if (sid && !/^[A-Za-z0-9-]+$/.test(sid)) throw new BusinessError(105000003, '运单号只能包含字母、数字和中划线');
      const oidsText = str(p, 'oids');
      if (oidsText !== undefined && !/^\d+(,\d+)*$/.test(oidsText)) throw new BusinessError(102599996, 'oids 必须是数字，多个用英文逗号分隔');
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
    params: { tid: 'string', refund_id: 'string', status: 'string', create_time_start: 'number', create_time_end: 'number', update_time_start: 'number', update_time_end: 'number', page_no: 'number', page_size: 'number' },
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
      return { ...refundRowView(r), oid: r.oids[0], version: r.version, item_num: line?.num ?? 0, logistics: null };
    },
  },
  'youzan.ump.promocard.add': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: {
      title: 'string!',
      value: 'string!',
      is_at_least: 'number!',
      at_least: 'string',
      total: 'number!',
      quota: 'number!',
      need_user_level: 'number!',
      range_type: 'string!',
      specify_item_ids: 'string',
      date_type: 'number',
      start_at: 'date',
      end_at: 'date',
      preferential_type: 'number',
      description: 'string',
    },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const valueFen = parseYuan(p.value);
      if (valueFen === undefined || valueFen < 1) throw new BusinessError(COUPON_PARAM, 'value 单位为元，最多两位小数且大于0');
      const atLeast = num(p, 'is_at_least') === 1 ? parseYuan(p.at_least) : 0;
      if (atLeast === undefined) throw new BusinessError(COUPON_PARAM, 'at_least 单位为元，最多两位小数');
      const rangeType = str(p, 'range_type');
      if (rangeType !== 'ALL' && rangeType !== 'PART') throw new BusinessError(COUPON_PARAM, 'range_type 只能是 ALL 或 PART');
      const itemIds = (str(p, 'specify_item_ids') ?? '').split(',').filter(Boolean);
      if (rangeType === 'PART' && !itemIds.length) throw new BusinessError(COUPON_PARAM, 'range_type 为 PART 时 specify_item_ids 不能为空');
      const startAt = date(p, 'start_at');
      const endAt = date(p, 'end_at');
      if (startAt === undefined || endAt === undefined || endAt <= startAt) throw new BusinessError(COUPON_PARAM, 'start_at/end_at 必填且结束时间必须晚于开始时间');
      const coupon = ctx.store.addCoupon({
        kdtId: ctx.shop.kdtId,
        title: str(p, 'title') as string,
        valueFen,
        atLeastFen: atLeast,
        total: num(p, 'total') as number,
        quota: num(p, 'quota') as number,
        rangeType,
        itemIds,
        startAt,
        endAt,
        description: str(p, 'description') ?? '',
      });
      const now = ctx.store.clock.now();
      return {
        promocard: {
          group_id: coupon.groupId,
          range_type: coupon.rangeType,
          title: coupon.title,
          value: yuan(coupon.valueFen),
          is_random: 0,
          need_user_level: 0,
          quota: coupon.quota,
          is_at_least: coupon.atLeastFen > 0 ? 1 : 0,
          at_least: yuan(coupon.atLeastFen),
          total: coupon.total,
          stock: coupon.stock,
          start_at: time(coupon.startAt),
          end_at: time(coupon.endAt),
          description: coupon.description,
          status: 0,
          is_expired: now > coupon.endAt ? 1 : 0,
          is_ongoing: now >= coupon.startAt && now <= coupon.endAt ? 1 : 0,
          created: time(coupon.created),
          stat_fetch_user_num: 0,
          stat_fetch_num: 0,
          stat_use_num: 0,
        },
      };
    },
  },
  'youzan.ump.coupon.search': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: { group_type: 'string', page_no: 'number!', page_size: 'number!', status: 'string' },
    handle: (ctx) => {
      const now = ctx.store.clock.now();
      const pageNo = num(ctx.params, 'page_no') as number;
      const pageSize = num(ctx.params, 'page_size') as number;
      if (pageNo < 1 || pageSize < 1 || pageSize > 300) throw new BusinessError(COUPON_PARAM, 'page_no/page_size 不合法');
      const groupType = str(ctx.params, 'group_type');
      const status = str(ctx.params, 'status');
      let coupons = groupType === 'PROMOCODE' ? [] : [...ctx.store.coupons.values()].filter((c) => c.kdtId === ctx.shop.kdtId);
      if (status === 'FUTURE') coupons = coupons.filter((c) => now < c.startAt);
      else if (status === 'ON') coupons = coupons.filter((c) => now >= c.startAt && now <= c.endAt);
      else if (status === 'END') coupons = coupons.filter((c) => now > c.endAt);
      coupons.sort((a, b) => b.groupId - a.groupId);
      return { total: coupons.length, groups: coupons.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((c) => couponView(c, now)) };
    },
  },
  'youzan.ump.coupon.detail.get': {
    versions: ['3.0.0'],
    paramCode: COUPON_PARAM,
    params: { id: 'long!' },
    handle: (ctx) => {
      const coupon = ctx.store.coupons.get(num(ctx.params, 'id') as number);
      if (!coupon || coupon.kdtId !== ctx.shop.kdtId) throw new BusinessError(160500001, '优惠活动不存在');
      return { group: couponView(coupon, ctx.store.clock.now()) };
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
