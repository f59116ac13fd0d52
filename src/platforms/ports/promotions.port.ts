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
}
