import { createHash } from 'node:crypto';
import {
  ChannelCategory,
  ChannelCategoryProperty,
  ChannelItem,
  ChannelSku,
  PropertyInputType,
  PropertyValueInput,
} from '../ports/catalog.port';
import { ChannelOrder, ChannelOrderStatus, ChannelPromotion } from '../ports/orders.port';
import { ChannelRefund, ChannelRefundStatus } from '../ports/after-sales.port';
import { ChannelCoupon } from '../ports/promotions.port';
import { PlatformError } from '../platform-error';
import { idFrom, isKuaishouLong, toKuaishouLong } from './kuaishou-ids';
import {
  KsCategoryRow,
  KsCoupon,
  KsOptionalCategory,
  KsFeeDetail,
  KsItem,
  KsMarketingInfo,
  KsOrder,
  KsPropConfig,
  KsPropValue,
  KsRefund,
  KsSkuInfo,
} from './kuaishou-wire.types';

const ORDER_STATUS: Record<number, ChannelOrderStatus> = {
  10: 'unpaid',
  30: 'paid',
  40: 'shipped',
  50: 'delivered',
  70: 'completed',
  80: 'cancelled',
};
const AUDIT: Record<number, ChannelItem['audit']> = { 0: 'pending', 1: 'needs_changes', 2: 'approved', 3: 'rejected' };
const INPUT_TYPES: Record<string, PropertyInputType> = {
  RADIO: 'single',
  CHECKBOX: 'multi',
  TEXT: 'text',
  EMAIL: 'text',
  URL: 'text',
  NUMBER: 'number',
  DATETIME: 'date',
  DATETIMERANGE: 'date',
  IMAGE: 'image',
};
const HOLD_REASONS: Record<string, string> = { '1': 'group_buy_in_progress', '2': 'risk_review' };
const RISK_BLACK_MARKET = '10001';

/**
 * relItemId / relSkuId are Longs that must never repeat. A numeric merchant code is used as is;
 * any other code maps to a stable 48-bit number (the original code travels as skuNick).
 */
export function relIdFor(outerId: string): string {
  if (isKuaishouLong(outerId) && !outerId.startsWith('-') && !/^0+$/.test(outerId) && outerId.length <= 18)
    return outerId;
  const digest = createHash('sha256').update(outerId, 'utf8').digest();
  return String(digest.readUIntBE(0, 6) + 1);
}

export function toChannelCategories(rows: KsCategoryRow[]): ChannelCategory[] {
  const parents = new Set(rows.map((row) => idFrom(row.categoryPid)));
  return rows.map((row) => {
    const id = idFrom(row.categoryId);
    const parent = idFrom(row.categoryPid);
    // open.item.category has no leaf flag: a leaf is nobody's parent.
    return {
      id,
      parentId: parent === '0' || parent === '' ? null : parent,
      name: row.categoryName,
      leaf: !parents.has(id),
    };
  });
}

/** Flattens open.item.category.optional.get; a node without children is a leaf. */
export function flattenOptionalTree(roots: KsOptionalCategory[]): ChannelCategory[] {
  const out: ChannelCategory[] = [];
  const walk = (nodes: KsOptionalCategory[], parentId: string | null) => {
    for (const node of nodes) {
      const id = idFrom(node.categoryId);
      const children = node.childCategory ?? [];
      out.push({ id, parentId, name: node.categoryName, leaf: children.length === 0, open: node.open !== false });
      walk(children, id);
    }
  };
  walk(roots, null);
  return out;
}

