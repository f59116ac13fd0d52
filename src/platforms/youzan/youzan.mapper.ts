import { ChannelCategory, ChannelItem, ChannelSku, SpecValue } from '../ports/catalog.port';
import { ChannelOrder, ChannelOrderLine, ChannelOrderStatus, ChannelPromotion } from '../ports/orders.port';
import { ChannelRefund, ChannelRefundStatus } from '../ports/after-sales.port';
import { ChannelCoupon } from '../ports/promotions.port';
import {
  RawCategory,
  RawCouponGroup,
  RawItem,
  RawOrderLine,
  RawPromotion,
  RawRefund,
  RawSku,
  RawTrade,
} from './youzan-api.types';
import { beijingToEpochMs, idString, yuanStringToFen } from './youzan-values';

const ORDER_STATUS: Record<string, ChannelOrderStatus> = {
  WAIT_BUYER_PAY: 'unpaid',
  TRADE_PAID: 'paid',
  WAIT_CONFIRM: 'paid',
  WAIT_SELLER_SEND_GOODS: 'paid',
  WAIT_BUYER_CONFIRM_GOODS: 'shipped',
  TRADE_SUCCESS: 'completed',
  TRADE_CLOSED: 'cancelled',
  TRADE_CLOSE: 'cancelled',
};

const REFUND_STATUS: Record<string, ChannelRefundStatus> = {
  WAIT_SELLER_AGREE: 'requested',
  WAIT_BUYER_RETURN_GOODS: 'in_progress',
  WAIT_SELLER_CONFIRM_GOODS: 'in_progress',
  SELLER_REFUSE_BUYER: 'refused',
  SELLER_REFUSE_BUYER_RETURN_GOODS: 'refused',
  CLOSED: 'closed',
  SUCCESS: 'succeeded',
};

/** `refund_state` of `trade.get` refund_order: 1 requested, 20/30 return in progress, 60 refunded; 10/40 refused, 50 closed. */
const LINE_REFUND_IN_PROGRESS = new Set([1, 20, 30]);
const POINTS_TYPES = new Set(['pointsExchange']);

export function mapOrderStatus(raw: string | undefined): ChannelOrderStatus {
  const status = raw ? ORDER_STATUS[raw] : undefined;
  if (!status) throw new RangeError(`unknown Youzan order status ${raw}`);
  return status;
}

/** The v3 cid list: roots whose only child is themselves are selectable leaves. */
export function mapCategories(roots: RawCategory[]): ChannelCategory[] {
  const out = new Map<string, ChannelCategory>();
  const visit = (node: RawCategory, parentId: string | null) => {
    const id = idString(node.cid);
    const children = (node.sub_categories ?? []).filter((c) => idString(c.cid) !== id);
    if (!out.has(id)) out.set(id, { id, parentId, name: node.name ?? '', leaf: children.length === 0 });
    for (const child of children) visit(child, id);
  };
  for (const root of roots) visit(root, null);
  return [...out.values()];
}

function specsOf(sku: RawSku): SpecValue[] {
  if (!sku.properties_name_json) return [];
  try {
    const props = JSON.parse(sku.properties_name_json) as { k?: string; v?: string }[];
    return props.map((p) => ({ name: p.k ?? '', value: p.v ?? '' }));
  } catch {
    return [];
  }
}

export function mapItem(item: RawItem): ChannelItem {
  const rawSkus = item.skus ?? [];
  const skus: ChannelSku[] = rawSkus.length
    ? rawSkus.map((s) => ({
        skuId: idString(s.sku_id),
        outerSkuId: s.item_no || undefined,
        specs: specsOf(s),
        priceFen: s.price ?? 0,
        stock: s.quantity ?? 0,
      }))
    : // An item without specs has one implicit SKU, addressed as sku_id 0 (as on order lines).
      [
        {
          skuId: '0',
          outerSkuId: item.item_no || undefined,
          specs: [],
          priceFen: item.price ?? 0,
          stock: item.quantity ?? 0,
        },
      ];
  const times = [item.update_time, ...rawSkus.map((s) => s.modified), item.created, item.created_time]
    .map(beijingToEpochMs)
    .filter((t): t is number => t !== null);
  return {
    itemId: idString(item.item_id),
    outerItemId: item.item_no || undefined,
    title: item.title ?? '',
    categoryId: idString(item.cid),
    ...(item.desc !== undefined ? { description: item.desc } : {}),
    ...(item.item_imgs ? { imageUrls: item.item_imgs.map((i) => i.url ?? '').filter(Boolean) } : {}),
    onShelf: item.is_listing === true,
    skus,
    updatedAt: times.length ? Math.max(...times) : 0,
  };
}

