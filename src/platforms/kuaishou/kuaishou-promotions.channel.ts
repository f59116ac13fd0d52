import { createHash } from 'node:crypto';
import { changeSettles, endSettles, isEnded, writeCoupon } from '../coupon-write';
import { PlatformError } from '../platform-error';
import { PageRequest, ShopRef } from '../ports/platform.types';
import {
  ChannelCoupon,
  CouponChange,
  CouponDraft,
  CouponFeatures,
  CouponUsage,
  PromotionsPort,
} from '../ports/promotions.port';
import { KuaishouApi, KuaishouParam } from './kuaishou-api.client';
import { idFrom, toKuaishouLong } from './kuaishou-ids';
import { toChannelCoupon } from './kuaishou.mapper';
import { KsCoupon, KsCouponStatistic } from './kuaishou-wire.types';

const DAY_MS = 86_400_000;
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;

/** Kuaishou promotions: merchant coupons (`open.promotion.coupon.*`). */
export class KuaishouPromotionsChannel implements PromotionsPort {
  readonly platform = 'kuaishou' as const;
  /**
   * coupon.create takes `reduceAmount` only (no rate); after creation only `coupon.over` and
   * `coupon.stock.add` exist: stock goes up, nothing else changes (fact sheet §3.11).
   */
  readonly couponFeatures: CouponFeatures = {
    rate: false,
    lowerStock: false,
    editEnd: false,
    editPerBuyerLimit: false,
  };

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
    if (draft.payPercent !== undefined)
      throw refused(
        'open.promotion.coupon.create',
        'Kuaishou coupons take an amount off (reduceAmount); no discount rate',
      );
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

  async getCoupon(shop: ShopRef, couponId: string): Promise<ChannelCoupon> {
    const param = { couponId: [toKuaishouLong(couponId)] };
    const answer = await this.api.call(shop, 'open.promotion.coupon.query', param, true);
    const found = ((answer.data ?? []) as KsCoupon[]).find((c) => idFrom(c.couponId) === couponId);
    if (!found)
      throw new PlatformError({
        platform: 'kuaishou',
        api: 'open.promotion.coupon.query',
        code: 'NOT_FOUND',
        message: `no coupon ${couponId}`,
      });
    return toChannelCoupon(found, this.api.clock.now());
  }

  /** An unclear answer, or "already ended" on a repeat: what the platform has now decides. */
  endCoupon(shop: ShopRef, couponId: string): Promise<ChannelCoupon> {
    const param = { couponId: toKuaishouLong(couponId) };
    return writeCoupon(
      () => this.api.call(shop, 'open.promotion.coupon.over', param, false),
      () => this.getCoupon(shop, couponId),
      endSettles,
      isEnded,
    );
  }

  /** Only a higher total stock (coupon.stock.add, not repeat-safe: the increment is taken from a fresh read). */
  async changeCoupon(shop: ShopRef, couponId: string, change: CouponChange): Promise<ChannelCoupon> {
    const api = 'open.promotion.coupon.stock.add';
    if (change.endsAt !== undefined || change.perBuyerLimit !== undefined)
      throw refused(api, 'Kuaishou cannot change a coupon after creation other than adding stock');
    const before = await this.getCoupon(shop, couponId);
    const target = change.totalStock;
    if (target === undefined || target === before.totalStock) return before;
    if (target < before.totalStock)
      throw refused(api, `Kuaishou cannot lower a coupon's stock (${before.totalStock} → ${target})`);
    const param = { couponId: toKuaishouLong(couponId), incrementNum: target - before.totalStock };
    return writeCoupon(
      () => this.api.call(shop, api, param, false),
      () => this.getCoupon(shop, couponId),
      changeSettles,
      (now) => now.totalStock >= target,
    );
  }
}

function startOfChinaDay(epochMs: number): number {
  return epochMs - ((epochMs + CHINA_UTC_OFFSET_MS) % DAY_MS);
}

function endOfChinaDay(epochMs: number): number {
  return startOfChinaDay(epochMs) + DAY_MS - 1_000;
}

function refused(api: string, message: string): PlatformError {
  return new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message });
}
