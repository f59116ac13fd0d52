/**
 * Youzan payloads as they arrive after bigint-safe parsing: Long ids are numbers, or strings
 * when they exceed 2^53. Only the fields the adapter reads are listed.
 */
export type RawId = number | string;

export interface RawCategory {
  cid?: RawId;
  parent_cid?: RawId;
  name?: string;
  is_parent?: boolean;
  sub_categories?: RawCategory[] | null;
}

export interface RawSku {
  sku_id?: RawId;
  item_id?: RawId;
  price?: number;
  quantity?: number;
  item_no?: string;
  properties_name_json?: string;
  with_hold_quantity?: number;
  created?: string;
  modified?: string;
}

export interface RawItem {
  item_id?: RawId;
  title?: string;
  cid?: RawId;
  price?: number;
  quantity?: number;
  item_no?: string;
  desc?: string;
  item_imgs?: { url?: string }[];
  is_listing?: boolean;
  created?: string;
  created_time?: string;
  update_time?: string;
  skus?: RawSku[];
}

export interface RawOrderLine {
  oid?: RawId;
  item_id?: RawId;
  sku_id?: RawId;
  outer_item_id?: string;
  outer_sku_id?: string;
  title?: string;
  num?: number;
  price?: string;
  discount_price?: string;
  total_fee?: string;
  payment?: string;
  is_pre_sale?: string | number;
  /** Presale: promised ship time, epoch seconds. */
  expect_delivery_time?: number | string;
}

export interface RawOrderInfo {
  tid?: string;
  status?: string;
  created?: string;
  update_time?: string;
  pay_time?: string;
  consign_time?: string;
  success_time?: string;
  refund_state?: number;
}

export interface RawFullOrderInfo {
  order_info?: RawOrderInfo;
  pay_info?: { total_fee?: string; post_fee?: string; payment?: string };
  remark_info?: { buyer_message?: string };
  orders?: RawOrderLine[];
  buyer_info?: { buyer_phone?: string };
  address_info?: {
    receiver_name?: string;
    receiver_tel?: string;
    delivery_province?: string;
    delivery_city?: string;
    delivery_district?: string;
    delivery_address?: string;
  };
}

export interface RawPromotion {
  promotion_type?: string;
  promotion_title?: string;
  promotion_type_name?: string;
  discount_fee?: string;
  decrease?: string;
  promotion_id?: RawId;
  coupon_id?: RawId;
  sub_promotion_type?: string;
}

export interface RawOrderPromotion {
  item?: { oid?: RawId; promotions?: RawPromotion[] }[];
  order?: RawPromotion[];
  item_discount_fee?: string;
  order_discount_fee?: string;
  goods_decrease?: string;
  order_decrease?: string;
  adjust_fee?: string;
}

export interface RawRefundOrder {
  refund_id?: RawId;
  refund_state?: number;
  refund_fee?: string;
  oids?: { oid?: RawId }[];
}

export interface RawDeliveryOrder {
  express_state?: number;
  oids?: { oid?: RawId }[];
}

export interface RawTrade {
  full_order_info?: RawFullOrderInfo;
  order_promotion?: RawOrderPromotion | null;
  refund_order?: RawRefundOrder[];
  delivery_order?: RawDeliveryOrder[];
}

export interface RawRefund {
  refund_id?: RawId;
  tid?: string;
  oid?: RawId;
  oids?: RawId[] | string;
  status?: string;
  refund_fee?: string;
  refund_type?: string | number;
  return_goods?: boolean;
  demand?: number;
  reason?: string | number;
  created?: string | number;
  modified?: string | number;
  /** refund.get only: units of the line refunded. */
  item_num?: number;
  /** refund.get only: the optimistic lock every seller action quotes. */
  version?: RawId;
}

export interface RawCouponGroup {
  id?: RawId;
  group_id?: RawId;
  title?: string;
  denominations?: number;
  condition?: number;
  total_qty?: number;
  stock_qty?: number;
  is_limit?: number;
  quota?: number;
  /** 1 amount off, 2 discount rate (`discount`: 88 = 8.8折). */
  preferential_type?: number;
  discount?: number;
  range_type?: string;
  range_value?: string;
  description?: string;
  is_invalid?: number;
  valid_start_time?: string;
  valid_end_time?: string;
  total_take?: number;
  total_used?: number;
}
