import type { InstanceReport } from '@app/platforms/call-stats/platform-call-stats.service';
import type { CallTotals } from '@app/platforms/call-stats/platform-call-stats.repository';
import type { Platform } from '@app/platforms/ports/platform.types';
import type { BreakerState, CallUsage } from '@app/platforms/shared/platform-gateway';

export interface BreakerRow {
  group: string;
  /** The worst state over the instances (open, then half-open, then closed). */
  state: BreakerState;
  instances: { instance: string; state: BreakerState }[];
}

/** Last minute's calls of every instance for one key (API or shop), and for an API its calls and errors in the window. */
export interface UsageRow {
  key: string;
  limitQps: number | null;
  lastMinute: number;
  /** Sum of each instance's busiest second: at most the busiest second of them all together. */
  peakPerSecond: number;
  instances: number;
  windowCalls: number;
  windowErrors: number;
  /** Errors as a share of the window's calls (percent, one decimal); null without calls. */
  errorRatePercent: number | null;
}

const SEVERITY: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export function breakerRows(platform: Platform, reports: InstanceReport[]): BreakerRow[] {
  const rows = new Map<string, BreakerRow>();
  for (const report of reports)
    for (const [group, state] of Object.entries(report.breakers[platform] ?? {})) {
      const row = rows.get(group) ?? { group, state: 'closed' as BreakerState, instances: [] };
      row.instances.push({ instance: report.instance, state });
      if (SEVERITY[state] > SEVERITY[row.state]) row.state = state;
      rows.set(group, row);
    }
  return [...rows.values()].sort((a, b) => a.group.localeCompare(b.group));
}

export const errorRate = (calls: number, errors: number): number | null =>
  calls > 0 ? Math.round((errors * 1000) / calls) / 10 : null;

/** Sums the instances' last-minute usage per key and joins the window's call totals (APIs only). */
export function usageRows(
  platform: Platform,
  reports: InstanceReport[],
  of: 'apis' | 'shops',
  totals: CallTotals[] = [],
): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = {
        key,
        limitQps: null,
        lastMinute: 0,
        peakPerSecond: 0,
        instances: 0,
        windowCalls: 0,
        windowErrors: 0,
        errorRatePercent: null,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const report of reports)
    for (const u of (report[of][platform] ?? []) as CallUsage[]) {
      const r = row(u.key);
      r.limitQps = u.limitQps;
      r.lastMinute += u.lastMinute;
      r.peakPerSecond += u.peakPerSecond;
      r.instances += 1;
    }
  for (const t of totals)
    if (t.platform === platform) {
      const r = row(t.api);
      r.windowCalls += t.calls;
      r.windowErrors += t.errors;
    }
  for (const r of rows.values()) r.errorRatePercent = errorRate(r.windowCalls, r.windowErrors);
  return [...rows.values()].sort(
    (a, b) =>
      (b.errorRatePercent ?? -1) - (a.errorRatePercent ?? -1) ||
      b.windowCalls - a.windowCalls ||
      b.lastMinute - a.lastMinute ||
      a.key.localeCompare(b.key),
  );
}
