import { ApiDef, OpenApiDeps, read, write } from './kuaishou-api.common';
import { ksError } from './kuaishou-emulator.errors';
import { long } from './kuaishou-emulator.json';
import { couponView } from './kuaishou-emulator.views';

/** Promotion APIs: merchant coupons. */
export function promotionApis(deps: OpenApiDeps): Record<string, ApiDef> {
  const { store } = deps;
  return {
    'open.promotion.coupon.create': write('merchant_promotion', ({ shop, p }) => ({
      data: { couponId: long(store.createCoupon(shop, p).couponId) },
    })),
    'open.promotion.coupon.over': write('merchant_promotion', ({ shop, p }) => {
      store.endCoupon(shop, p.long('couponId'));
      return undefined;
    }),
    'open.promotion.coupon.stock.add': write('merchant_promotion', ({ shop, p }) => {
      store.addCouponStock(shop, p.long('couponId'), p.int('incrementNum'));
      return undefined;
    }),
    'open.promotion.coupon.query': read('merchant_promotion', ({ shop, p }) => {
      const ids = p.longs('couponId') ?? [];
      return {
        data: ids
          .map((id) => store.coupons.get(id))
          .filter((c) => c && c.openId === shop.openId)
          .map((c) => couponView(c as NonNullable<typeof c>, store)),
      };
    }),
    'open.promotion.coupon.page.list': read('merchant_promotion', ({ shop, p, now }) => {
      // couponTargetType is optional here (absent = all types): unconfirmed for the live API.
      const target = p.int('couponTargetType', true);
      const status = p.int('sellerCouponStatus', true) ?? 0;
      const pageNo = Math.max(1, p.int('pageNo', true) ?? 1);
      const pageSize = p.int('pageSize', true) ?? 20;
      if (pageSize < 1 || pageSize > 100) throw ksError.invalid('pageSize 必须在1-100之间');
      const coupons = store
        .couponsOf(shop)
        .filter((c) => target === undefined || c.couponTargetType === target)
        .filter((c) => {
          const s = store.couponStatus(c);
          if (s === 3) return false;
          if (status === 1) return s === 1 && now < c.receiveStartTime;
          if (status === 2) return s === 1 && now >= c.receiveStartTime;
          if (status === 3) return s !== 1;
          return true;
        })
        .sort((a, b) => b.createTime - a.createTime || (a.couponId < b.couponId ? 1 : -1));
      return {
        data: {
          totalCount: coupons.length,
          marketingOpenCoupon: coupons
            .slice((pageNo - 1) * pageSize, pageNo * pageSize)
            .map((c) => couponView(c, store)),
        },
      };
    }),
    'open.promotion.coupon.statistic': read('merchant_promotion', ({ shop, p }) => {
      const coupon = store.coupons.get(p.long('couponId'));
      if (!coupon || coupon.openId !== shop.openId) throw ksError.business('优惠券不存在');
      // Response field names are unconfirmed (no source lists them).
      return {
        data: {
          couponId: long(coupon.couponId),
          receivedCount: coupon.received,
          usedCount: coupon.used,
          usedAmount: coupon.usedAmount,
        },
      };
    }),
  };
}
