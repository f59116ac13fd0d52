import { SandboxError } from '../shared/control.errors';
import { ksError } from './kuaishou-emulator.errors';
import { ParamReader } from './kuaishou-emulator.json';
import { CHINA_UTC_OFFSET_MS, DAY_MS, KsCouponRecord, KsItemRecord, KsShop } from './kuaishou-emulator.model';
import { KsItemsStore } from './kuaishou-store.items';

/** Merchant coupons: creation rules, status by the clock, and which coupon an order may use. */
export abstract class KsCouponsStore extends KsItemsStore {
  /** open.promotion.coupon.create; the same outerUniqueKey returns the same coupon. */
  createCoupon(shop: KsShop, p: ParamReader): KsCouponRecord {
    const key = p.string('outerUniqueKey');
    if (!key || key.length > 60) throw ksError.invalid('outerUniqueKey 长度必须为1-60');
    const existing = this.couponKeys.get(`${shop.openId}|${key}`);
    if (existing) return this.coupons.get(existing) as KsCouponRecord;
    const name = p.string('name');
    if (!name.trim()) throw ksError.business('优惠券名称不能为空');
    const targetType = p.int('couponTargetType');
    if (targetType !== 0 && targetType !== 1) throw ksError.business('仅支持商品券(0)和店铺券(1)');
    const itemIds = p.longs('itemIds') ?? [];
    if (targetType === 0) {
      if (!itemIds.length) throw ksError.business('商品券必须指定商品');
      for (const id of itemIds) this.item(shop, id);
    }
    const reduceAmount = p.int('reduceAmount');
    const threshold = p.int('threshold');
    if (reduceAmount < 1) throw ksError.business('优惠金额必须大于0');
    if (threshold !== 0 && threshold <= reduceAmount) throw ksError.business('使用门槛必须大于优惠金额');
    const totalStock = p.int('totalStock');
    const receivePerLimit = p.int('receivePerLimit');
    if (totalStock < 1) throw ksError.business('发放数量必须大于0');
    if (receivePerLimit < 1) throw ksError.business('每人限领必须大于0');
    const receiveStartTime = p.int('receiveStartTime');
    const receiveEndTime = p.int('receiveEndTime');
    if (!isDayStart(receiveStartTime)) throw ksError.business('领取开始时间必须为00:00:00');
    if (!isDayEnd(receiveEndTime) || receiveEndTime <= receiveStartTime)
      throw ksError.business('领取结束时间必须为23:59:59且晚于开始时间');
    const validityType = p.int('validityType');
    let validStartTime = 0;
    let validEndTime = 0;
    let fixedValidityTime = 0;
    if (validityType === 1) {
      validStartTime = p.int('validStartTime');
      validEndTime = p.int('validEndTime');
      if (!isDayStart(validStartTime) || !isDayEnd(validEndTime) || validEndTime <= validStartTime)
        throw ksError.business('使用有效期必须从00:00:00开始，到23:59:59结束');
    } else if (validityType === 2) {
      fixedValidityTime = p.int('fixedValidityTime');
      if (fixedValidityTime < 1) throw ksError.business('fixedValidityTime 必须大于0');
    } else {
      throw ksError.invalid('validityType 只能为1或2');
    }
    const now = this.clock.now();
    const coupon: KsCouponRecord = {
      couponId: String(60_000_000_000 + ++this.seq * 3),
      openId: shop.openId,
      outerUniqueKey: key,
      name,
      couponTargetType: targetType,
      itemIds,
      reduceAmount,
      threshold,
      totalStock,
      receivePerLimit,
      receiveStartTime,
      receiveEndTime,
      validityType,
      validStartTime,
      validEndTime,
      fixedValidityTime,
      receiveChannel: p.string('receiveChannel', true) ?? '1',
      ended: false,
      deleted: false,
      createTime: now,
      updateTime: now,
      received: 0,
      used: 0,
      usedAmount: 0,
    };
    this.coupons.set(coupon.couponId, coupon);
    this.couponKeys.set(`${shop.openId}|${key}`, coupon.couponId);
    return coupon;
  }

  /** open.promotion.coupon.over: no more claims; ending an ended coupon is refused. */
  endCoupon(shop: KsShop, couponId: string): KsCouponRecord {
    const coupon = this.ownCoupon(shop, couponId);
    if (this.couponStatus(coupon) !== 1) throw ksError.business('优惠券已结束或已失效');
    coupon.ended = true;
    coupon.updateTime = this.clock.now();
    return coupon;
  }

  /** open.promotion.coupon.stock.add: stock only goes up (there is no API to lower it). */
  addCouponStock(shop: KsShop, couponId: string, incrementNum: number): KsCouponRecord {
    const coupon = this.ownCoupon(shop, couponId);
    if (!Number.isInteger(incrementNum) || incrementNum < 1) throw ksError.business('incrementNum 必须大于0');
    if (this.couponStatus(coupon) !== 1) throw ksError.business('优惠券已结束或已失效');
    coupon.totalStock += incrementNum;
    coupon.updateTime = this.clock.now();
    return coupon;
  }

  private ownCoupon(shop: KsShop, couponId: string): KsCouponRecord {
    const coupon = this.coupons.get(couponId);
    if (!coupon || coupon.openId !== shop.openId) throw ksError.business('优惠券不存在');
    return coupon;
  }

  couponsOf(shop: KsShop): KsCouponRecord[] {
    return [...this.coupons.values()].filter((c) => c.openId === shop.openId);
  }

  /** 1 valid, 2 ended, 3 deleted, 4 expired. */
  couponStatus(coupon: KsCouponRecord): number {
    const now = this.clock.now();
    if (coupon.deleted) return 3;
    if (coupon.ended) return 2;
    if (coupon.validityType === 1 && now > coupon.validEndTime) return 4;
    if (now > coupon.receiveEndTime) return 2;
    return 1;
  }

  protected usableCoupon(couponId: string, item: KsItemRecord, goods: number): KsCouponRecord {
    const coupon = this.coupons.get(couponId);
    const now = this.clock.now();
    const refuse = (why: string) => new SandboxError(409, 'coupon_not_applicable', why);
    if (!coupon || coupon.openId !== item.openId) throw refuse('no such coupon in this shop');
    if (this.couponStatus(coupon) !== 1 || now < coupon.receiveStartTime)
      throw refuse('the coupon is not claimable now');
    if (coupon.validityType === 1 && (now < coupon.validStartTime || now > coupon.validEndTime))
      throw refuse('the coupon is not valid now');
    if (coupon.received >= coupon.totalStock) throw refuse('the coupon is out of stock');
    if (coupon.couponTargetType === 0 && !coupon.itemIds.includes(item.kwaiItemId))
      throw refuse('the coupon does not apply to this item');
    if (coupon.threshold > goods) throw refuse(`the order is below the coupon threshold ${coupon.threshold}`);
    return coupon;
  }
}

function isDayStart(ms: number): boolean {
  return (ms + CHINA_UTC_OFFSET_MS) % DAY_MS === 0;
}

function isDayEnd(ms: number): boolean {
  const offset = (ms + CHINA_UTC_OFFSET_MS) % DAY_MS;
  return offset === DAY_MS - 1_000 || offset === DAY_MS - 1;
}
