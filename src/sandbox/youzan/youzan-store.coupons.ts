import { Coupon } from './youzan-emulator.model';
import { YzItemsStore } from './youzan-store.items';

/** Coupon activities (seeded by the control API or youzan.ump.promocard.add); an order may use one at checkout. */
export abstract class YzCouponsStore extends YzItemsStore {
  addCoupon(
    input: Omit<
      Coupon,
      'groupId' | 'created' | 'totalTake' | 'totalUsed' | 'stock' | 'preferentialType' | 'discount' | 'suspended'
    > &
      Partial<Pick<Coupon, 'preferentialType' | 'discount'>>,
  ): Coupon {
    const coupon: Coupon = {
      preferentialType: 1,
      discount: 0,
      ...input,
      suspended: false,
      groupId: 2000000 + this.next(),
      stock: input.total,
      created: this.clock.now(),
      totalTake: 0,
      totalUsed: 0,
    };
    this.coupons.set(coupon.groupId, coupon);
    return coupon;
  }

  /** The amount a coupon takes off goods worth `goodsFen` (a rate rounds the buyer's share up to whole fen). */
  couponDiscountFen(coupon: Coupon, goodsFen: number): number {
    if (coupon.preferentialType === 2) return goodsFen - Math.ceil((goodsFen * coupon.discount) / 100);
    return Math.min(coupon.valueFen, goodsFen);
  }
}
