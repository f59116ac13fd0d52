import { METRICS } from './metric-names';
import { MetricsService } from './metrics.service';

describe('METRICS', () => {
  const entries = Object.values(METRICS);

  it('names each metric once', () => {
    const names = entries.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('follows the Prometheus naming the dashboards expect', () => {
    for (const metric of entries) {
      expect(metric.name).toMatch(/^kwaizan_[a-z][a-z_]*[a-z]$/);
      if (metric.kind === 'counter') expect(metric.name).toMatch(/_total$/);
      if (metric.kind === 'histogram') expect(metric.name).toMatch(/_seconds$/);
      expect(metric.help.length).toBeGreaterThan(0);
    }
  });

  it('is what the registry exports: name, help, labels and buckets from the entry', async () => {
    const metrics = new MetricsService();
    metrics.histogram(METRICS.platformCallSeconds).observe({ platform: 'kuaishou', api: 'open.item.get' }, 0.2);
    const exported = await metrics.registry.getSingleMetric('kwaizan_platform_call_seconds')!.get();
    expect(exported.help).toBe(METRICS.platformCallSeconds.help);
    const buckets = exported.values
      .filter((v) => (v as { metricName?: string }).metricName?.endsWith('_bucket'))
      .map((v) => v.labels.le);
    expect(buckets).toEqual([...METRICS.platformCallSeconds.buckets, '+Inf']);
    expect(() =>
      metrics.counter(METRICS.ordersIngestedTotal).inc({ platform: 'youzan', outcome: 'created', shop: 'x' }),
    ).toThrow();
  });
});