function promotionKind(type: string): ChannelPromotion['kind'] {
  if (type === 'coupon') return 'coupon';
  if (POINTS_TYPES.has(type)) return 'points';
  if (type === '') return 'other';
  return 'discount';
}

function mapPromotion(p: RawPromotion, lineId?: string): ChannelPromotion {
  const rawType = p.promotion_type ?? '';
  const kind = promotionKind(rawType);
  return {
    kind,
    name: p.promotion_title || p.promotion_type_name || rawType,
    discountFen: yuanStringToFen(p.discount_fee ?? p.decrease),
    bearer: 'merchant',
    // promotion_id is the coupon activity (what listCoupons returns); coupon_id is the buyer's instance.
    couponId: kind === 'coupon' ? idString(p.promotion_id ?? p.coupon_id) || undefined : undefined,
    lineId,
    rawType,
  };
}

/**
 * One Youzan trade in domain terms. From `trades.sold.get` (no order_promotion, refund_order,
 * delivery_order) discounts are derived from the amounts; `trade.get` adds promotions,
 * per-line refund state and shipped lines.
 */
export function mapTrade(trade: RawTrade): ChannelOrder {
  const full = trade.full_order_info ?? {};
  const info = full.order_info ?? {};
  const pay = full.pay_info ?? {};
  const rawStatus = info.status ?? '';
  const refundByLine = new Map<string, ChannelOrderLine['refundStatus']>();
  const shipped = new Set<string>();
  for (const d of trade.delivery_order ?? [])
    if (d.express_state === 1) for (const o of d.oids ?? []) shipped.add(idString(o.oid));
  const detailed = trade.delivery_order !== undefined;
  const allShipped = rawStatus === 'WAIT_BUYER_CONFIRM_GOODS' || rawStatus === 'TRADE_SUCCESS';
  const paymentOf = new Map((full.orders ?? []).map((l) => [idString(l.oid), yuanStringToFen(l.payment)]));
  // A refund gives the goods back only when it repaid its lines in full before they shipped;
  // one for less (money only, partial, price protection) leaves the goods to ship.
  const goodsRefunded = new Set<string>();
  for (const refund of trade.refund_order ?? []) {
    const state: ChannelOrderLine['refundStatus'] =
      refund.refund_state === 60
        ? 'refunded'
        : LINE_REFUND_IN_PROGRESS.has(refund.refund_state ?? 0)
          ? 'in_progress'
          : 'none';
    const oids = (refund.oids ?? []).map((o) => idString(o.oid));
    for (const oid of oids) refundByLine.set(oid, state);
    const owed = oids.reduce((sum, oid) => sum + (paymentOf.get(oid) ?? 0), 0);
    if (refund.refund_state === 60 && owed > 0 && yuanStringToFen(refund.refund_fee) >= owed)
      for (const oid of oids) goodsRefunded.add(oid);
  }

  const lines = (full.orders ?? []).map((l: RawOrderLine): ChannelOrderLine => {
    const lineId = idString(l.oid);
    const quantity = l.num ?? 0;
    const unitPriceFen = yuanStringToFen(l.price);
    const paidFen = yuanStringToFen(l.payment);
    return {
      lineId,
      itemId: idString(l.item_id),
      skuId: idString(l.sku_id) || '0',
      outerItemId: l.outer_item_id || undefined,
      outerSkuId: l.outer_sku_id || undefined,
      title: l.title ?? '',
      quantity,
      unitPriceFen,
      discountFen: Math.max(0, unitPriceFen * quantity - paidFen),
      paidFen,
      shippedQuantity: detailed ? (shipped.has(lineId) || allShipped ? quantity : 0) : undefined,
      refundStatus: detailed ? (refundByLine.get(lineId) ?? 'none') : undefined,
      refundedQuantity: detailed
        ? goodsRefunded.has(lineId) && !shipped.has(lineId) && !allShipped
          ? quantity
          : 0
        : undefined,
      presaleShipAt: presaleShipAt(l),
    };
  });

  const goodsTotalFen = yuanStringToFen(pay.total_fee);
  const shippingFeeFen = yuanStringToFen(pay.post_fee);
  const paidFen = yuanStringToFen(pay.payment);
  const promo = trade.order_promotion;
  const promotions: ChannelPromotion[] = [];
  if (promo) {
    for (const item of promo.item ?? [])
      for (const p of item.promotions ?? []) promotions.push(mapPromotion(p, idString(item.oid)));
    for (const p of promo.order ?? []) promotions.push(mapPromotion(p));
  }
  const discountFen = promo
    ? yuanStringToFen(promo.item_discount_fee ?? promo.goods_decrease) +
      yuanStringToFen(promo.order_discount_fee ?? promo.order_decrease)
    : Math.max(0, goodsTotalFen + shippingFeeFen - paidFen);

  const shipHolds: string[] = [];
  if (rawStatus === 'WAIT_CONFIRM') shipHolds.push('waiting for group-buy or merchant acceptance');
  if (info.refund_state === 1 || info.refund_state === 11) shipHolds.push('refund in progress');

  return {
    platform: 'youzan',
    orderId: info.tid ?? '',
    status: mapOrderStatus(rawStatus),
    rawStatus,
    createdAt: beijingToEpochMs(info.created) ?? 0,
    updatedAt: beijingToEpochMs(info.update_time) ?? beijingToEpochMs(info.created) ?? 0,
    paidAt: beijingToEpochMs(info.pay_time) ?? undefined,
    shipHolds,
    lines,
    goodsTotalFen,
    discountFen,
    shippingFeeFen,
    paidFen,
    promotions,
    buyerNote: full.remark_info?.buyer_message || undefined,
    buyer: youzanBuyer(full),
  };
}

