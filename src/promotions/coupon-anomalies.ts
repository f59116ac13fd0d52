import type { Platform } from '../platforms/ports/platform.types';
import type { DiscountBreakdown, DiscountPart } from './discount-breakdown';

export const ANOMALY_KINDS = [
  'totals_mismatch',
  'unknown_discount',
  'wrong_platform',
  'stacked',
  'beyond_max',
  'expired_use',
  'over_budget',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** A campaign's coupon on one platform, with the campaign's limits. */
export interface CampaignCoupon {
  campaignId: string;
  platform: Platform;
  couponId: string;
  maxMerchantDiscountFen: number;
  startsAt: number;
  endsAt: number;
}

export interface Redemption {
  campaignId: string;
  couponId: string;
  merchantFen: number;
  platformFen: number;
}

export interface FoundAnomaly {
  kind: AnomalyKind;
  campaignId: string | null;
  evidence: Record<string, unknown>;
}

/**
 * Which campaign coupons an order used, and what is wrong with it (all but `over_budget`, which
 * needs the campaign's count at the moment the redemption is recorded).
 */
export function matchOrder(
  breakdown: DiscountBreakdown,
  coupons: CampaignCoupon[],
): { redemptions: Redemption[]; anomalies: FoundAnomaly[] } {
  const anomalies: FoundAnomaly[] = [];
  const order = { platform: breakdown.platform, orderId: breakdown.orderId, createdAt: breakdown.createdAt };
  if (breakdown.mismatches.length)
    anomalies.push({
      kind: 'totals_mismatch',
      campaignId: null,
      evidence: { ...order, mismatches: breakdown.mismatches, byFunder: breakdown.byFunder },
    });
  const byCoupon = new Map<string, { coupon: CampaignCoupon; parts: DiscountPart[] }>();
  const merchantCoupons = breakdown.parts.filter((p) => p.kind === 'coupon' && p.funder === 'merchant');
  for (const part of breakdown.parts.filter((p) => p.couponId)) {
    const own = coupons.find((c) => c.couponId === part.couponId && c.platform === breakdown.platform);
    if (own) {
      const hit = byCoupon.get(own.couponId) ?? { coupon: own, parts: [] };
      hit.parts.push(part);
      byCoupon.set(own.couponId, hit);
      continue;
    }
    const elsewhere = coupons.find((c) => c.couponId === part.couponId);
    if (elsewhere)
      anomalies.push({
        kind: 'wrong_platform',
        campaignId: elsewhere.campaignId,
        evidence: { ...order, couponId: part.couponId, couponPlatform: elsewhere.platform, part },
      });
    else if (part.kind === 'coupon' && part.funder === 'merchant')
      anomalies.push({
        kind: 'unknown_discount',
        campaignId: null,
        evidence: { ...order, couponId: part.couponId, part },
      });
  }
  const redemptions: Redemption[] = [];
  for (const { coupon, parts } of byCoupon.values()) {
    const merchantFen = sum(parts.filter((p) => p.funder === 'merchant'));
    // What others (platform, streamer) funded on an order that used the campaign.
    const platformFen = sum(breakdown.parts.filter((p) => p.funder !== 'merchant'));
    redemptions.push({ campaignId: coupon.campaignId, couponId: coupon.couponId, merchantFen, platformFen });
    if (merchantFen > coupon.maxMerchantDiscountFen)
      anomalies.push({
        kind: 'beyond_max',
        campaignId: coupon.campaignId,
        evidence: { ...order, couponId: coupon.couponId, merchantFen, maxFen: coupon.maxMerchantDiscountFen },
      });
    // Youzan reports order times in whole seconds: an order in the campaign's first second reads as
    // before its start, so the start is compared at the second.
    if (breakdown.createdAt < Math.floor(coupon.startsAt / 1000) * 1000 || breakdown.createdAt > coupon.endsAt)
      anomalies.push({
        kind: 'expired_use',
        campaignId: coupon.campaignId,
        evidence: { ...order, couponId: coupon.couponId, startsAt: coupon.startsAt, endsAt: coupon.endsAt },
      });
  }
  if (redemptions.length && merchantCoupons.length > 1)
    anomalies.push({
      kind: 'stacked',
      campaignId: redemptions[0].campaignId,
      evidence: {
        ...order,
        coupons: merchantCoupons.map((p) => ({ couponId: p.couponId ?? null, discountFen: p.discountFen })),
      },
    });
  return { redemptions, anomalies };
}

/** The budget split between the platforms taking part: even, the first platform taking the odd coupon. */
export function splitBudget(budget: number, platforms: Platform[]): Map<Platform, number> {
  const shares = new Map<Platform, number>();
  platforms.forEach((p, i) =>
    shares.set(p, Math.floor(budget / platforms.length) + (i < budget % platforms.length ? 1 : 0)),
  );
  return shares;
}

const sum = (parts: DiscountPart[]) => parts.reduce((s, p) => s + p.discountFen, 0);
