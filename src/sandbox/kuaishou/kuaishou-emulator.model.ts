/** The Kuaishou emulator's records (shops, items, orders, refunds, coupons), events and store options. */

export interface KsShop {
  openId: string;
  sellerId: string;
  name: string;
  expressTemplateId: string;
  createdToday: { day: number; count: number };
  usedRelItemIds: Set<string>;
  /** Leaf categories this merchant may not list in (`open: false` in open.item.category.optional.get). */
  closedCategoryIds: Set<number>;
  /** open.item.category.suggested.get calls today and this shop's daily cap. */
  suggestedToday: { day: number; count: number };
  suggestDailyCap: number;
}

export interface KsSkuPropValue {
  propName: string;
  propValueName: string;
  imageUrl?: string;
  isMainProp: number;
  propVersion: number;
}

export interface KsSku {
  kwaiSkuId: string;
  relSkuId: string;
  skuNick: string;
  stock: number;
  price: number;
  marketPrice?: number;
  reserveStock: number;
  props: KsSkuPropValue[];
  createTime: number;
  updateTime: number;
}

export interface KsItemProp {
  propId: number;
  propName: string;
  inputType: string;
  valueIds: number[];
  text?: string;
}

export interface KsItemRecord {
  kwaiItemId: string;
  openId: string;
  relItemId: string;
  title: string;
  categoryId: number;
  details: string;
  imageUrls: string[];
  detailImageUrls: string[];
  refundRule: string;
  promiseSeconds: number;
  expressTemplateId: string;
  props: KsItemProp[];
  auditStatus: number;
  auditReason: string;
  duplicationStatus?: number;
  /** Edits of audited fields waiting for approval (manual audit mode). */
  pendingEdit?: { title?: string; details?: string; imageUrls?: string[]; props?: KsItemProp[] };
  shelf: number;
  shelfOnApproval: boolean;
  onlineEdited: boolean;
  createTime: number;
  updateTime: number;
  skus: KsSku[];
}

export interface KsOrderRecord {
  oid: string;
  /** Emulator-clock ms from which the order APIs and pushes show the order (order read lag). */
  visibleAt: number;
  openId: string;
  buyerOpenId: string;
  status: number;
  createTime: number;
  updateTime: number;
  payTime: number;
  sendTime: number;
  recvTime: number;
  refundTime: number;
  kwaiItemId: string;
  kwaiSkuId: string;
  num: number;
  price: number;
  merchantDiscount: number;
  platformDiscount: number;
  couponId?: string;
  expressFee: number;
  promiseSeconds: number;
  validPromise: number;
  noPromise: boolean;
  holds: number[];
  riskCode: number;
  remark: string;
  logistics: { logisticsId: string; expressNo: string; expressCode: number }[];
  deliveryNum: number;
  refundIds: string[];
}

export interface KsRefundRecord {
  refundId: string;
  oid: string;
  openId: string;
  handlingWay: number;
  refundFee: number;
  status: number;
  negotiateStatus: number;
  reasonCode: number;
  reasonDesc: string;
  createTime: number;
  updateTime: number;
  endTime: number;
  expireTime: number;
  restock?: boolean;
  shippedAtRequest: boolean;
  /** Units the refund covers (detail `productNum`), 1..the order's num. */
  productNum: number;
  /** Detail `specialRefundType`: 0 normal, 1 price protection (money back, the goods still ship). */
  specialRefundType: number;
}

export interface KsCouponRecord {
  couponId: string;
  openId: string;
  outerUniqueKey: string;
  name: string;
  couponTargetType: number;
  itemIds: string[];
  reduceAmount: number;
  threshold: number;
  totalStock: number;
  receivePerLimit: number;
  receiveStartTime: number;
  receiveEndTime: number;
  validityType: number;
  validStartTime: number;
  validEndTime: number;
  fixedValidityTime: number;
  receiveChannel: string;
  ended: boolean;
  deleted: boolean;
  createTime: number;
  updateTime: number;
  received: number;
  used: number;
  usedAmount: number;
}

export type KsEventName =
  | 'kwaishop_order_addOrder'
  | 'kwaishop_order_paySuccess'
  | 'kwaishop_order_delivering'
  | 'kwaishop_order_deliverySuccess'
  | 'kwaishop_order_orderSuccess'
  | 'kwaishop_order_orderFail'
  | 'kwaishop_aftersales_addRefund'
  | 'kwaishop_aftersales_updateRefund';

export interface KsStoreEvent {
  event: KsEventName;
  openId: string;
  sellerId: string;
  bizId: string;
  info: Record<string, unknown>;
}

export interface KsStoreOptions {
  auditMode: 'auto' | 'manual';
  refundRestock: 'unshipped' | 'always' | 'never';
  dailyItemCreateLimit: number;
  /** Per-merchant daily cap of open.item.category.suggested.get (the real number is unpublished). */
  suggestDailyCap: number;
  /** An order is readable (order APIs, pushes) only this many ms after it took stock. */
  orderReadLagMs: number;
}

export interface PlaceOrderInput {
  itemId: string;
  skuId: string;
  quantity: number;
  pay?: boolean;
  couponId?: string;
  openId?: string;
  buyerOpenId?: string;
  expressFee?: number;
  platformDiscountFen?: number;
  holds?: number[];
  riskCode?: number;
  noPromise?: boolean;
  buyerNote?: string;
}

export const KS_MAX_STOCK = 9_999_999;

export const DAY_MS = 86_400_000;

export const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;

/** A buyer's refund request (control API). */
export interface RefundInput {
  oid: string;
  /** 10 refund only (default), 1 return + refund, 3 exchange. */
  handlingWay?: number;
  amountFen?: number;
  reason?: string;
  reasonCode?: number;
  /** Overrides the emulator's restock policy for this refund. */
  restock?: boolean;
  /** Units the refund covers (default: all of the order's). */
  productNum?: number;
  /** 1 = price protection: money back, the goods still ship (default 0). */
  specialRefundType?: number;
}