function presaleShipAt(line: RawOrderLine): number | undefined {
  if (String(line.is_pre_sale ?? '0') !== '1') return undefined;
  const seconds = Number(line.expect_delivery_time ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Youzan delivers receiver name, phone and address already masked; stored as sent. */
function youzanBuyer(full: NonNullable<RawTrade['full_order_info']>): ChannelOrder['buyer'] {
  const a = full.address_info;
  const phone = a?.receiver_tel || full.buyer_info?.buyer_phone || undefined;
  const region = [a?.delivery_province, a?.delivery_city, a?.delivery_district].filter(Boolean).join(' ');
  if (!a?.receiver_name && !phone && !a?.delivery_address) return undefined;
  return {
    name: a?.receiver_name || undefined,
    phone,
    address: a?.delivery_address || undefined,
    region: region || undefined,
  };
}

function refundKind(refund: RawRefund): ChannelRefund['kind'] {
  if (refund.refund_type === 'EXCHANGE_GOODS' || refund.demand === 3) return 'exchange';
  if (refund.return_goods === true || refund.demand === 2) return 'return_and_refund';
  if (refund.return_goods === false || refund.demand === 1 || refund.refund_type !== undefined) return 'refund_only';
  return 'other';
}

export function mapRefund(refund: RawRefund): ChannelRefund {
  const rawStatus = refund.status ?? '';
  const oids = Array.isArray(refund.oids)
    ? refund.oids.map(idString)
    : typeof refund.oids === 'string'
      ? refund.oids.split(',').filter(Boolean)
      : [];
  if (refund.oid !== undefined && idString(refund.oid) && !oids.includes(idString(refund.oid)))
    oids.push(idString(refund.oid));
  return {
    refundId: idString(refund.refund_id),
    orderId: refund.tid ?? '',
    lineIds: oids,
    status: REFUND_STATUS[rawStatus] ?? 'in_progress',
    rawStatus,
    kind: refundKind(refund),
    amountFen: yuanStringToFen(refund.refund_fee),
    quantity: typeof refund.item_num === 'number' && refund.item_num > 0 ? refund.item_num : undefined,
    reason: refund.reason !== undefined && refund.reason !== '' ? String(refund.reason) : undefined,
    version: refund.version !== undefined && refund.version !== null ? String(refund.version) : undefined,
    createdAt: beijingToEpochMs(refund.created) ?? 0,
    updatedAt: beijingToEpochMs(refund.modified) ?? beijingToEpochMs(refund.created) ?? 0,
  };
}

export function mapCoupon(group: RawCouponGroup, now: number): ChannelCoupon {
  const startsAt = beijingToEpochMs(group.valid_start_time) ?? 0;
  const endsAt = beijingToEpochMs(group.valid_end_time) ?? 0;
  const status: ChannelCoupon['status'] =
    // is_invalid (失效): stopped by suspendsend or past its end; a stopped coupon is ended, not gone.
    group.is_invalid === 1 ? 'ended' : now < startsAt ? 'pending' : endsAt && now > endsAt ? 'ended' : 'active';
  return {
    couponId: idString(group.id ?? group.group_id),
    name: group.title ?? '',
    discountFen: group.denominations ?? 0,
    // `condition` has no documented unit; like `denominations` in the same record it is read as fen.
    thresholdFen: group.condition ?? 0,
    totalStock: group.total_qty ?? 0,
    perBuyerLimit: group.quota ?? (group.is_limit === 1 ? 1 : 0),
    startsAt,
    endsAt,
    status,
    ...(group.preferential_type === 2 && group.discount ? { payPercent: group.discount } : {}),
    itemIds:
      group.range_type === 'PART' && group.range_value ? group.range_value.split(',').filter(Boolean) : undefined,
  };
}
