import { KuaishouCatalog } from './kuaishou-emulator.catalog';
import { long } from './kuaishou-emulator.json';
import {
  KsCouponRecord,
  KsItemRecord,
  KsOrderRecord,
  KsRefundRecord,
  KsShop,
  KsSku,
  KuaishouEmulatorStore,
} from './kuaishou-emulator.store';

/** The platform's JSON shapes (sheet §3–§4). Long ids are bigint so they are written exactly. */

export function skuView(item: KsItemRecord, sku: KsSku): Record<string, unknown> {
  return {
    kwaiSkuId: long(sku.kwaiSkuId),
    relSkuId: long(sku.relSkuId),
    skuStock: sku.stock,
    skuSalePrice: sku.price,
    skuMarketPrice: sku.marketPrice ?? 0,
    skuNick: sku.skuNick,
    imageUrl: sku.props.find((p) => p.isMainProp === 1)?.imageUrl ?? '',
    isValid: 1,
    specification: sku.props.map((p) => `${p.propName}:${p.propValueName}`).join(';'),
    skuProp: sku.props.map((p) => ({
      propName: p.propName,
      propValueName: p.propValueName,
      imageUrl: p.imageUrl ?? '',
      isMainProp: p.isMainProp,
      propVersion: p.propVersion,
    })),
    reserveStock: sku.reserveStock,
    gtinCode: '',
    createTime: sku.createTime,
    updateTime: sku.updateTime,
    kwaiItemId: long(item.kwaiItemId),
  };
}

function propView(item: KsItemRecord, catalog: KuaishouCatalog): Record<string, unknown>[] {
  return item.props.map((prop, index) => {
    const config = catalog.propsOf(item.categoryId).find((c) => c.propId === prop.propId);
    const named = prop.valueIds.map((id) => ({
      propValueId: id,
      propValue: config?.values.find((v) => v.id === id)?.name ?? '',
    }));
    return {
      propId: prop.propId,
      propName: prop.propName,
      sortNum: index + 1,
      ...(prop.inputType === 'RADIO' ? { radioPropValue: named[0] } : {}),
      ...(prop.inputType === 'CHECKBOX' ? { checkBoxPropValuesList: named } : {}),
      ...(!['RADIO', 'CHECKBOX'].includes(prop.inputType) ? { textPropValue: prop.text ?? '' } : {}),
    };
  });
}

/** open.item.get `data`. */
export function itemView(item: KsItemRecord, catalog: KuaishouCatalog): Record<string, unknown> {
  const path = catalog.path(item.categoryId);
  const parent = path[path.length - 2];
  return {
    itemId: long(item.kwaiItemId),
    relItemId: long(item.relItemId),
    categoryId: item.categoryId,
    categoryName: path[path.length - 1]?.name ?? '',
    parentCategoryId: parent?.id ?? 0,
    parentCategoryName: parent?.name ?? '',
    rootCategoryId: path[0]?.id ?? 0,
    rootCategoryName: path[0]?.name ?? '',
    title: item.title,
    details: item.details,
    imageUrls: item.imageUrls,
    detailImageUrls: item.detailImageUrls,
    serviceRule: { refundRule: item.refundRule, promiseDeliveryTime: item.promiseSeconds, deliveryMethod: 'logistics' },
    expressTemplateId: long(item.expressTemplateId),
    linkUrl: `https://app.kwaixiaodian.com/merchant/shop/detail?id=${item.kwaiItemId}`,
    itemPropValues: propView(item, catalog),
    auditStatus: item.auditStatus,
    auditReason: item.auditReason,
    onOfflineStatus: item.shelf,
    duplicationStatus: item.duplicationStatus ?? 0,
    duplicationReason: '',
    createdTime: item.createTime,
    updateTime: item.updateTime,
    skuInfos: item.skus.map((sku) => skuView(item, sku)),
  };
}

/** open.item.list.get item. */
export function itemListView(item: KsItemRecord, catalog: KuaishouCatalog): Record<string, unknown> {
  return {
    kwaiItemId: long(item.kwaiItemId),
    relItemId: long(item.relItemId),
    title: item.title,
    details: item.details,
    mainImageUrl: item.imageUrls[0] ?? '',
    imageUrls: item.imageUrls,
    categoryId: item.categoryId,
    categoryName: catalog.get(item.categoryId)?.name ?? '',
    price: Math.min(...item.skus.map((s) => s.price)),
    volume: 0,
    shelfStatus: item.shelf,
    auditStatus: item.auditStatus,
    auditReason: item.auditReason,
    itemStatus: 1,
    fromType: 1,
    expressTemplateId: long(item.expressTemplateId),
    skuList: item.skus.map((sku) => skuView(item, sku)),
    createTime: item.createTime,
    updateTime: item.updateTime,
    duplicationStatus: item.duplicationStatus ?? 0,
  };
}

