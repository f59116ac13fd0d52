import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { livePoint, MetricJson, quantileOf, quotaLines, sampleOf } from './live-figures';

describe('live figures', () => {
  it('takes rates, quantiles and the outbox lag over the interval between two samples of a registry', async () => {
    const registry = new Registry();
    const events = new Counter({
      name: 'kwaizan_events_consumed_total',
      help: 'h',
      labelNames: ['consumer', 'outcome'],
      registers: [registry],
    });
    const calls = new Counter({
      name: 'kwaizan_platform_calls_total',
      help: 'h',
      labelNames: ['platform', 'api', 'outcome'],
      registers: [registry],
    });
    const propagation = new Histogram({
      name: 'kwaizan_stock_propagation_seconds',
      help: 'h',
      labelNames: ['platform'],
      buckets: [0.1, 0.5, 1, 5],
      registers: [registry],
    });
    const lag = new Histogram({
      name: 'kwaizan_outbox_publish_lag_seconds',
      help: 'h',
      labelNames: ['topic'],
      buckets: [1],
      registers: [registry],
    });
    const inFlight = new Gauge({ name: 'kwaizan_outbox_in_flight', help: 'h', registers: [registry] });
    const take = async (at: number) => sampleOf(at, (await registry.getMetricsAsJSON()) as MetricJson[]);

    events.inc({ consumer: 'a', outcome: 'ok' }, 100);
    propagation.observe({ platform: 'youzan' }, 4);
    const first = await take(10_000);
    events.inc({ consumer: 'a', outcome: 'ok' }, 6);
    events.inc({ consumer: 'b', outcome: 'failed' }, 4);
    calls.inc({ platform: 'kuaishou', api: 'x', outcome: 'ok' }, 20);
    for (let i = 0; i < 98; i++) propagation.observe({ platform: i % 2 ? 'youzan' : 'kuaishou' }, 0.05);
    propagation.observe({ platform: 'youzan' }, 0.7);
    propagation.observe({ platform: 'youzan' }, 3);
    lag.observe({ topic: 't' }, 0.2);
    lag.observe({ topic: 't' }, 0.4);
    inFlight.set(3);
    const point = livePoint(first, await take(12_000));
    expect(point.eventsPerSecond).toBe(5);
    expect(point.callsPerSecond).toEqual({ kuaishou: 10 });
    // The 4 s observation before the interval does not count.
    expect(point.propagationP50).toBe(0.1);
    expect(point.propagationP99).toBe(1);
    expect(point.outboxLagSeconds).toBeCloseTo(0.3);
    expect(point.outboxInFlight).toBe(3);
  });

  it('has no quantile or lag for an interval without observations', () => {
    expect(quantileOf([], 0.5)).toBeNull();
    expect(
      quantileOf(
        [
          [1, 0],
          [Infinity, 0],
        ],
        0.5,
      ),
    ).toBeNull();
    const empty = sampleOf(0, []);
    expect(livePoint(empty, { ...empty, at: 1000 })).toMatchObject({
      eventsPerSecond: 0,
      propagationP99: null,
      outboxLagSeconds: null,
    });
  });

  it('reports the last finite bound when the quantile falls past every bucket', () => {
    expect(
      quantileOf(
        [
          [1, 1],
          [5, 1],
          [Infinity, 10],
        ],
        0.99,
      ),
    ).toBe(5);
  });
});

describe('quotaLines', () => {
  it("draws each platform's quota as the calls per second that use it up evenly over its period", () => {
    expect(quotaLines({ kuaishouDailyCallQuota: 1_000_000, youzanMonthlyCallQuota: 500_000 })).toEqual([
      { platform: 'kuaishou', label: 'kuaishou quota 1,000,000/day', perSecond: 11.574 },
      { platform: 'youzan', label: 'youzan quota 500,000/month', perSecond: 0.193 },
    ]);
  });
});
