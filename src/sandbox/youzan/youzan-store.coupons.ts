import { Coupon } from './youzan-emulator.model';
import { YzItemsStore } from './youzan-store.items';

/** Coupon activities (seeded by the control API or youzan.ump.promocard.add); an order may use one at checkout. */
export abstract class YzCouponsStore extends YzItemsStore {
  addCoupon(input: Omit<Coupon, 'groupId' | 'created' | 'totalTake' | 'totalUsed' | 'stock'>): Coupon {
    const coupon: Coupon = {
      ...input,
      groupId: 2000000 + this.next(),
      stock: input.total,
      created: this.clock.now(),
      totalTake: 0,
      totalUsed: 0,
    };
    this.coupons.set(coupon.groupId, coupon);
    return coupon;
  }
}