/** Merchant-visible money of one order (orderBaseInfo.totalFee = goods − merchant-borne discounts). */
function money(order: KsOrderRecord) {
  const goods = order.price * order.num;
  return {
    goods,
    totalFee: goods - order.merchantDiscount,
    discountFee: order.merchantDiscount + order.platformDiscount,
    buyerPay: goods - order.merchantDiscount - order.platformDiscount + order.expressFee,
  };
}

/** One element of open.order.cursor.list / open.order.detail `data`. */
export function orderView(order: KsOrderRecord, store: KuaishouEmulatorStore): Record<string, unknown> {
  const shop = store.shop(order.openId);
  const item = store.items.get(order.kwaiItemId);
  const sku = item?.skus.find((s) => s.kwaiSkuId === order.kwaiSkuId);
  const m = money(order);
  const held = order.holds.length > 0;
  return {
    orderBaseInfo: {
      oid: long(order.oid),
      payTime: order.payTime,
      buyerImage: '',
      buyerOpenId: order.buyerOpenId,
      buyerNick: `${order.buyerOpenId.slice(0, 2)}***`,
      sellerOpenId: shop.openId,
      sellerNick: shop.name,
      expressFee: order.expressFee,
      discountFee: m.discountFee,
      totalFee: m.totalFee,
      status: order.status,
      sendTime: order.sendTime,
      refundTime: order.refundTime,
      createTime: order.createTime,
      updateTime: order.updateTime,
      remark: order.remark,
      theDayOfDeliverGoodsTime: Math.round(order.promiseSeconds / 86_400),
      promiseTimeStampOfDelivery: order.payTime ? order.payTime + order.promiseSeconds * 1000 : 0,
      activityType: 0,
      cpsType: 1,
      validPromiseShipmentTimeStamp: order.validPromise,
      preSale: 0,
      recvTime: order.recvTime,
      coType: 0,
      commentStatus: 0,
      payType: order.payTime ? 1 : 0,
      riskCode: order.riskCode,
      payChannel: order.payTime ? 'WECHAT' : '',
      sellerDelayPromiseTimeStamp: 0,
      priorityDelivery: false,
      remindShipmentSign: 0,
      remindShipmentTime: 0,
      disableDeliveryReasonCode: order.holds,
      multiplePiecesNo: 0,
      allActivityType: [],
      orderLabels: [],
      enableSplitDeliveryOrder: false,
      orderSellerRoleInfo: { roleType: 1, roleId: long(shop.sellerId), roleName: shop.name },
    },
    orderItemInfo: {
      orderItemId: long(order.oid) + 1n,
      skuId: long(order.kwaiSkuId),
      relSkuId: sku ? long(sku.relSkuId) : 0,
      skuNick: sku?.skuNick ?? '',
      skuDesc: sku?.props.map((p) => `${p.propName}:${p.propValueName}`).join(';') ?? '',
      itemId: long(order.kwaiItemId),
      relItemId: item ? long(item.relItemId) : 0,
      itemTitle: item?.title ?? '',
      itemPicUrl: item?.imageUrls[0] ?? '',
      itemLinkUrl: `https://app.kwaixiaodian.com/merchant/shop/detail?id=${order.kwaiItemId}`,
      itemType: 1,
      originalPrice: order.price,
      discountFee: m.discountFee,
      price: order.price,
      num: order.num,
      goodsCode: '',
      warehouseCode: '',
      itemExtra: {
        categoryInfo: {
          itemCid: item?.categoryId ?? 0,
          categoryName: item ? (store.catalog.get(item.categoryId)?.name ?? '') : '',
        },
      },
    },
    orderRefundList: order.refundIds.map((id) => ({
      refundId: long(id),
      refundStatus: store.refunds.get(id)?.status ?? 0,
    })),
    orderLogisticsInfo: order.logistics.map((l) => ({
      logisticsId: long(l.logisticsId),
      expressNo: l.expressNo,
      expressCode: l.expressCode,
    })),
    orderNote: { orderNoteInfo: [] },
    // Buyer PII arrives only encrypted or masked, and not at all while delivery is held.
    orderAddress: held
      ? {
          encryptedConsignee: '',
          desensitiseConsignee: '',
          encryptedMobile: '',
          desensitiseMobile: '',
          encryptedAddress: '',
          desensitiseAddress: '',
          province: '',
          city: '',
          district: '',
          town: '',
        }
      : {
          encryptedConsignee: `#${Buffer.from(`c${order.oid}`).toString('base64')}#`,
          desensitiseConsignee: '张**',
          encryptedMobile: `$${Buffer.from(`m${order.oid}`).toString('base64')}$`,
          desensitiseMobile: '138****0000',
          encryptedAddress: `~${Buffer.from(`a${order.oid}`).toString('base64')}~`,
          desensitiseAddress: '北京市海淀区中关村****',
          province: '北京市',
          provinceCode: 110000,
          city: '北京市',
          cityCode: 110100,
          district: '海淀区',
          districtCode: 110108,
          town: '',
          townCode: 0,
        },
    orderDeliveryInfo: {
      deliveryNum: order.deliveryNum,
      totalPackageNum: order.logistics.length,
      packageNum: order.logistics.length,
      splitDeliveryOrder: false,
      maxPackageNum: 50,
      deliveryStatus: order.deliveryNum >= order.num ? 1 : 0,
    },
    subOrderInfo: [],
  };
}

