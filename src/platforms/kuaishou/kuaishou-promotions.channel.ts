import { createHash } from 'node:crypto';
import { PageRequest, ShopRef } from '../ports/platform.types';
import { ChannelCoupon, CouponDraft, CouponUsage, PromotionsPort } from '../ports/promotions.port';
import { KuaishouApi, KuaishouParam } from './kuaishou-api.client';
import { idFrom, toKuaishouLong } from './kuaishou-ids';
import { toChannelCoupon } from './kuaishou.mapper';
import { KsCoupon, KsCouponStatistic } from './kuaishou-wire.types';

const DAY_MS = 86_400_000;
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;

/** Kuaishou promotions: merchant coupons (`open.promotion.coupon.*`). */
export class KuaishouPromotionsChannel implements PromotionsPort {
  readonly platform = 'kuaishou' as const;

  constructor(private readonly api: KuaishouApi) {}

  async listCoupons(shop: ShopRef, page: PageRequest): Promise<{ coupons: ChannelCoupon[]; total: number }> {
    // couponTargetType is left out to list item and shop coupons together
    // (whether the live API allows that is unconfirmed).
    const param = { sellerCouponStatus: 0, pageNo: Math.max(1, page.page), pageSize: page.pageSize };
    const answer = await this.api.call(shop, 'open.promotion.coupon.page.list', param, true);
    const data = (answer.data ?? {}) as { marketingOpenCoupon?: KsCoupon[]; totalCount?: number };
    const now = this.api.clock.now();
    const coupons = (data.marketingOpenCoupon ?? []).map((c) => toChannelCoupon(c, now));
    return { coupons, total: data.totalCount ?? 0 };
  }

  async createCoupon(shop: ShopRef, draft: CouponDraft): Promise<{ couponId: string }> {
    const start = startOfChinaDay(draft.startsAt);
    const end = endOfChinaDay(draft.endsAt);
    const itemIds = draft.itemIds?.length ? draft.itemIds : undefined;
    const key = draft.idempotencyKey;
    const param: KuaishouParam = {
      name: draft.name,
      couponTargetType: itemIds ? 0 : 1,
      ...(itemIds ? { itemIds: itemIds.map(toKuaishouLong) } : {}),
      reduceAmount: draft.discountFen,
      threshold: draft.thresholdFen,
      totalStock: draft.totalStock,
      receivePerLimit: draft.perBuyerLimit,
      // Claim windows must start at 00:00:00 and end at 23:59:59 (China time).
      receiveStartTime: start,
      receiveEndTime: end,
      validityType: 1,
      validStartTime: start,
      validEndTime: end,
      outerUniqueKey: key.length <= 60 ? key : createHash('sha256').update(key).digest('hex').slice(0, 60),
    };
    // outerUniqueKey makes a repeat return the same coupon, so retrying is safe.
    const answer = await this.api.call(shop, 'open.promotion.coupon.create', param, true);
    return { couponId: idFrom((answer.data as { couponId: unknown }).couponId) };
  }

  async getCouponUsage(shop: ShopRef, couponId: string): Promise<CouponUsage> {
    const param = { couponId: toKuaishouLong(couponId), businessLine: 1 };
    const answer = await this.api.call(shop, 'open.promotion.coupon.statistic', param, true);
    const stats = (answer.data ?? {}) as KsCouponStatistic;
    const counts = { issued: stats.receivedCount ?? 0, used: stats.usedCount ?? 0 };
    return { couponId, ...counts, discountGivenFen: stats.usedAmount };
  }
}

function startOfChinaDay(epochMs: number): number {
  return epochMs - ((epochMs + CHINA_UTC_OFFSET_MS) % DAY_MS);
}

function endOfChinaDay(epochMs: number): number {
  return startOfChinaDay(epochMs) + DAY_MS - 1_000;
}
