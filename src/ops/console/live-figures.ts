/** One value of a metric as prom-client's `getMetricsAsJSON()` gives it (histograms name their series). */
export interface MetricValue {
  value: number;
  labels: Record<string, string | number | undefined>;
  metricName?: string;
}

/** One metric as prom-client's `getMetricsAsJSON()` gives it. */
export interface MetricJson {
  name: string;
  values: MetricValue[];
}

/** The figures the live charts draw, for the interval between two samples of the registry. */
export interface LivePoint {
  at: number;
  eventsPerSecond: number;
  /** Seconds, from the histogram buckets filled in the interval (upper bound of the bucket); null when none. */
  propagationP50: number | null;
  propagationP99: number | null;
  /** Platform API calls per second, by platform. */
  callsPerSecond: Record<string, number>;
  /** Mean commit-to-publish lag of the outbox in the interval (seconds), null when nothing was published; and rows in flight. */
  outboxLagSeconds: number | null;
  outboxInFlight: number;
}

export interface Sample {
  at: number;
  metrics: Map<string, MetricJson>;
}

export const sampleOf = (at: number, metrics: MetricJson[]): Sample => ({
  at,
  // Copied: prom-client hands out its live value objects, which later increments change.
  metrics: new Map(
    metrics.map((m) => [
      m.name,
      {
        name: m.name,
        values: m.values.map((v) => ({ value: v.value, labels: { ...v.labels }, metricName: v.metricName })),
      },
    ]),
  ),
});

const values = (s: Sample, name: string): MetricValue[] => s.metrics.get(name)?.values ?? [];

function sum(s: Sample, name: string, pick: (v: MetricValue) => boolean = () => true): number {
  return values(s, name)
    .filter(pick)
    .reduce((total, v) => total + v.value, 0);
}

/** Bucket upper bound → count added in the interval, summed over every label set. */
function bucketDeltas(prev: Sample, next: Sample, name: string): [number, number][] {
  const total = (s: Sample) => {
    const byBound = new Map<number, number>();
    for (const v of values(s, name)) {
      if (v.metricName !== `${name}_bucket`) continue;
      const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
      byBound.set(le, (byBound.get(le) ?? 0) + v.value);
    }
    return byBound;
  };
  const a = total(prev);
  const b = total(next);
  return [...b.entries()].map(([le, n]) => [le, n - (a.get(le) ?? 0)] as [number, number]).sort((x, y) => x[0] - y[0]);
}

/** The smallest bucket bound holding the q-quantile of the interval's observations (buckets are cumulative). */
export function quantileOf(buckets: [number, number][], q: number): number | null {
  const count = buckets.length ? buckets[buckets.length - 1][1] : 0;
  if (count <= 0) return null;
  const finite = buckets.filter(([le]) => Number.isFinite(le));
  for (const [le, n] of buckets) if (n >= q * count) return Number.isFinite(le) ? le : (finite.at(-1)?.[0] ?? null);
  return null;
}

export function livePoint(prev: Sample, next: Sample): LivePoint {
  const seconds = Math.max(0.001, (next.at - prev.at) / 1000);
  const rate = (name: string, pick?: (v: MetricValue) => boolean) =>
    Math.max(0, (sum(next, name, pick) - sum(prev, name, pick)) / seconds);
  const propagation = bucketDeltas(prev, next, 'kwaizan_stock_propagation_seconds');
  const platforms = new Set(values(next, 'kwaizan_platform_calls_total').map((v) => String(v.labels.platform)));
  const callsPerSecond: Record<string, number> = {};
  for (const p of platforms) callsPerSecond[p] = rate('kwaizan_platform_calls_total', (v) => v.labels.platform === p);
  const lag = 'kwaizan_outbox_publish_lag_seconds';
  const lagCount =
    sum(next, lag, (v) => v.metricName === `${lag}_count`) - sum(prev, lag, (v) => v.metricName === `${lag}_count`);
  const lagSum =
    sum(next, lag, (v) => v.metricName === `${lag}_sum`) - sum(prev, lag, (v) => v.metricName === `${lag}_sum`);
  return {
    at: next.at,
    eventsPerSecond: rate('kwaizan_events_consumed_total'),
    propagationP50: quantileOf(propagation, 0.5),
    propagationP99: quantileOf(propagation, 0.99),
    callsPerSecond,
    outboxLagSeconds: lagCount > 0 ? lagSum / lagCount : null,
    outboxInFlight: sum(next, 'kwaizan_outbox_in_flight'),
  };
}

/** A platform's call quota drawn on the calls chart as the rate that uses it up evenly over its period. */
export interface QuotaLine {
  platform: string;
  label: string;
  perSecond: number;
}

const DAY_S = 86_400;
/** Youzan's quota is per month; 30 days makes the even rate (a 31-day month allows a little less per second). */
const MONTH_S = 30 * DAY_S;

export function quotaLines(quotas: { kuaishouDailyCallQuota: number; youzanMonthlyCallQuota: number }): QuotaLine[] {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return [
    {
      platform: 'kuaishou',
      label: `kuaishou quota ${quotas.kuaishouDailyCallQuota.toLocaleString('en')}/day`,
      perSecond: round(quotas.kuaishouDailyCallQuota / DAY_S),
    },
    {
      platform: 'youzan',
      label: `youzan quota ${quotas.youzanMonthlyCallQuota.toLocaleString('en')}/month`,
      perSecond: round(quotas.youzanMonthlyCallQuota / MONTH_S),
    },
  ];
}
