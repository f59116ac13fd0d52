import type { AllocationMode, PlatformLimits } from './stock-settings.entity';

export interface AllocationInput {
  id: string;
  platform: string;
  allotted: number;
  /** Recent units sold through this platform: weights the split of plentiful stock towards demand. */
  soldRecent: number;
  /** Demand of the last seconds (decayed milli-units): where scarce units go. */
  demandNow?: number;
  /** Last heard sale: breaks ties towards the platform that sold last. */
  lastSaleAt?: number | null;
  /** Shows units but sold none for a while: no buyers there now. */
  idle?: boolean;
  limits?: PlatformLimits;
}

export interface AllocationSettings {
  mode: AllocationMode;
  scarceBelow: number;
  tranche: number;
}

/**
 * Target visible quantity per platform SKU for `sellable` units.
 *
 * - split (plentiful stock, or mode `split`): every sellable unit is shown somewhere, divided in
 *   proportion to recent demand, so no platform runs dry while stock sits elsewhere;
 * - pool (scarce stock, or mode `pool`): each platform shows a small tranche and the rest waits
 *   in a shared pool that tops up whichever platform sells, so the last units go where buyers are.
 *
 * Σ targets ≤ sellable always; per-platform min/max apply where stock allows.
 */
export function computeTargets(
  sellable: number,
  inputs: AllocationInput[],
  settings: AllocationSettings,
): Map<string, number> {
  const targets = new Map(inputs.map((i) => [i.id, 0]));
  const total = Math.max(0, Math.floor(sellable));
  if (!inputs.length || total === 0) return targets;
  // Pooling only helps to move scarce units between platforms: with one platform, show them all.
  const scarce =
    inputs.length > 1 && (settings.mode === 'pool' || (settings.mode === 'auto' && total < settings.scarceBelow));
  // Plentiful stock follows the day's demand; scarce units follow the last seconds' buyers.
  const weights = inputs.map((i) => (scarce ? (i.idle ? 0 : (i.demandNow ?? 0) + 1) : i.soldRecent + 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const order = inputs
    .map((_, idx) => idx)
    .sort(
      (a, b) =>
        weights[b] - weights[a] ||
        (inputs[b].lastSaleAt ?? 0) - (inputs[a].lastSaleAt ?? 0) ||
        inputs[a].id.localeCompare(inputs[b].id),
    );

  if (scarce) {
    let left = total;
    const tranche = Math.max(1, settings.tranche);
    for (const idx of order) {
      const cap = inputs[idx].limits?.max ?? Infinity;
      const give = Math.min(left, tranche, cap);
      targets.set(inputs[idx].id, give);
      left -= give;
    }
    return targets;
  }

  // Largest-remainder split by weight, then min/max clamps with the excess handed on.
  const raw = inputs.map((_, idx) => (total * weights[idx]) / weightSum);
  const base = raw.map(Math.floor);
  let rest = total - base.reduce((a, b) => a + b, 0);
  const byRemainder = raw
    .map((r, idx) => ({ idx, rem: r - Math.floor(r) }))
    .sort((a, b) => b.rem - a.rem || weights[b.idx] - weights[a.idx]);
  for (const { idx } of byRemainder) {
    if (rest <= 0) break;
    base[idx]++;
    rest--;
  }
  let spill = 0;
  inputs.forEach((input, idx) => {
    const max = input.limits?.max ?? Infinity;
    if (base[idx] > max) {
      spill += base[idx] - max;
      base[idx] = max;
    }
  });
  for (const idx of order) {
    if (spill <= 0) break;
    const room = (inputs[idx].limits?.max ?? Infinity) - base[idx];
    const add = Math.min(room, spill);
    base[idx] += add;
    spill -= add;
  }
  // Minimums: take from the platforms above their own minimum, largest first.
  inputs.forEach((input, idx) => {
    const min = Math.min(input.limits?.min ?? 0, total);
    while (base[idx] < min) {
      const donor = order.find((d) => d !== idx && base[d] > (inputs[d].limits?.min ?? 0));
      if (donor === undefined) break;
      base[donor]--;
      base[idx]++;
    }
  });
  inputs.forEach((input, idx) => targets.set(input.id, base[idx]));
  return targets;
}

export interface StockMove {
  id: string;
  delta: number;
}

export interface MovePlan {
  /** Written first and confirmed before any increase (decrease-first). */
  decreases: StockMove[];
  increases: StockMove[];
}

/**
 * Moves that bring the platforms towards their targets. Decreases: whatever is above target
 * when Σ allotted exceeds sellable (a must), or when a platform below target needs the room, and
 * whatever a platform shows above its own `max` (the merchant's limit: always a must).
 * Increases: platforms below target by more than `hysteresis(target)` units (small top-ups are
 * coalesced), limited by the room the decreases will leave.
 */
export function planMoves(
  sellable: number,
  input: { id: string; allotted: number; target: number; max?: number }[],
  hysteresis: (target: number) => number = () => 0,
): MovePlan {
  // A platform cannot show less than nothing: a negative count (more sales heard than counted) frees no room.
  const rows = input.map((r) => ({ ...r, allotted: Math.max(0, r.allotted) }));
  const total = rows.reduce((a, r) => a + r.allotted, 0);
  const room = sellable - total;
  const wants = rows
    .map((r) => ({ id: r.id, need: r.target - r.allotted }))
    .filter((w) => w.need > 0 && w.need > hysteresis(rows.find((r) => r.id === w.id)!.target));
  const wanted = wants.reduce((a, w) => a + w.need, 0);
  let mustFree = Math.max(0, -room) + Math.max(0, wanted - Math.max(0, room));
  const decreases: StockMove[] = [];
  for (const r of rows) {
    if (r.max === undefined || r.allotted <= r.max) continue;
    decreases.push({ id: r.id, delta: -(r.allotted - Math.max(0, r.max)) });
    mustFree -= r.allotted - Math.max(0, r.max);
  }
  for (const r of [...rows].sort((a, b) => b.allotted - b.target - (a.allotted - a.target))) {
    if (mustFree <= 0) break;
    if (decreases.some((d) => d.id === r.id)) continue;
    const over = r.allotted - Math.max(0, r.target);
    if (over <= 0) continue;
    const take = Math.min(over, mustFree);
    decreases.push({ id: r.id, delta: -take });
    mustFree -= take;
  }
  // Σ allotted above sellable with nobody above target (targets themselves shrank to fit): cut anyway.
  if (room < 0) {
    let stillOver = -room - decreases.reduce((a, d) => a - d.delta, 0);
    for (const r of [...rows].sort((a, b) => b.allotted - a.allotted)) {
      if (stillOver <= 0) break;
      const already = -(decreases.find((d) => d.id === r.id)?.delta ?? 0);
      const take = Math.min(r.allotted - already, stillOver);
      if (take <= 0) continue;
      const existing = decreases.find((d) => d.id === r.id);
      if (existing) existing.delta -= take;
      else decreases.push({ id: r.id, delta: -take });
      stillOver -= take;
    }
  }
  const freed = decreases.reduce((a, d) => a - d.delta, 0);
  let available = Math.max(0, room + freed);
  const increases: StockMove[] = [];
  for (const w of wants.sort((a, b) => b.need - a.need)) {
    if (available <= 0) break;
    const give = Math.min(w.need, available);
    increases.push({ id: w.id, delta: give });
    available -= give;
  }
  return { decreases, increases };
}
