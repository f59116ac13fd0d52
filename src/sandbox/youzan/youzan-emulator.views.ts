import { LongId, cstString, yuan } from './youzan-emulator.codec';
import {
  Coupon,
  Item,
  Order,
  Refund,
  RefundStatus,
  Sku,
  YouzanEmulatorStore,
  linePaymentFen,
} from './youzan-emulator.store';

/** Unset times are sent as "" — or, as in one doc demo, as the 1970 sentinel. */
export function time(ms: number | undefined, sentinel = false): string {
  return ms === undefined ? (sentinel ? '1970-01-01 08:00:00' : '') : cstString(ms);
}

function imageView(store: YouzanEmulatorStore, id: number) {
  const image = store.images.get(id);
  const url = image?.url ?? `https://img.yzcdn.cn/sandbox/${id}.jpg`;
  return {
    id,
    url,
    thumbnail: `${url}!120x120.jpg`,
    medium: `${url}!400x400.jpg`,
    combine: url,
    created: time(image?.created ?? 0),
  };
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

export function listItemView(store: YouzanEmulatorStore, item: Item) {
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
      order_tags: {
        is_virtual: false,
        is_payed: order.payTime !== undefined,
        is_refund: order.refundIds.length > 0,
        is_secured_transactions: true,
        is_postage_free: order.postFeeFen === 0,
        is_member: false,
        is_feedback: false,
      },
      order_extra: {
        is_from_cart: 'false',
        buyer_name: '沙箱买家',
        is_member: '0',
        cash: 0,
        t_cash: 0,
        tm_cash: 0,
        orders_combine_id: '',
      },
    },
    source_info: {
      is_offline_order: false,
      source: { platform: 'wx', wx_entrance: 'direct_buy' },
      order_mark: '',
      book_key: order.tid.slice(1),
    },
    buyer_info: {
      buyer_id: 0,
      buyer_phone: '138****0000',
      fans_type: 1,
      fans_id: 0,
      fans_nickname: '',
      outer_user_id: '',
      yz_open_id: `yz_open_${order.kdtId}`,
    },
    pay_info: {
      total_fee: yuan(goods),
      post_fee: yuan(order.postFeeFen),
      payment: yuan(payment),
      transaction: order.payTime ? [`T${order.tid.slice(1)}`] : [],
      outer_transactions: [],
      phase_payments: [],
    },
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
    item: order.lines.map((l) => ({
      oid: l.oid,
      item_id: new LongId(l.itemId),
      sku_id: l.skuId,
      is_present: false,
      promotions: [],
    })),
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

export function tradeView(store: YouzanEmulatorStore, order: Order) {
  const deliveries = order.deliveries.map((d) => ({
    express_state: 1,
    express_type: 1,
    oids: d.oids.map((oid) => ({ oid })),
    dists: [{ dist_id: d.distId, express_info: { express_id: d.expressId, express_no: d.expressNo } }],
  }));
  const pending = order.lines.filter((l) => !l.shipped && l.restocked < l.num);
  if (order.status === 'WAIT_SELLER_SEND_GOODS' && pending.length)
    deliveries.push({ express_state: 0, express_type: 0, oids: pending.map((l) => ({ oid: l.oid })), dists: [] });
  return {
    full_order_info: fullOrderInfoView(store, order),
    order_promotion: orderPromotionView(order),
    refund_order: order.refundIds.map((id) => {
      const r = store.refunds.get(id) as Refund;
      return {
        refund_type: 1,
        refund_fee: yuan(r.refundFeeFen),
        refund_id: r.refundId,
        refund_state: REFUND_STATE[r.status],
        oids: r.oids.map((oid) => ({ oid })),
      };
    }),
    delivery_order: deliveries,
  };
}

export function refundRowView(r: Refund) {
  return {
    refund_id: r.refundId,
    tid: r.tid,
    status: r.status,
    return_goods: r.returnGoods,
    reason: r.reason,
    refund_fee: yuan(r.refundFeeFen),
    created: time(r.created),
    modified: time(r.modified),
    cs_status: 0,
    refund_type: r.refundType,
  };
}

export function couponView(c: Coupon, now: number) {
  return {
    id: c.groupId,
    kdt_id: c.kdtId,
    group_type: 7,
    title: c.title,
    preferential_type: c.preferentialType,
    denominations: c.valueFen,
    value_random_to: 0,
    condition: c.atLeastFen,
    discount: c.discount,
    is_limit: c.quota === 1 ? 1 : 0,
    quota: c.quota,
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
    is_invalid: c.suspended || now > c.endAt ? 1 : 0,
    total_fans_taked: c.totalTake,
    total_used: c.totalUsed,
    total_take: c.totalTake,
    created_at: time(c.created),
    updated_at: time(c.created),
  };
}