export function toChannelProperty(config: KsPropConfig, values: KsPropValue[]): ChannelCategoryProperty {
  const preset = (config.prePropValues ?? []).flatMap((group) => group.propValues ?? []);
  const seen = new Set<string>();
  const merged = [...values, ...preset].filter((value) => {
    const id = idFrom(value.propValueId);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return {
    id: idFrom(config.propId),
    name: config.propName,
    required: config.required === true,
    inputType: INPUT_TYPES[config.propInputType ?? ''] ?? 'other',
    maxValues: config.propValueMaximum ? config.propValueMaximum : undefined,
    customInput: config.customInput,
    values: merged.map((value) => ({ id: idFrom(value.propValueId), name: value.propValue })),
    ...formatOf(config),
  };
}

function formatOf(config: KsPropConfig): Pick<ChannelCategoryProperty, 'format' | 'image'> {
  const out: Pick<ChannelCategoryProperty, 'format' | 'image'> = {};
  const format = config.propInputConfig?.inputFormatConfig;
  const patterns = (format?.patternList ?? []).filter((p) => p.length > 0);
  // min/max only bind when useLimit is set; patterns always do.
  const limited = format?.useLimit === true;
  if (format && (patterns.length || limited)) {
    out.format = {
      patterns,
      ...(limited && typeof format.min === 'number' ? { min: format.min } : {}),
      ...(limited && typeof format.max === 'number' ? { max: format.max } : {}),
      ...(format.message ? { message: format.message } : {}),
    };
  }
  const image = config.propInputConfig?.imageInputConfig;
  if (image && Object.keys(image).length) out.image = { ...image };
  return out;
}

/** Domain property values → itemPropValues, shaped by each property's input type from category.config. */
export function toItemPropValues(inputs: PropertyValueInput[], configs: KsPropConfig[]): Record<string, unknown>[] {
  const byId = new Map(configs.map((config) => [idFrom(config.propId), config]));
  return inputs.map((input, index) => {
    const config = byId.get(input.propertyId);
    if (!config) {
      throw new PlatformError({
        platform: 'kuaishou',
        api: 'open.item.new',
        code: 'INVALID_REQUEST',
        message: `property ${input.propertyId} is not a property of this category`,
      });
    }
    const entry: Record<string, unknown> = {
      propId: toKuaishouLong(input.propertyId),
      propName: config.propName,
      sortNum: index + 1,
    };
    const ids = input.valueIds ?? [];
    switch (config.propInputType) {
      case 'RADIO':
        entry.radioPropValue = ids.length ? { propValueId: toKuaishouLong(ids[0]) } : { propValue: input.text ?? '' };
        break;
      case 'CHECKBOX':
        entry.checkBoxPropValuesList = ids.map((id) => ({ propValueId: toKuaishouLong(id) }));
        break;
      case 'DATETIME':
        entry.datetimeTimestamp = Number(input.text);
        break;
      case 'IMAGE':
        entry.imagePropValues = input.text ? [input.text] : [];
        break;
      default:
        entry.textPropValue = input.text ?? '';
    }
    return entry;
  });
}

function toChannelSku(sku: KsSkuInfo): ChannelSku {
  const props = sku.skuProp ?? sku.skuProps ?? [];
  return {
    skuId: idFrom(sku.kwaiSkuId),
    outerSkuId: sku.skuNick || (sku.relSkuId !== undefined ? idFrom(sku.relSkuId) : undefined),
    specs: props.map((prop) => ({
      name: prop.propName,
      value: prop.propValueName,
      imageUrl: prop.imageUrl || undefined,
    })),
    priceFen: sku.skuSalePrice,
    stock: sku.skuStock,
    reservedStock: sku.reserveStock,
  };
}

export function toChannelItem(item: KsItem): ChannelItem {
  const shelf = item.onOfflineStatus ?? item.shelfStatus ?? 0;
  return {
    itemId: idFrom(item.itemId ?? item.kwaiItemId),
    outerItemId: item.relItemId !== undefined ? idFrom(item.relItemId) : undefined,
    title: item.title,
    categoryId: idFrom(item.categoryId),
    ...(item.details !== undefined ? { description: item.details } : {}),
    ...(item.imageUrls ? { imageUrls: item.imageUrls } : {}),
    onShelf: shelf === 1,
    audit: item.auditStatus === undefined ? undefined : AUDIT[item.auditStatus],
    auditReason: item.auditReason || undefined,
    skus: (item.skuInfos ?? item.skuList ?? []).map(toChannelSku),
    updatedAt: item.updateTime ?? 0,
  };
}

export function shipHoldsOf(order: KsOrder): string[] {
  const base = order.orderBaseInfo;
  const holds = (base.disableDeliveryReasonCode ?? []).map(
    (code) => HOLD_REASONS[String(code)] ?? `disable_delivery_${code}`,
  );
  if (String(base.riskCode ?? '') === RISK_BLACK_MARKET) holds.push('risk_control');
  // 0 means "must not be shipped"; before payment the field is simply not set yet.
  if (base.status === 30 && !base.validPromiseShipmentTimeStamp) holds.push('no_valid_promise');
  return holds;
}

/** One Kuaishou oid holds exactly one SKU line, so the line id is the oid. */
export function toChannelOrder(order: KsOrder): ChannelOrder {
  const base = order.orderBaseInfo;
  const item = order.orderItemInfo;
  const orderId = idFrom(base.oid);
  const goods = item.price * item.num;
  const discount = base.discountFee ?? item.discountFee ?? 0;
  const shipping = base.expressFee ?? 0;
  const refunds = order.orderRefundList ?? [];
  const refundStatus = refunds.some((r) => r.refundStatus === 60)
    ? 'refunded'
    : refunds.some((r) => r.refundStatus !== 70)
      ? 'in_progress'
      : 'none';
  return {
    platform: 'kuaishou',
    orderId,
    status: ORDER_STATUS[base.status] ?? 'unpaid',
    rawStatus: String(base.status),
    createdAt: base.createTime,
    updatedAt: base.updateTime,
    paidAt: base.payTime || undefined,
    shipBy: base.validPromiseShipmentTimeStamp || undefined,
    delayedShipBy: base.sellerDelayPromiseTimeStamp || undefined,
    shipHolds: shipHoldsOf(order),
    lines: [
      {
        lineId: orderId,
        itemId: idFrom(item.itemId),
        skuId: idFrom(item.skuId),
        outerItemId: item.relItemId !== undefined ? idFrom(item.relItemId) : undefined,
        outerSkuId: item.skuNick || (item.relSkuId !== undefined ? idFrom(item.relSkuId) : undefined),
        title: item.itemTitle ?? '',
        quantity: item.num,
        unitPriceFen: item.price,
        discountFen: discount,
        paidFen: goods - discount,
        shippedQuantity:
          order.orderDeliveryInfo?.deliveryNum ?? (base.status >= 40 && base.status !== 80 ? item.num : 0),
        refundStatus,
        // A refund that takes the goods back before shipment closes the order (status 80, read as
        // cancelled); one that leaves it open (money only, partial, price protection) ships the goods.
        refundedQuantity: 0,
      },
    ],
    goodsTotalFen: goods,
    discountFen: discount,
    shippingFeeFen: shipping,
    paidFen: goods - discount + shipping,
    promotions: [],
    buyerNote: base.remark || undefined,
    buyer: buyerOf(order),
  };
}

/** The masked and encrypted buyer fields, as sent; none while Kuaishou withholds them. */
function buyerOf(order: KsOrder): ChannelOrder['buyer'] {
  const a = order.orderAddress;
  if (!a) return undefined;
  const region = [a.province, a.city, a.district].filter(Boolean).join(' ');
  const buyer = {
    name: a.desensitiseConsignee || undefined,
    phone: a.desensitiseMobile || undefined,
    address: a.desensitiseAddress || undefined,
    region: region || undefined,
    encrypted:
      a.encryptedConsignee || a.encryptedMobile || a.encryptedAddress
        ? {
            name: a.encryptedConsignee || undefined,
            phone: a.encryptedMobile || undefined,
            address: a.encryptedAddress || undefined,
          }
        : undefined,
  };
  return buyer.name || buyer.phone || buyer.address || buyer.encrypted ? buyer : undefined;
}

const PROMOTION_KIND: Record<number, ChannelPromotion['kind']> = {
  1000: 'coupon',
  4000: 'discount',
  5000: 'discount',
  6000: 'points',
  8000: 'platform_subsidy',
  9000: 'points',
};
const PROMOTION_NAME: Record<number, string> = {
  1000: '优惠券',
  4000: '多件优惠',
  5000: '直降',
  6000: '快币抵扣',
  8000: '现金补贴',
  9000: '金币抵扣',
};
const BEARER: Record<number, ChannelPromotion['bearer']> = { 1: 'merchant', 2: 'platform', 3: 'anchor', 4: 'other' };

function toPromotion(info: KsMarketingInfo, lineId: string): ChannelPromotion {
  const bears = info.bearInfoList ?? [];
  const main = [...bears].sort((a, b) => b.bearAmount - a.bearAmount)[0];
  // Old fee model (no bearInfoList): subType 1002 is the platform's share.
  const bearer = main ? (BEARER[main.bearer] ?? 'other') : info.subType === 1002 ? 'platform' : undefined;
  const template =
    info.template && typeof info.template === 'object' ? (info.template as Record<string, unknown>) : undefined;
  return {
    kind: PROMOTION_KIND[info.type] ?? 'other',
    name: PROMOTION_NAME[info.type] ?? `promotion ${info.type}`,
    discountFen: info.discountFee,
    bearer,
    couponId: template?.couponId !== undefined ? idFrom(template.couponId) : undefined,
    lineId,
    rawType: info.subType !== undefined ? `${info.type}:${info.subType}` : String(info.type),
  };
}

/** Amounts and promotions from open.seller.order.fee.detail: buyerPay is what the buyer paid. */
export function withFeeDetail(order: ChannelOrder, fee: KsFeeDetail): ChannelOrder {
  const line = order.lines[0];
  const paidForGoods = fee.buyerPay - fee.expressFee;
  return {
    ...order,
    discountFen: fee.discountFee,
    shippingFeeFen: fee.expressFee,
    paidFen: fee.buyerPay,
    promotions: (fee.marketingInfoOuters ?? []).map((info) => toPromotion(info, line.lineId)),
    lines: [{ ...line, discountFen: fee.discountFee, paidFen: paidForGoods }],
  };
}

const REFUND_KIND: Record<number, ChannelRefund['kind']> = { 1: 'return_and_refund', 10: 'refund_only', 3: 'exchange' };

function refundStatus(refund: KsRefund): ChannelRefundStatus {
  // Two label sets exist for the same values; only 60 (success) and 70 (failed/closed) are final.
  if (refund.status === 60) return 'succeeded';
  if (refund.status === 70) return 'closed';
  if (refund.status === 12 || refund.negotiateStatus === 3) return 'refused';
  if (refund.status === 10 || refund.status === 11) return 'requested';
  return 'in_progress';
}

export function toChannelRefund(refund: KsRefund): ChannelRefund {
  const orderId = idFrom(refund.oid);
  return {
    refundId: idFrom(refund.refundId),
    orderId,
    lineIds: [orderId],
    status: refundStatus(refund),
    rawStatus: String(refund.status),
    kind: REFUND_KIND[refund.handlingWay ?? 0] ?? 'other',
    amountFen: refund.refundFee,
    quantity: refund.productNum || undefined,
    priceProtection: refund.specialRefundType !== undefined ? refund.specialRefundType === 1 : undefined,
    reason: refund.refundReasonDesc || refund.refundDesc || undefined,
    // open.refund.reject takes the refund's updateTime as its version.
    version: String(refund.updateTime),
    createdAt: refund.createTime,
    updatedAt: refund.updateTime,
  };
}

export function toChannelCoupon(coupon: KsCoupon, now: number): ChannelCoupon {
  const status: ChannelCoupon['status'] =
    coupon.status === 3
      ? 'deleted'
      : coupon.status === 1
        ? now < coupon.receiveStartTime
          ? 'pending'
          : 'active'
        : 'ended';
  const itemIds = (coupon.itemId ?? coupon.itemIds ?? []).map(idFrom);
  return {
    couponId: idFrom(coupon.couponId),
    name: coupon.name,
    discountFen: coupon.reduceAmount,
    thresholdFen: coupon.threshold,
    totalStock: coupon.totalStock,
    perBuyerLimit: coupon.receivePerLimit,
    startsAt: coupon.receiveStartTime,
    endsAt: coupon.receiveEndTime,
    status,
    itemIds: coupon.couponTargetType === 0 || itemIds.length ? itemIds : undefined,
  };
}
