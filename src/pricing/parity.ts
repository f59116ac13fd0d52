/**
 * Price parity between the bound listings of one merchant SKU, on integer fen. Pure functions.
 *
 * The spread is `max/min − 1`; the limit is in basis points (1000 = 10 %). A set of prices is
 * within the limit when `max × 10000 ≤ min × (10000 + limitBp)` (exact, no floating point).
 */

export const DEFAULT_PARITY_LIMIT_BP = 1000;
const BP = 10_000;

export type ListingPrices = Record<string, number>;

/** Spread in basis points, rounded up (so a spread just over the limit never reads as the limit). */
export function spreadBp(prices: number[]): number {
  if (prices.length < 2) return 0;
  const min = Math.min(...prices);
  const max = Math.max(...prices);
  return Math.ceil(((max - min) * BP) / min);
}

export function withinLimit(prices: number[], limitBp: number): boolean {
  if (prices.length < 2) return true;
  return Math.max(...prices) * BP <= Math.min(...prices) * (BP + limitBp);
}

/** The prices one listing may take while the others keep theirs. */
export function allowedRange(others: number[], limitBp: number): { min: number; max: number } {
  if (!others.length) return { min: 1, max: Number.MAX_SAFE_INTEGER };
  const low = Math.ceil((Math.max(...others) * BP) / (BP + limitBp));
  const high = Math.floor((Math.min(...others) * (BP + limitBp)) / BP);
  return { min: Math.max(1, low), max: high };
}

export type GuardAnswer =
  | { verdict: 'allowed'; priceFen: number }
  | { verdict: 'clamped'; priceFen: number; proposedFen: number; limitBp: number }
  | {
      verdict: 'refused';
      listing: string;
      proposedFen: number;
      current: ListingPrices;
      limitBp: number;
      spreadBp: number;
      /** The nearest price the limit allows (undefined when none: the others already break it). */
      allowedFen?: number;
    };

/** One listing's new price against the others' current prices. */
export function guardOne(
  current: ListingPrices,
  listing: string,
  proposedFen: number,
  limitBp: number,
  clamp: boolean,
): GuardAnswer {
  const others = Object.entries(current)
    .filter(([id]) => id !== listing)
    .map(([, p]) => p);
  const range = allowedRange(others, limitBp);
  if (proposedFen >= range.min && proposedFen <= range.max) return { verdict: 'allowed', priceFen: proposedFen };
  const allowedFen = range.min <= range.max ? Math.min(range.max, Math.max(range.min, proposedFen)) : undefined;
  if (clamp && allowedFen !== undefined) return { verdict: 'clamped', priceFen: allowedFen, proposedFen, limitBp };
  return {
    verdict: 'refused',
    listing,
    proposedFen,
    current: { ...current },
    limitBp,
    spreadBp: spreadBp([...others, proposedFen]),
    allowedFen,
  };
}

export interface PriceStep {
  listing: string;
  priceFen: number;
}

export type StepPlan = { ok: true; steps: PriceStep[] } | { ok: false; reason: string };

/**
 * Orders a change of several listings so that no intermediate state breaks the limit: each step
 * moves one listing as far towards its target as the others allow (a 30 % rise of both goes
 * 110 %, 121 %, 130 %, 130 % at a 10 % limit). The targets themselves must be within the limit.
 * When the current prices already break it (a back-office edit), a step is taken only if it does
 * not widen the spread.
 */
