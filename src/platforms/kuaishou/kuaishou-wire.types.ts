import { KuaishouLong } from './kuaishou-ids';

/** The parts of Kuaishou's payloads this adapter reads (field names as documented, sheet §3–§4). */

export interface KsCategoryRow {
  categoryId: KuaishouLong;
  categoryName: string;
  categoryPid: KuaishouLong;
}

/** open.item.category.optional.get: the tree with the merchant's `open` flag. */
export interface KsOptionalCategory {
  categoryId: KuaishouLong;
  categoryName: string;
  hierarchy?: number;
  open?: boolean;
  childCategory?: KsOptionalCategory[] | null;
}

export interface KsSuggestedCategory {
  categoryNamePath: string[];
  categoryCodePath: KuaishouLong[];
  open?: boolean;
}

export interface KsPropValue {
  propValueId: KuaishouLong;
  propValue: string;
}

export interface KsPropConfig {
  propId: KuaishouLong;
  propName: string;
  required?: boolean;
  propInputType?: string;
  propValueMaximum?: number;
  customInput?: boolean;
  prePropValues?: { propId?: KuaishouLong; propValues?: KsPropValue[] }[];
  propInputConfig?: {
    inputFormatConfig?: { patternList?: string[]; useLimit?: boolean; min?: number; max?: number; message?: string };
    imageInputConfig?: { minCount?: number; maxCount?: number; minWidth?: number; minHeight?: number };
  };
}

export interface KsCategoryConfig {
  categoryConfig?: { refundRuleList?: number[] };
  propConfigs?: KsPropConfig[];
}

export interface KsSkuProp {
  propId?: KuaishouLong;
  propName: string;
  propValueId?: KuaishouLong;
  propValueName: string;
  imageUrl?: string;
  isMainProp?: number;
}

export interface KsSkuInfo {
  kwaiSkuId: KuaishouLong;
  relSkuId?: KuaishouLong;
  skuNick?: string;
  skuStock: number;
  skuSalePrice: number;
  reserveStock?: number;
  skuProp?: KsSkuProp[];
  skuProps?: KsSkuProp[];
}

export interface KsItem {
  itemId?: KuaishouLong;
  kwaiItemId?: KuaishouLong;
  relItemId?: KuaishouLong;
  title: string;
  categoryId: KuaishouLong;
  details?: string;
  imageUrls?: string[];
  onOfflineStatus?: number;
  shelfStatus?: number;
  auditStatus?: number;
  auditReason?: string;
  updateTime?: number;
  skuInfos?: KsSkuInfo[];
  skuList?: KsSkuInfo[];
}

export interface KsItemCreated {
  kwaiItemId: KuaishouLong;
  relItemId?: KuaishouLong;
  skuIdMapping?: { kwaiSkuId: KuaishouLong; relSkuId?: KuaishouLong; skuNick?: string }[];
}

export interface KsOrderBaseInfo {
  oid: KuaishouLong;
  status: number;
  createTime: number;
  updateTime: number;
  payTime?: number;
  totalFee?: number;
  discountFee?: number;
  expressFee?: number;
  remark?: string;
  validPromiseShipmentTimeStamp?: number;
  sellerDelayPromiseTimeStamp?: number;
  disableDeliveryReasonCode?: (number | string)[];
  riskCode?: number | string;
}

export interface KsOrderItemInfo {
  skuId: KuaishouLong;
  relSkuId?: KuaishouLong;
  skuNick?: string;
  itemId: KuaishouLong;
  relItemId?: KuaishouLong;
  itemTitle?: string;
  price: number;
  originalPrice?: number;
  discountFee?: number;
  num: number;
}

export interface KsOrder {
  orderBaseInfo: KsOrderBaseInfo;
  orderItemInfo: KsOrderItemInfo;
  orderRefundList?: { refundId: KuaishouLong; refundStatus: number }[];
  orderDeliveryInfo?: { deliveryNum?: number };
  orderLogisticsInfo?: { expressNo?: string; expressCode?: number; logisticsId?: KuaishouLong }[];
  orderAddress?: KsOrderAddress;
}

/** Buyer address as Kuaishou sends it: ciphertext plus a masked (desensitised) copy. */
export interface KsOrderAddress {
  encryptedConsignee?: string;
  desensitiseConsignee?: string;
  encryptedMobile?: string;
  desensitiseMobile?: string;
  encryptedAddress?: string;
  desensitiseAddress?: string;
  province?: string;
  city?: string;
  district?: string;
}

export interface KsBearInfo {
  bearer: number;
  bearAmount: number;
}

export interface KsMarketingInfo {
  type: number;
  subType?: number;
  discountFee: number;
  bearInfoList?: KsBearInfo[] | null;
  template?: unknown;
}

export interface KsFeeDetail {
  totalFee: number;
  expressFee: number;
  discountFee: number;
  buyerPay: number;
  sellerRecv?: number;
  platformBearAmount?: number;
  merchantBearAmount?: number;
  marketingInfoOuters?: KsMarketingInfo[];
}

export interface KsRefund {
  refundId: KuaishouLong;
  oid: KuaishouLong;
  handlingWay?: number;
  negotiateStatus?: number;
  refundFee: number;
  status: number;
  refundReasonDesc?: string;
  refundDesc?: string;
  createTime: number;
  updateTime: number;
  /** Detail only. */
  productNum?: number;
  /** Detail only: 0 normal, 1 price protection. */
  specialRefundType?: number;
}

export interface KsCoupon {
  couponId: KuaishouLong;
  name: string;
  couponTargetType?: number;
  itemId?: KuaishouLong[];
  itemIds?: KuaishouLong[];
  reduceAmount: number;
  threshold: number;
  totalStock: number;
  receivePerLimit: number;
  receiveStartTime: number;
  receiveEndTime: number;
  validEndTime?: number;
  status: number;
}

/** open.promotion.coupon.statistic: response field names are unconfirmed (the emulator's choice). */
export interface KsCouponStatistic {
  couponId?: KuaishouLong;
  receivedCount?: number;
  usedCount?: number;
  usedAmount?: number;
}
