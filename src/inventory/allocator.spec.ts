import { computeTargets, planMoves } from './allocator';

type Over = Partial<{
  allotted: number;
  soldRecent: number;
  demandNow: number;
  idle: boolean;
  limits: { min?: number; max?: number };
}>;
const ks = (over: Over = {}) => ({ id: 'ks', platform: 'kuaishou', allotted: 0, soldRecent: 0, ...over });
const yz = (over: Over = {}) => ({ id: 'yz', platform: 'youzan', allotted: 0, soldRecent: 0, ...over });
const auto = { mode: 'auto' as const, scarceBelow: 20, tranche: 2 };
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('computeTargets', () => {
  it('shows every unit when stock is plentiful, split towards where it sells', () => {
    const targets = computeTargets(100, [ks({ soldRecent: 29 }), yz({ soldRecent: 9 })], auto);
    expect(sum(targets)).toBe(100);
    expect(targets.get('ks')).toBe(75);
    expect(targets.get('yz')).toBe(25);
  });

  it('keeps a shared pool when stock is scarce, showing a tranche per platform', () => {
    const targets = computeTargets(7, [ks(), yz()], auto);
    expect([targets.get('ks'), targets.get('yz')]).toEqual([2, 2]);
  });

  it('shows all scarce units when only one platform sells the SKU', () => {
    expect(computeTargets(7, [ks()], auto).get('ks')).toBe(7);
  });

  it('gives the last unit to the platform whose buyers are buying now', () => {
    const targets = computeTargets(
      1,
      [ks({ soldRecent: 50, demandNow: 0 }), yz({ soldRecent: 0, demandNow: 4000 })],
      auto,
    );
    expect([targets.get('ks'), targets.get('yz')]).toEqual([0, 1]);
  });

  it('takes scarce units away from a platform that shows them but sells none', () => {
    const targets = computeTargets(1, [ks({ allotted: 1, demandNow: 5000, idle: true }), yz({ demandNow: 0 })], auto);
    expect([targets.get('ks'), targets.get('yz')]).toEqual([0, 1]);
  });

  it('never promises more than is sellable, whatever the limits say', () => {
    for (const sellable of [0, 1, 3, 19, 20, 57]) {
      const targets = computeTargets(sellable, [ks({ limits: { min: 30 } }), yz({ limits: { min: 30 } })], {
        ...auto,
        mode: 'split',
      });
      expect(sum(targets)).toBeLessThanOrEqual(sellable);
    }
    expect(sum(computeTargets(-5, [ks(), yz()], auto))).toBe(0);
  });

  it('respects a per-platform maximum and hands the rest to the other platform', () => {
    const targets = computeTargets(100, [ks({ limits: { max: 10 } }), yz()], auto);
    expect([targets.get('ks'), targets.get('yz')]).toEqual([10, 90]);
  });
});

describe('planMoves', () => {
  it('decreases the donor before raising the receiver when moving units', () => {
    const plan = planMoves(4, [
      { id: 'ks', allotted: 4, target: 2 },
      { id: 'yz', allotted: 0, target: 2 },
    ]);
    expect(plan).toEqual({ decreases: [{ id: 'ks', delta: -2 }], increases: [{ id: 'yz', delta: 2 }] });
  });

  it('cuts platforms down when physical stock shrank below what they show', () => {
    const plan = planMoves(3, [
      { id: 'ks', allotted: 5, target: 2 },
      { id: 'yz', allotted: 5, target: 1 },
    ]);
    expect(plan.increases).toEqual([]);
    expect(-plan.decreases.reduce((a, d) => a + d.delta, 0)).toBe(7);
  });

  it('tops up from free stock without touching the other platform', () => {
    expect(
      planMoves(10, [
        { id: 'ks', allotted: 1, target: 5 },
        { id: 'yz', allotted: 5, target: 5 },
      ]),
    ).toEqual({ decreases: [], increases: [{ id: 'ks', delta: 4 }] });
  });

  it('skips small top-ups within the hysteresis', () => {
    expect(
      planMoves(
        100,
        [
          { id: 'ks', allotted: 48, target: 50 },
          { id: 'yz', allotted: 50, target: 50 },
        ],
        (t) => Math.floor(t * 0.1),
      ),
    ).toEqual({ decreases: [], increases: [] });
  });

  it('counts a platform whose heard sales exceed its count as showing nothing, not as room', () => {
    // Kuaishou sold 2 more than it was counted for: that frees nothing on Youzan, which must come down to 3.
    const plan = planMoves(3, [
      { id: 'ks', allotted: -2, target: 0 },
      { id: 'yz', allotted: 5, target: 3 },
    ]);
    expect(plan).toEqual({ decreases: [{ id: 'yz', delta: -2 }], increases: [] });
  });

  it('lowers a platform above its own maximum even when nothing else needs the units', () => {
    // Scarce stock: the other platform is at its tranche and the pool has room, but the merchant capped Kuaishou at 0.
    const plan = planMoves(6, [
      { id: 'ks', allotted: 2, target: 0, max: 0 },
      { id: 'yz', allotted: 2, target: 2 },
    ]);
    expect(plan).toEqual({ decreases: [{ id: 'ks', delta: -2 }], increases: [] });
  });

  it('never plans increases beyond sellable', () => {
    const plan = planMoves(5, [
      { id: 'ks', allotted: 0, target: 9 },
      { id: 'yz', allotted: 0, target: 9 },
    ]);
    expect(plan.increases.reduce((a, i) => a + i.delta, 0)).toBe(5);
  });
});
