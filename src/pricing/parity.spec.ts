import { allowedRange, derivePrice, guardOne, planSteps, roundToEnding, spreadBp, withinLimit } from './parity';

/** Replays a plan and checks every intermediate state against the limit. */
function replay(
  current: Record<string, number>,
  steps: { listing: string; priceFen: number }[],
  limitBp: number,
): Record<string, number>[] {
  const states: Record<string, number>[] = [];
  const state = { ...current };
  for (const step of steps) {
    state[step.listing] = step.priceFen;
    states.push({ ...state });
  }
  for (const s of states) expect(withinLimit(Object.values(s), limitBp)).toBe(true);
  return states;
}

describe('parity', () => {
  it('measures the spread as max/min − 1 in basis points, rounded up', () => {
    expect(spreadBp([1000, 1000])).toBe(0);
    expect(spreadBp([1000, 1100])).toBe(1000);
    expect(spreadBp([1000, 1101])).toBe(1010);
    expect(spreadBp([999, 1100])).toBe(1012);
    expect(spreadBp([500])).toBe(0);
  });

  it('is exact at the limit on integer fen (10 % of ¥10.00 is exactly ¥11.00)', () => {
    expect(withinLimit([1000, 1100], 1000)).toBe(true);
    expect(withinLimit([1000, 1101], 1000)).toBe(false);
    expect(withinLimit([1000, 1000], 0)).toBe(true);
    expect(withinLimit([1000, 1001], 0)).toBe(false);
    expect(allowedRange([1000], 1000)).toEqual({ min: 910, max: 1100 });
  });

  it('allows equal prices and a change within the limit', () => {
    expect(guardOne({ ks: 1000, yz: 1000 }, 'ks', 1000, 1000, false)).toEqual({ verdict: 'allowed', priceFen: 1000 });
    expect(guardOne({ ks: 1000, yz: 1000 }, 'ks', 1100, 1000, false)).toEqual({ verdict: 'allowed', priceFen: 1100 });
  });

  it('refuses a change beyond the limit with the numbers, or clamps it when asked', () => {
    const refused = guardOne({ ks: 1000, yz: 1000 }, 'ks', 1300, 1000, false);
    expect(refused).toEqual({
      verdict: 'refused',
      listing: 'ks',
      proposedFen: 1300,
      current: { ks: 1000, yz: 1000 },
      limitBp: 1000,
      spreadBp: 3000,
      allowedFen: 1100,
    });
    expect(guardOne({ ks: 1000, yz: 1000 }, 'ks', 800, 1000, true)).toEqual({
      verdict: 'clamped',
      priceFen: 910,
      proposedFen: 800,
      limitBp: 1000,
    });
  });

  it('plans a 30 % rise of both platforms in steps that never break the limit', () => {
    const plan = planSteps({ ks: 10000, yz: 10000 }, { ks: 13000, yz: 13000 }, 1000);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.steps.length).toBeGreaterThan(2);
    const states = replay({ ks: 10000, yz: 10000 }, plan.steps, 1000);
    expect(states[states.length - 1]).toEqual({ ks: 13000, yz: 13000 });
    expect(plan.steps[0]).toEqual({ listing: 'ks', priceFen: 11000 });
  });

  it('plans a 30 % fall the same way, and a single step when no intermediate state breaks the limit', () => {
    const fall = planSteps({ ks: 13000, yz: 13000 }, { ks: 10000, yz: 10000 }, 1000);
    if (!fall.ok) throw new Error(fall.reason);
    replay({ ks: 13000, yz: 13000 }, fall.steps, 1000);
    const small = planSteps({ ks: 10000, yz: 10000 }, { ks: 10500, yz: 10500 }, 1000);
    expect(small).toEqual({
      ok: true,
      steps: [
        { listing: 'ks', priceFen: 10500 },
        { listing: 'yz', priceFen: 10500 },
      ],
    });
  });

  it('orders a crossing change so the limit holds (lower the high one first)', () => {
    const plan = planSteps({ ks: 10000, yz: 11000 }, { ks: 10500, yz: 10000 }, 1000);
    if (!plan.ok) throw new Error(plan.reason);
    replay({ ks: 10000, yz: 11000 }, plan.steps, 1000);
  });

  it('refuses targets that break the limit, and a 0 % limit that leaves no room to move', () => {
    expect(planSteps({ ks: 1000, yz: 1000 }, { ks: 1200 }, 1000).ok).toBe(false);
    expect(planSteps({ ks: 1000, yz: 1000 }, { ks: 1200, yz: 1200 }, 0).ok).toBe(false);
  });

  it('corrects a listing edited beyond the limit in one step back', () => {
    expect(planSteps({ ks: 12500, yz: 10000 }, { ks: 10000 }, 1000)).toEqual({
      ok: true,
      steps: [{ listing: 'ks', priceFen: 10000 }],
    });
  });

  it('rounds to endings like .90 and .99, and derives a platform price from the master', () => {
    expect(roundToEnding(1234, 90)).toBe(1190);
    expect(roundToEnding(1240, 99)).toBe(1199);
    expect(roundToEnding(1260, 99)).toBe(1299);
    expect(roundToEnding(1234, null)).toBe(1234);
    expect(
      derivePrice(10000, { adjustment: { percentBp: 500 }, roundingEndingFen: 90, floorFen: null, ceilingFen: null }),
    ).toBe(10490);
    expect(
      derivePrice(10000, { adjustment: { fixedFen: -200 }, roundingEndingFen: null, floorFen: 9900, ceilingFen: null }),
    ).toBe(9900);
    expect(
      derivePrice(10000, { adjustment: { percentBp: 5000 }, roundingEndingFen: 99, floorFen: null, ceilingFen: 12000 }),
    ).toBe(11999);
  });
});