/** open.seller.order.fee.detail `data`. */
export function feeView(order: KsOrderRecord): Record<string, unknown> {
  const m = money(order);
  const marketing: Record<string, unknown>[] = [];
  if (order.merchantDiscount) {
    marketing.push({
      type: 1000,
      subType: 1001,
      discountFee: order.merchantDiscount,
      bearInfoList: [{ bearer: 1, bearAmount: order.merchantDiscount, hasFund: true }],
      // Where the coupon id sits in the real answer is unconfirmed.
      template: order.couponId ? { couponId: long(order.couponId) } : null,
    });
  }
  if (order.platformDiscount) {
    marketing.push({
      type: 8000,
      subType: 8001,
      discountFee: order.platformDiscount,
      bearInfoList: [{ bearer: 2, bearAmount: order.platformDiscount, hasFund: true }],
      template: null,
    });
  }
  return {
    oid: long(order.oid),
    totalFee: m.totalFee,
    expressFee: order.expressFee,
    discountFee: m.discountFee,
    platformAllowance: order.merchantDiscount + order.platformDiscount,
    sellerRecv: m.totalFee + order.expressFee,
    buyerPay: m.buyerPay,
    platformBearAmount: order.platformDiscount,
    merchantBearAmount: order.merchantDiscount,
    marketingInfoOuters: marketing,
    productFeeInfoOuters: [
      {
        skuId: long(order.kwaiSkuId),
        originalPrice: order.price,
        price: order.price,
        num: order.num,
        discountFee: m.discountFee,
        productMarketingInfoOuters: marketing,
      },
    ],
  };
}

export function refundView(
  refund: KsRefundRecord,
  store: KuaishouEmulatorStore,
  detail = false,
): Record<string, unknown> {
  const order = store.orders.get(refund.oid);
  const item = order ? store.items.get(order.kwaiItemId) : undefined;
  const sku = item?.skus.find((s) => s.kwaiSkuId === order?.kwaiSkuId);
  const shop = store.shop(refund.openId);
  const view: Record<string, unknown> = {
    oid: long(refund.oid),
    refundId: long(refund.refundId),
    handlingWay: refund.handlingWay,
    negotiateStatus: refund.negotiateStatus,
    refundFee: refund.refundFee,
    skuId: order ? long(order.kwaiSkuId) : 0,
    relSkuId: sku ? long(sku.relSkuId) : 0,
    skuNick: sku?.skuNick ?? '',
    itemId: order ? long(order.kwaiItemId) : 0,
    relItemId: item ? long(item.relItemId) : 0,
    refundReason: refund.reasonCode,
    refundReasonDesc: refund.reasonDesc,
    status: refund.status,
    refundType: 1,
    receiptStatus: refund.shippedAtRequest ? 2 : 1,
    refundDesc: refund.reasonDesc,
    submitTime: refund.createTime,
    createTime: refund.createTime,
    updateTime: refund.updateTime,
    negotiateUpdateTime: refund.updateTime,
    endTime: refund.endTime,
    expireTime: refund.expireTime,
    logisticsId: 0,
    sellerId: long(shop.sellerId),
  };
  if (detail) {
    Object.assign(view, {
      buyerOpenId: order?.buyerOpenId ?? '',
      pictures: [],
      specialRefundType: refund.specialRefundType,
      productNum: refund.productNum,
      logisticsInfo: null,
      sellerDisagreeReason: 0,
      sellerDisagreeDesc: '',
    });
  }
  return view;
}

export function couponView(coupon: KsCouponRecord, store: KuaishouEmulatorStore): Record<string, unknown> {
  return {
    couponId: long(coupon.couponId),
    name: coupon.name,
    couponTargetType: coupon.couponTargetType,
    itemId: coupon.itemIds.map(long),
    reduceAmount: coupon.reduceAmount,
    threshold: coupon.threshold,
    totalStock: coupon.totalStock,
    receivePerLimit: coupon.receivePerLimit,
    receiveStartTime: coupon.receiveStartTime,
    receiveEndTime: coupon.receiveEndTime,
    validityType: coupon.validityType,
    validStartTime: coupon.validStartTime,
    validEndTime: coupon.validEndTime,
    fixedValidityTime: coupon.fixedValidityTime,
    receiveChannel: coupon.receiveChannel,
    businessLine: 1,
    status: store.couponStatus(coupon),
    createTime: coupon.createTime,
    updateTime: coupon.updateTime,
  };
}

export function shopInfoView(shop: KsShop): Record<string, unknown> {
  return { shopName: shop.name, shopType: 6 };
}
