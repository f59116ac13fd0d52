import { PageRequest, Platform, ShopRef } from './platform.types';

export interface ChannelCoupon {
  couponId: string;
  name: string;
  discountFen: number;
  thresholdFen: number;
  totalStock: number;
  perBuyerLimit: number;
  startsAt: number;
  endsAt: number;
  status: 'pending' | 'active' | 'ended' | 'deleted';
  itemIds?: string[];
}

export interface CouponDraft {
  name: string;
  discountFen: number;
  thresholdFen: number;
  totalStock: number;
  perBuyerLimit: number;
  startsAt: number;
  endsAt: number;
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
