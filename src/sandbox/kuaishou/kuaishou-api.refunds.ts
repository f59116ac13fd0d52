import { ApiDef, checkRange, cursorPage, OpenApiDeps, read, write } from './kuaishou-api.common';
import { KS_RESULT, KsApiError, ksError } from './kuaishou-emulator.errors';
import { long, ParamReader } from './kuaishou-emulator.json';
import { KsShop } from './kuaishou-emulator.store';
import { refundView } from './kuaishou-emulator.views';

/** After-sales APIs: the refund list and detail, return addresses, the seller's approve / reject actions. */
export function refundApis(deps: OpenApiDeps): Record<string, ApiDef> {
  const { store } = deps;
  /** The shop's refund named by `refundId`, in one of the states the seller action is allowed in (300010 otherwise). */
  const sellerRefund = (shop: KsShop, p: ParamReader, allowed: number[], what: string) => {
    const refund = store.refunds.get(p.long('refundId'));
    if (!refund || refund.openId !== shop.openId) throw new KsApiError(KS_RESULT.REFUND_NOT_FOUND, '售后单不存在');
    if (!allowed.includes(refund.status))
      throw new KsApiError(KS_RESULT.REFUND_STATUS_FORBIDS, `售后单状态(${refund.status})不允许该操作: ${what}`);
    return refund;
  };

  return {
    'open.seller.order.refund.pcursor.list': read('merchant_refund', ({ shop, p, now }) => {
      const begin = p.int('beginTime');
      const end = p.int('endTime');
      checkRange(begin, end, now, deps.refundWindowMs, {
        range: new KsApiError(
          KS_RESULT.REFUND_RANGE,
          `查询时间范围超过限制(${Math.round(deps.refundWindowMs / 3_600_000)}小时)`,
        ),
        lookBack: new KsApiError(KS_RESULT.REFUND_LOOKBACK, '只能查询最近90天的售后单'),
      });
      const type = p.int('type');
      if (type !== 8 && type !== 9) throw ksError.invalid('type 只能为8或9');
      const pageSize = p.int('pageSize');
      if (pageSize < 1 || pageSize > 100) throw ksError.invalid('pageSize 必须在1-100之间');
      const currentPage = p.int('currentPage');
      const byUpdate = (p.int('queryType', true) ?? 1) === 2;
      const orderId = p.long('orderId', true);
      const time = (r: { createTime: number; updateTime: number }) => (byUpdate ? r.updateTime : r.createTime);
      const rows = store
        .refundsOf(shop.openId)
        .filter(
          (r) =>
            time(r) >= begin &&
            time(r) <= end &&
            (type === 9 || ![60, 70].includes(r.status)) &&
            (!orderId || r.oid === orderId),
        );
      const { page, next } = cursorPage(
        rows,
        time,
        (r) => r.refundId,
        (p.int('sort', true) ?? 1) === 2,
        p.string('pcursor', true) ?? '',
        pageSize,
      );
      return {
        data: {
          currentPage,
          pageSize,
          totalPage: Math.ceil(rows.length / pageSize),
          totalSize: rows.length,
          beginTime: begin,
          endTime: end,
          pcursor: next,
          refundOrderInfoList: page.map((r) => refundView(r, store)),
        },
      };
    }),
    'open.refund.reject.reason': read('merchant_refund', ({ shop, p }) => {
      const refund = store.refunds.get(p.long('refundId'));
      if (!refund || refund.openId !== shop.openId) throw new KsApiError(KS_RESULT.REFUND_NOT_FOUND, '售后单不存在');
      return { data: { reasonList: store.rejectReasons(refund) } };
    }),
    'open.address.seller.list': read('merchant_refund', ({ shop }) => ({
      data: {
        addressList: store.sellerAddresses(shop.openId).map((a) => ({
          addressId: long(a.addressId),
          consignee: a.consignee,
          mobile: a.mobile,
          provinceName: a.province,
          cityName: a.city,
          districtName: a.district,
          address: a.address,
          defaultAddress: a.defaultAddress,
        })),
      },
    })),
    'open.seller.order.refund.detail': read('merchant_refund', ({ shop, p }) => {
      const refund = store.refunds.get(p.long('refundId'));
      if (!refund || refund.openId !== shop.openId) throw new KsApiError(KS_RESULT.REFUND_NOT_FOUND, '售后单不存在');
      return { data: refundView(refund, store, true) };
    }),
    'open.seller.order.refund.approve': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [10, 11], 'agree');
      if (refund.handlingWay === 1) throw new KsApiError(KS_RESULT.REFUND_STATUS_FORBIDS, '退货退款需先同意退货');
      const amount = p.int('refundAmount');
      if (amount !== refund.refundFee) throw ksError.invalid(`refundAmount 必须等于退款金额 ${refund.refundFee}`);
      store.settleRefund(refund.refundId, 'succeed');
      return undefined;
    }),
    'open.seller.order.refund.returngoods.approve': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [10, 11], 'agree a return');
      if (refund.handlingWay !== 1) throw new KsApiError(KS_RESULT.REFUND_STATUS_FORBIDS, '仅退款售后单无需退货');
      const addressId = p.long('returnAddressId', true);
      if (addressId !== undefined && !store.sellerAddresses(shop.openId).some((a) => a.addressId === addressId))
        throw ksError.invalid('退货地址不存在');
      store.approveReturn(refund);
      return undefined;
    }),
    'open.seller.order.refund.confirm.receipt': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [40], 'confirm receipt');
      store.settleRefund(refund.refundId, 'succeed');
      return undefined;
    }),
    'open.refund.reject': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [10, 11, 40], 'reject');
      const reasonCode = p.int('reasonCode');
      if (!(reasonCode > 0)) throw ksError.invalid('reasonCode 不能为空');
      if (!store.rejectReasons(refund).some((r) => r.reasonCode === reasonCode))
        throw ksError.invalid(`reasonCode ${reasonCode} 不合法`);
      const desc = p.string('rejectDesc', true);
      if (desc !== undefined && desc.length > 500) throw ksError.invalid('rejectDesc 不能超过500字');
      if (p.int('refundVersion') !== refund.updateTime)
        throw new KsApiError(KS_RESULT.REFUND_UPDATED, '售后单已更新，请刷新后重试');
      store.settleRefund(refund.refundId, 'refuse');
      return undefined;
    }),
  };
}
