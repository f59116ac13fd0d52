import { CallRate } from './call-rate';

describe(CallRate.name, () => {
  it('counts calls of the last minute per key with the busiest second', () => {
    const rate = new CallRate();
    const t0 = 1_000_000_000;
    rate.add('a', t0);
    rate.add('a', t0 + 100);
    rate.add('a', t0 + 2_000);
    rate.add('b', t0 + 500);
    expect(rate.snapshot(t0 + 3_000).get('a')).toEqual({ lastMinute: 3, peakPerSecond: 2 });
    expect(rate.snapshot(t0 + 3_000).get('b')).toEqual({ lastMinute: 1, peakPerSecond: 1 });
  });

  it('forgets calls older than the window', () => {
    const rate = new CallRate();
    const t0 = 1_000_000_000;
    rate.add('a', t0);
    rate.add('a', t0 + 30_000);
    expect(rate.snapshot(t0 + 61_000).get('a')).toEqual({ lastMinute: 1, peakPerSecond: 1 });
    expect(rate.snapshot(t0 + 200_000).has('a')).toBe(false);
  });
});
