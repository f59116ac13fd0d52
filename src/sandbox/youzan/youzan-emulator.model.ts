/** The Youzan emulator's records (shops, tokens, items, orders, refunds, coupons), push events and store options. */

export type AppType = 'tool' | 'self_use' | 'any';

export interface StoreOptions {
  clientId: string;
  clientSecret: string;
  appType: AppType;
  /** Whether type=1 stock updates refuse negative deltas (unconfirmed on the real platform). */
  refuseNegativeIncrement: boolean;
  /** An order is readable (trades.sold.get, trade.get, pushes) only this many ms after it took stock (documented ≥ 30 s). */
  orderReadLagMs: number;
  /** Whether a successful refund returns the refunded units to stock. */
  restockOnRefund: boolean;
  /** How long a rotated-out access token keeps working (docs contradict: 0 or 1 h). */
  oldAccessTokenGraceMs: number;
  refundPushStyle: 'legacy' | 'new';
}

export const ACCESS_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

export const REFRESH_TOKEN_TTL_MS = 28 * 24 * 3600 * 1000;

export const CODE_TTL_MS = 2 * 60 * 1000;

export const SCOPE = 'multi_store shop item trade logistics coupon_advanced user';

/** The 2020 demo answer of youzan.logistics.express.get (display flags as the demo has them). */
export const EXPRESS_COMPANIES = [
  { id: 1, name: '申通快递', display: 1 },
  { id: 2, name: '圆通速递', display: 1 },
  { id: 3, name: '中通快递', display: 1 },
  { id: 4, name: '韵达快递', display: 1 },
  { id: 5, name: '天天快递', display: 1 },
  { id: 6, name: '百世快递', display: 1 },
  { id: 7, name: '顺丰速运', display: 1 },
  { id: 8, name: '邮政快递包裹', display: 1 },
  { id: 11, name: 'EMS', display: 1 },
  { id: 25, name: '宅急送', display: 0 },
  { id: 28, name: '德邦物流', display: 1 },
  { id: 38, name: '优速快递', display: 0 },
  { id: 40, name: '国通快递', display: 0 },
  { id: 41, name: '其他', display: 0 },
];

export interface Shop {
  kdtId: number;
  name: string;
  authorized: boolean;
  revoked: boolean;
}

export interface AccessToken {
  kdtId: number;
  expiresAt: number;
  /** Set when rotated out: the token dies at this time. */
  diesAt?: number;
}

export interface RefreshToken {
  kdtId: number;
  expiresAt: number;
  used: boolean;
}

export interface AuthCode {
  kdtId: number;
  redirectUri?: string;
  expiresAt: number;
  used: boolean;
}

export interface SpecPair {
  k: string;
  kid: number;
  v: string;
  vid: number;
}

export interface Sku {
  skuId: number;
  itemId: string;
  itemNo: string;
  priceFen: number;
  stock: number;
  soldNum: number;
  specs: SpecPair[];
  created: number;
  modified: number;
}

export interface Item {
  itemId: string;
  kdtId: number;
  alias: string;
  title: string;
  desc: string;
  cid: number;
  itemNo: string;
  priceFen: number;
  /** Stock of an item without specs (an item with SKUs sums them). */
  stock: number;
  soldNum: number;
  listed: boolean;
  imageIds: number[];
  postFeeFen: number;
  skus: Sku[];
  created: number;
  updated: number;
}

export interface OrderLine {
  oid: string;
  itemId: string;
  skuId: number;
  title: string;
  num: number;
  priceFen: number;
  outerItemId: string;
  outerSkuId: string;
  skuPropertiesName: string;
  couponShareFen: number;
  postShareFen: number;
  shipped: boolean;
  /** Units given back to stock (close or refund), at most num. */
  restocked: number;
}

export interface Delivery {
  distId: string;
  expressId: number;
  expressNo: string;
  oids: string[];
  at: number;
}

export interface Order {
  tid: string;
  /** Emulator-clock ms from which the order APIs and pushes show the order (order read lag). */
  visibleAt: number;
  kdtId: number;
  status: 'WAIT_BUYER_PAY' | 'WAIT_SELLER_SEND_GOODS' | 'WAIT_BUYER_CONFIRM_GOODS' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  created: number;
  updated: number;
  payTime?: number;
  consignTime?: number;
  successTime?: number;
  closeType: number;
  closeReason?: string;
  lines: OrderLine[];
  postFeeFen: number;
  coupon?: { groupId: number; code: string; title: string; discountFen: number };
  deliveries: Delivery[];
  refundIds: string[];
  buyerMessage: string;
  memo: string;
  star: number;
}

export type RefundStatus =
  | 'WAIT_SELLER_AGREE'
  | 'WAIT_BUYER_RETURN_GOODS'
  | 'WAIT_SELLER_CONFIRM_GOODS'
  | 'SELLER_REFUSE_BUYER'
  | 'SELLER_REFUSE_BUYER_RETURN_GOODS'
  | 'CLOSED'
  | 'SUCCESS';

export const REFUND_STATUSES: RefundStatus[] = [
  'WAIT_SELLER_AGREE',
  'WAIT_BUYER_RETURN_GOODS',
  'WAIT_SELLER_CONFIRM_GOODS',
  'SELLER_REFUSE_BUYER',
  'SELLER_REFUSE_BUYER_RETURN_GOODS',
  'CLOSED',
  'SUCCESS',
];

export interface Refund {
  refundId: string;
  tid: string;
  kdtId: number;
  oids: string[];
  status: RefundStatus;
  refundFeeFen: number;
  returnGoods: boolean;
  reason: number;
  refundType: 'BUYER_APPLY_REFUND' | 'SELLER_REFUND';
  created: number;
  modified: number;
  version: number;
  restock: boolean;
  /** `item_num`: units of its line the refund covers (a refund of one line only; else all units of its lines). */
  itemNum: number;
}

export interface Coupon {
  groupId: number;
  kdtId: number;
  title: string;
  valueFen: number;
  /** 1 amount off (`valueFen`), 2 discount rate (`discount`: 88 = 8.8折, the buyer pays 88 %). */
  preferentialType: 1 | 2;
  discount: number;
  atLeastFen: number;
  total: number;
  stock: number;
  quota: number;
  /** Stopped by voucheractivity.suspendsend: no more claims or use. */
  suspended: boolean;
  rangeType: 'ALL' | 'PART';
  itemIds: string[];
  startAt: number;
  endAt: number;
  description: string;
  created: number;
  totalTake: number;
  totalUsed: number;
}

export interface PushEvent {
  type: string;
  kdtId: number;
  id: string;
  status: string | null;
  msg: Record<string, unknown>;
  /** youzan_trade_Refund* messages carry msg as an object, the others as a URL-encoded string. */
  msgAsObject?: boolean;
}

/** Token endpoint failure: `{success:false, code, data:null, message}`. */
export class TokenError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SkuSeed {
  itemNo: string;
  priceFen: number;
  stock: number;
  specs?: { k: string; v: string }[];
}

export interface ItemSeed {
  kdtId: number;
  title: string;
  desc?: string;
  cid?: number;
  itemNo?: string;
  priceFen?: number;
  stock?: number;
  listed?: boolean;
  imageIds?: number[];
  skus?: SkuSeed[];
}

/** Final amount of a line: goods − coupon share + postage share. */
export function linePaymentFen(line: OrderLine): number {
  return line.priceFen * line.num - line.couponShareFen + line.postShareFen;
}