export function planSteps(current: ListingPrices, targets: ListingPrices, limitBp: number, maxSteps = 200): StepPlan {
  const ids = Object.keys(targets);
  const finalPrices = { ...current, ...targets };
  if (!withinLimit(Object.values(finalPrices), limitBp)) {
    return {
      ok: false,
      reason: `the target prices break the ${limitBp / 100}% limit (spread ${spreadBp(Object.values(finalPrices)) / 100}%)`,
    };
  }
  const state = { ...current };
  const steps: PriceStep[] = [];
  while (ids.some((id) => state[id] !== targets[id])) {
    let moved = false;
    // Lowering the highest or raising the lowest first keeps the most room for the others.
    for (const id of [...ids].sort((a, b) => distanceOrder(state, targets, a, b))) {
      if (state[id] === targets[id]) continue;
      const others = Object.entries(state)
        .filter(([k]) => k !== id)
        .map(([, p]) => p);
      const before = state[id];
      const target = targets[id];
      let next = target;
      if (before !== undefined) {
        const range = allowedRange(others, limitBp);
        const reach = range.min > range.max ? target : Math.min(range.max, Math.max(range.min, target));
        // Only towards the target, never past it.
        next = target > before ? Math.min(target, Math.max(before, reach)) : Math.max(target, Math.min(before, reach));
      }
      if (next === state[id]) continue;
      const after = { ...state, [id]: next };
      const ok =
        withinLimit(Object.values(after), limitBp) || spreadBp(Object.values(after)) <= spreadBp(Object.values(state));
      if (!ok) continue;
      state[id] = next;
      steps.push({ listing: id, priceFen: next });
      moved = true;
      if (steps.length > maxSteps) return { ok: false, reason: `more than ${maxSteps} steps would be needed` };
    }
    if (!moved) return { ok: false, reason: 'no step keeps the prices within the limit' };
  }
  return { ok: true, steps };
}

function distanceOrder(state: ListingPrices, targets: ListingPrices, a: string, b: string): number {
  // Decreases of the highest first, then increases of the lowest.
  const da = targets[a] - (state[a] ?? targets[a]);
  const db = targets[b] - (state[b] ?? targets[b]);
  if (da < 0 && db >= 0) return -1;
  if (db < 0 && da >= 0) return 1;
  return da < 0 ? (state[b] ?? 0) - (state[a] ?? 0) : (state[a] ?? 0) - (state[b] ?? 0);
}

/** Rounds to the nearest price whose last two fen digits are `endingFen` (e.g. 90 → ¥x.90, 99 → ¥x.99); ties go down. */
export function roundToEnding(priceFen: number, endingFen: number | null): number {
  if (endingFen === null) return priceFen;
  const base = Math.floor(priceFen / 100) * 100 + endingFen;
  const candidates = [base - 100, base, base + 100].filter((p) => p >= 1);
  return candidates.reduce((best, p) => (Math.abs(p - priceFen) < Math.abs(best - priceFen) ? p : best), candidates[0]);
}

/** Within [min, max], the rounded price nearest to the wanted one (unrounded when no rounded price fits). */
export function roundWithin(priceFen: number, endingFen: number | null, range: { min: number; max: number }): number {
  const clamp = (p: number) => Math.min(range.max, Math.max(range.min, p));
  if (endingFen === null) return clamp(priceFen);
  const rounded = roundToEnding(priceFen, endingFen);
  if (rounded >= range.min && rounded <= range.max) return rounded;
  // The rounded price nearest to the bound it crossed, if one lies inside.
  const below = Math.floor((range.max - endingFen) / 100) * 100 + endingFen;
  const above = Math.ceil((range.min - endingFen) / 100) * 100 + endingFen;
  const inside = rounded > range.max ? below : above;
  return inside >= range.min && inside <= range.max ? inside : clamp(priceFen);
}

export interface Adjustment {
  /** Added percentage in basis points (500 = +5 %). */
  percentBp?: number;
  fixedFen?: number;
}

export interface DerivationRules {
  adjustment?: Adjustment;
  roundingEndingFen: number | null;
  floorFen: number | null;
  ceilingFen: number | null;
}

/** A platform's price from the master price: adjustment, then rounding, then floor and ceiling. */
export function derivePrice(masterFen: number, rules: DerivationRules): number {
  const pct = rules.adjustment?.percentBp ?? 0;
  const adjusted = Math.round((masterFen * (BP + pct)) / BP) + (rules.adjustment?.fixedFen ?? 0);
  const range = { min: Math.max(1, rules.floorFen ?? 1), max: rules.ceilingFen ?? Number.MAX_SAFE_INTEGER };
  return roundWithin(adjusted, rules.roundingEndingFen, range);
}
