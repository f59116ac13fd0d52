import type { DiscountRefusal } from '../promotions/discount-guard';
import { spreadBp, withinLimit } from './parity';

/** A merchant-funded discount running on a platform (a campaign's coupon there, or one made in its back office). */
export interface ActiveDiscount {
  name: string;
  discountFen: number;
  /** Order amount needed; 0 = none. */
  thresholdFen: number;
  /** A discount-rate coupon: the buyer pays this percent of the price (`discountFen` unused). */
  payPercent?: number;
  /** The most a rate coupon takes off one order (fen), where known. */
  maxDiscountFen?: number;
  /** Only these platform items get it; absent = the whole shop. */
  itemIds?: string[];
}

/** What one discount takes off a unit at this price (0 when it does not apply). */
export function discountOn(priceFen: number, d: ActiveDiscount, itemId?: string): number {
  if (d.thresholdFen !== 0 && priceFen < d.thresholdFen) return 0;
  if (d.itemIds && (itemId === undefined || !d.itemIds.includes(itemId))) return 0;
  if (d.payPercent === undefined) return d.discountFen;
  const off = Math.floor((priceFen * (100 - d.payPercent)) / 100);
  return d.maxDiscountFen === undefined ? off : Math.min(off, d.maxDiscountFen);
}

/**
 * What a buyer of one unit pays after the best merchant-funded discount that applies at that price
 * (a coupon applies from its threshold on, to its items; one coupon per order). Never below 1 fen,
 * so a spread stays defined. Pure.
 */
export function effectivePrice(priceFen: number, discounts: ActiveDiscount[], itemId?: string): number {
  const best = discounts.reduce((most, d) => Math.max(most, discountOn(priceFen, d, itemId)), 0);
  return Math.max(1, priceFen - best);
}

export interface PricedListing {
  id: string;
  platform: string;
  priceFen: number;
  /** The platform item, for coupons limited to items. */
  itemId?: string;
}

/** Effective prices per listing and their spread (basis points, as the list-price spread). */
export function effectiveSpread(
  listings: PricedListing[],
  discounts: Partial<Record<string, ActiveDiscount[]>>,
): { prices: Record<string, number>; spreadBp: number } {
  const prices = Object.fromEntries(
    listings.map((l) => [l.id, effectivePrice(l.priceFen, discounts[l.platform] ?? [], l.itemId)]),
  );
  return { prices, spreadBp: spreadBp(Object.values(prices)) };
}

/** Running discounts grouped by the platform they run on. */
export function discountsByPlatform<D extends ActiveDiscount & { platform: string }>(
  running: D[],
): Partial<Record<string, D[]>> {
  const out: Partial<Record<string, D[]>> = {};
  for (const d of running) (out[d.platform] ??= []).push(d);
  return out;
}

/** One merchant SKU as the discount guard sees it. */
export interface GuardedSku {
  merchantSkuId: string;
  skuCode: string;
  limitBp: number;
  listings: PricedListing[];
}

/** A SKU the proposed discount would take beyond its limit, with the numbers (as promotions' refusal lists them). */
export type DiscountBreach = DiscountRefusal['skus'][number] & { merchantSkuId: string };

export type DiscountGuardAnswer =
  | { verdict: 'allowed' }
  | {
      verdict: 'breaks';
      breaches: DiscountBreach[];
      /** The strongest discount of the same kind the limits allow (amount: the most fen off; rate: the lowest pay percent); undefined when none. */
      allowed?: { discountFen: number } | { payPercent: number };
    };

/**
 * Would a new discount on `platforms` take any SKU's effective spread beyond its limit? A SKU whose
 * effective spread already breaks its limit without it may not get wider. Answers the strongest
 * discount the limits allow: the allowed strengths form one range from "none" up (each listing's
 * effective price falls as the discount grows, so a pair's ratio moves away from 1 once both fall),
 * so a bisection finds its end. Pure.
 */
export function guardDiscount(
  skus: GuardedSku[],
  running: Partial<Record<string, ActiveDiscount[]>>,
  platforms: string[],
  proposed: ActiveDiscount,
): DiscountGuardAnswer {
  const check = (d: ActiveDiscount): DiscountBreach[] => {
    const breaches: DiscountBreach[] = [];
    for (const sku of skus) {
      if (sku.listings.length < 2) continue;
      const before = effectiveSpread(sku.listings, running);
      const withNew: Partial<Record<string, ActiveDiscount[]>> = { ...running };
      for (const p of platforms) withNew[p] = [...(running[p] ?? []), d];
      const after = effectiveSpread(sku.listings, withNew);
      const ok = withinLimit(Object.values(after.prices), sku.limitBp) || after.spreadBp <= before.spreadBp;
      if (ok) continue;
      const byPlatform = (prices: Record<string, number>) =>
        Object.fromEntries(sku.listings.map((l) => [l.platform, prices[l.id]]));
      breaches.push({
        merchantSkuId: sku.merchantSkuId,
        skuCode: sku.skuCode,
        limitBp: sku.limitBp,
        prices: Object.fromEntries(sku.listings.map((l) => [l.platform, l.priceFen])),
        effectiveBefore: byPlatform(before.prices),
        effectiveAfter: byPlatform(after.prices),
        spreadBeforeBp: before.spreadBp,
        spreadAfterBp: after.spreadBp,
      });
    }
    return breaches;
  };
  const breaches = check(proposed);
  if (!breaches.length) return { verdict: 'allowed' };
  if (proposed.payPercent !== undefined) {
    // Weaker = a higher pay percent; 100 takes nothing off.
    let ok = 100;
    let bad = proposed.payPercent;
    while (ok - bad > 1) {
      const mid = Math.floor((ok + bad) / 2);
      if (check({ ...proposed, payPercent: mid }).length) bad = mid;
      else ok = mid;
    }
    return { verdict: 'breaks', breaches, ...(ok < 100 ? { allowed: { payPercent: ok } } : {}) };
  }
  let ok = 0;
  let bad = proposed.discountFen;
  while (bad - ok > 1) {
    const mid = Math.floor((ok + bad) / 2);
    if (check({ ...proposed, discountFen: mid }).length) bad = mid;
    else ok = mid;
  }
  return { verdict: 'breaks', breaches, ...(ok > 0 ? { allowed: { discountFen: ok } } : {}) };
}
