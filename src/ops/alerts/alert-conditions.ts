import type { CallTotals } from '@app/platforms/call-stats/platform-call-stats.repository';
import type { InstanceReport } from '@app/platforms/call-stats/platform-call-stats.service';
import { PLATFORMS } from '@app/platforms/ports/platform.types';
import type { OpsSettings } from '../settings/ops-settings.definitions';
import type { AlertFigures, OpsAlertKind } from './ops-alert.entity';

export interface AlertCondition {
  kind: OpsAlertKind;
  scopeKey: string;
  platform: string;
  figures: AlertFigures;
}

type Thresholds = Pick<
  OpsSettings,
  'platformAlertWindowMinutes' | 'errorRateAlertPercent' | 'errorRateAlertMinCalls' | 'noSuccessAlertMinutes'
>;

const sum = (rows: CallTotals[], platform: string) =>
  rows
    .filter((r) => r.platform === platform)
    .reduce((t, r) => ({ calls: t.calls + r.calls, errors: t.errors + r.errors }), { calls: 0, errors: 0 });

/**
 * The platform conditions that hold now: a breaker open on any reporting instance (one per platform and group,
 * naming the instances), a platform's error rate over the window at or above the threshold once it has enough calls,
 * and a platform whose calls within the quiet span all failed (a span without calls is not a failure).
 */
export function platformConditions(
  figures: { instances: InstanceReport[]; inWindow: CallTotals[]; inQuietSpan: CallTotals[] },
  s: Thresholds,
): AlertCondition[] {
  const found: AlertCondition[] = [];
  const open = new Map<string, string[]>();
  for (const report of figures.instances)
    for (const platform of PLATFORMS)
      for (const [group, state] of Object.entries(report.breakers[platform] ?? {}))
        if (state === 'open') {
          const key = `${platform}:${group}`;
          open.set(key, [...(open.get(key) ?? []), report.instance]);
        }
  for (const [scopeKey, instances] of open)
    found.push({ kind: 'breaker_open', scopeKey, platform: scopeKey.split(':')[0], figures: { instances } });
  for (const platform of PLATFORMS) {
    const w = sum(figures.inWindow, platform);
    if (w.calls >= s.errorRateAlertMinCalls && w.errors * 100 >= s.errorRateAlertPercent * w.calls)
      found.push({
        kind: 'error_rate',
        scopeKey: platform,
        platform,
        figures: {
          calls: w.calls,
          errors: w.errors,
          ratePercent: Math.round((w.errors * 1000) / w.calls) / 10,
          thresholdPercent: s.errorRateAlertPercent,
          windowMinutes: s.platformAlertWindowMinutes,
        },
      });
    const q = sum(figures.inQuietSpan, platform);
    if (q.errors > 0 && q.calls === q.errors)
      found.push({
        kind: 'no_successful_call',
        scopeKey: platform,
        platform,
        figures: { failedCalls: q.errors, minutes: s.noSuccessAlertMinutes },
      });
  }
  return found;
}
