/** Half-life of the fast demand signal used to place scarce units. */
export const DEMAND_HALF_LIFE_MS = 30_000;

export function decayedDemand(milli: number, since: number | null, now: number): number {
  if (!since || milli <= 0) return 0;
  return Math.floor(milli * 2 ** (-Math.max(0, now - since) / DEMAND_HALF_LIFE_MS));
}

/** A platform that was given units and sold none for this long has no buyers right now. */
export const IDLE_MS = 8_000;

export function isIdle(allotted: number, lastSaleAt: number | null, lastGrantAt: number | null, now: number): boolean {
  return allotted > 0 && now - Math.max(lastSaleAt ?? 0, lastGrantAt ?? 0) > IDLE_MS;
}
