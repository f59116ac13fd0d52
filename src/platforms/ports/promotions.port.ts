import { PageRequest, Platform, ShopRef } from './platform.types';

/** What a coupon offers, the same on both platforms. */
export interface CouponTerms {
  name: string;
  discountFen: number;
  thresholdFen: number;
  totalStock: number;
  perBuyerLimit: number;
  startsAt: number;
  endsAt: number;
  /**
   * A discount-rate coupon: the buyer pays this percent of the goods (88 = 8.8折, 12 % off);
   * `discountFen` is then unused. Only where `couponFeatures.rate` is true.
   */
  payPercent?: number;
}

/** What a platform lets the service do with a coupon once created (fact sheets §3.11 / §3.12). */
export interface CouponFeatures {
  /** Discount-rate (percentage) coupons. */
  rate: boolean;
  /** The coupon's total stock may be set below what it is (never below what was claimed). */
  lowerStock: boolean;
  /** The coupon's end may be moved. */
  editEnd: boolean;
  editPerBuyerLimit: boolean;
}

/** Absolute targets (not increments), so a repeat after an unclear answer does no harm. */
export interface CouponChange {
  totalStock?: number;
  endsAt?: number;
  perBuyerLimit?: number;
}

export interface ChannelCoupon extends CouponTerms {
  couponId: string;
  status: 'pending' | 'active' | 'ended' | 'deleted';
  itemIds?: string[];
}

export interface CouponDraft extends CouponTerms {
  /** Limit to these platform items; absent = whole shop. */
  itemIds?: string[];
  /** Same key, same coupon: safe to repeat. */
  idempotencyKey: string;
}

export interface CouponUsage {
  couponId: string;
  issued: number;
  used: number;
  discountGivenFen?: number;
}

/** Promotions: merchant coupons. */
export interface PromotionsPort {
  readonly platform: Platform;
  listCoupons(shop: ShopRef, page: PageRequest): Promise<{ coupons: ChannelCoupon[]; total: number }>;
  /** Repeat-safe by `draft.idempotencyKey`. */
  createCoupon(shop: ShopRef, draft: CouponDraft): Promise<{ couponId: string }>;
  getCouponUsage(shop: ShopRef, couponId: string): Promise<CouponUsage>;
  readonly couponFeatures: CouponFeatures;
  /** The coupon as the platform has it now (the read-back that settles an unclear write). */
  getCoupon(shop: ShopRef, couponId: string): Promise<ChannelCoupon>;
  /** Stops further claims. Repeat-safe: a coupon already ended counts as done (read back). */
  endCoupon(shop: ShopRef, couponId: string): Promise<ChannelCoupon>;
  /** Applies what `couponFeatures` allow; the answer is the coupon read back after the write. */
  changeCoupon(shop: ShopRef, couponId: string, change: CouponChange): Promise<ChannelCoupon>;
}
