import { DeadlineInput, HOUR_MS, isHigherRisk, onTimeRate, riskLevel, shipDeadline } from './ship-deadline';

const PAID = 1_800_000_000_000;

function input(over: Partial<DeadlineInput> = {}): DeadlineInput {
  return {
    status: 'paid',
    paidAt: PAID,
    platformShipBy: null,
    delayedShipBy: null,
    platformComputesShipBy: false,
    shipHolds: [],
    presaleShipAt: [],
    promiseHours: 48,
    ...over,
  };
}

describe('shipDeadline', () => {
  it("uses the platform's ship-by when the platform computes one", () => {
    const at = PAID + 24 * HOUR_MS;
    expect(shipDeadline(input({ platformComputesShipBy: true, platformShipBy: at }))).toEqual({
      at,
      source: 'platform',
      held: false,
    });
  });

  it('moves to an approved delay only when it is later', () => {
    const base = PAID + 24 * HOUR_MS;
    const later = base + 72 * HOUR_MS;
    expect(
      shipDeadline(input({ platformComputesShipBy: true, platformShipBy: base, delayedShipBy: later })),
    ).toMatchObject({ at: later, source: 'platform_delay' });
    expect(
      shipDeadline(input({ platformComputesShipBy: true, platformShipBy: base, delayedShipBy: base - 1 })),
    ).toMatchObject({ at: base, source: 'platform' });
  });

  it('reads a platform ship-by of 0 on a paid order as "must not ship", never as the shop policy', () => {
    expect(shipDeadline(input({ platformComputesShipBy: true, platformShipBy: 0 }))).toEqual({
      at: null,
      source: null,
      held: true,
    });
  });

  it('is pay time + the shop promise when the platform gives no ship-by (48 h default, per shop)', () => {
    expect(shipDeadline(input())).toEqual({ at: PAID + 48 * HOUR_MS, source: 'policy', held: false });
    expect(shipDeadline(input({ promiseHours: 24 }))).toMatchObject({ at: PAID + 24 * HOUR_MS });
    expect(shipDeadline(input({ promiseHours: 0 }))).toMatchObject({ at: PAID + 48 * HOUR_MS });
  });

  it('takes the latest presale promise of the lines over the shop policy', () => {
    const early = PAID + 5 * 24 * HOUR_MS;
    const late = PAID + 9 * 24 * HOUR_MS;
    expect(shipDeadline(input({ presaleShipAt: [undefined, late, early] }))).toEqual({
      at: late,
      source: 'presale',
      held: false,
    });
  });

  it('has none before payment or after cancellation, and keeps it once shipped', () => {
    expect(shipDeadline(input({ status: 'unpaid', paidAt: null }))).toMatchObject({ at: null });
    expect(shipDeadline(input({ status: 'cancelled' }))).toMatchObject({ at: null });
    expect(shipDeadline(input({ status: 'shipped' }))).toMatchObject({ at: PAID + 48 * HOUR_MS, held: false });
  });

  it('marks holds on an open order but keeps its deadline', () => {
    expect(shipDeadline(input({ shipHolds: ['refund in progress'] }))).toMatchObject({
      at: PAID + 48 * HOUR_MS,
      held: true,
    });
  });
});

describe('riskLevel', () => {
  const deadline = PAID + 48 * HOUR_MS;
  it('is none until 12 h are left, then 12 h, 4 h, overdue', () => {
    expect(riskLevel(deadline, deadline - 12 * HOUR_MS - 1)).toBeNull();
    expect(riskLevel(deadline, deadline - 12 * HOUR_MS)).toBe('h12');
    expect(riskLevel(deadline, deadline - 4 * HOUR_MS - 1)).toBe('h12');
    expect(riskLevel(deadline, deadline - 4 * HOUR_MS)).toBe('h4');
    expect(riskLevel(deadline, deadline - 1)).toBe('h4');
    expect(riskLevel(deadline, deadline)).toBe('overdue');
    expect(riskLevel(null, deadline)).toBeNull();
  });

  it('raises each level once, in order', () => {
    expect(isHigherRisk('h12', null)).toBe(true);
    expect(isHigherRisk('h12', 'h12')).toBe(false);
    expect(isHigherRisk('overdue', 'h12')).toBe(true);
    expect(isHigherRisk('h4', 'overdue')).toBe(false);
  });
});

describe('onTimeRate', () => {
  it('counts shipped by the deadline as on time, shipped later or overdue unshipped as late', () => {
    const now = PAID + 100 * HOUR_MS;
    const rate = onTimeRate(
      [
        { deadlineAt: PAID + 48 * HOUR_MS, shippedAt: PAID + 10 * HOUR_MS },
        { deadlineAt: PAID + 48 * HOUR_MS, shippedAt: PAID + 48 * HOUR_MS },
        { deadlineAt: PAID + 48 * HOUR_MS, shippedAt: PAID + 49 * HOUR_MS },
        { deadlineAt: PAID + 48 * HOUR_MS, shippedAt: null },
        { deadlineAt: now + HOUR_MS, shippedAt: null },
        { deadlineAt: null, shippedAt: null },
      ],
      now,
    );
    expect(rate).toEqual({ due: 4, onTime: 2, late: 2, rate: 0.5 });
    expect(onTimeRate([], now).rate).toBeNull();
  });
});
