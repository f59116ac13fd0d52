import { afterFailure, deliveryIdOf, isAccepted } from './delivery-policy';

describe('delivery policy', () => {
  describe('deliveryIdOf', () => {
    it('gives a repeat of the same event to the same subscription the same UUID-shaped id', () => {
      const a = deliveryIdOf('8d3c6b7e-1f0a-4c1e-9a55-0b6a3e1f2c9d', 'sub-1');
      expect(a).toBe(deliveryIdOf('8d3c6b7e-1f0a-4c1e-9a55-0b6a3e1f2c9d', 'sub-1'));
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('gives another subscription or another event another id', () => {
      const a = deliveryIdOf('e1', 'sub-1');
      expect(deliveryIdOf('e1', 'sub-2')).not.toBe(a);
      expect(deliveryIdOf('e2', 'sub-1')).not.toBe(a);
    });
  });

  describe('afterFailure', () => {
    const delays = [60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_840_000, 7_200_000];

    it('waits the configured delay after each of the first attempts', () => {
      expect(afterFailure(1, delays)).toEqual({ retryInMs: 60_000 });
      expect(afterFailure(8, delays)).toEqual({ retryInMs: 7_200_000 });
    });

    it('gives up after one attempt more than there are delays (9 attempts over about 4.1 h by default)', () => {
      expect(afterFailure(9, delays)).toBe('give_up');
      const total = delays.reduce((a, b) => a + b, 0);
      expect(total / 3_600_000).toBeCloseTo(4.1, 1);
    });
  });

  it('accepts only 2xx answers', () => {
    expect([200, 204, 299].every(isAccepted)).toBe(true);
    expect([199, 301, 400, 500].some(isAccepted)).toBe(false);
  });
});
