import { spreadBp } from './parity';

/** A merchant-funded discount running on a platform (a campaign's coupon there). */
export interface ActiveDiscount {
  name: string;
  discountFen: number;
  /** Order amount needed; 0 = none. */
  thresholdFen: number;
}

/**
 * What a buyer of one unit pays after the best merchant-funded discount that applies at that price
 * (a coupon applies from its threshold on; one coupon per order). Never below 1 fen, so a spread
 * stays defined. Pure.
 */
export function effectivePrice(priceFen: number, discounts: ActiveDiscount[]): number {
  const best = discounts
    .filter((d) => d.thresholdFen === 0 || priceFen >= d.thresholdFen)
    .reduce((most, d) => Math.max(most, d.discountFen), 0);
  return Math.max(1, priceFen - best);
}

/** Effective prices per listing and their spread (basis points, as the list-price spread). */
export function effectiveSpread(
  listings: { id: string; platform: string; priceFen: number }[],
  discounts: Partial<Record<string, ActiveDiscount[]>>,
): { prices: Record<string, number>; spreadBp: number } {
  const prices = Object.fromEntries(
    listings.map((l) => [l.id, effectivePrice(l.priceFen, discounts[l.platform] ?? [])]),
  );
  return { prices, spreadBp: spreadBp(Object.values(prices)) };
}

/** Running discounts grouped by the platform they run on. */
export function discountsByPlatform(
  running: (ActiveDiscount & { platform: string })[],
): Partial<Record<string, ActiveDiscount[]>> {
  const out: Partial<Record<string, ActiveDiscount[]>> = {};
  for (const d of running) (out[d.platform] ??= []).push(d);
  return out;
}
