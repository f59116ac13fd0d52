import type { InstanceReport } from '@app/platforms/call-stats/platform-call-stats.service';
import { platformConditions } from './alert-conditions';

const thresholds = {
  platformAlertWindowMinutes: 15,
  errorRateAlertPercent: 50,
  errorRateAlertMinCalls: 20,
  noSuccessAlertMinutes: 30,
};
const instance = (name: string, youzan: Record<string, 'open' | 'closed' | 'half_open'>): InstanceReport => ({
  instance: name,
  startedAt: 0,
  reportedAt: 0,
  breakers: { kuaishou: { kuaishou: 'closed' }, youzan },
  apis: { kuaishou: [], youzan: [] },
  shops: { kuaishou: [], youzan: [] },
});
const calls = (platform: string, n: number, errors: number) => ({ platform, api: `${platform}.api`, calls: n, errors });

describe('platformConditions', () => {
  it('finds nothing on a quiet or healthy platform', () => {
    expect(platformConditions({ instances: [], inWindow: [], inQuietSpan: [] }, thresholds)).toEqual([]);
    const healthy = [calls('youzan', 100, 10)];
    expect(
      platformConditions(
        { instances: [instance('a', { youzan: 'half_open' })], inWindow: healthy, inQuietSpan: healthy },
        thresholds,
      ),
    ).toEqual([]);
  });

  it('names every instance whose breaker of a group is open', () => {
    const found = platformConditions(
      {
        instances: [
          instance('a', { youzan: 'open' }),
          instance('b', { youzan: 'closed' }),
          instance('c', { youzan: 'open' }),
        ],
        inWindow: [],
        inQuietSpan: [],
      },
      thresholds,
    );
    expect(found).toEqual([
      { kind: 'breaker_open', scopeKey: 'youzan:youzan', platform: 'youzan', figures: { instances: ['a', 'c'] } },
    ]);
  });

  it('raises the error rate at the threshold, summed over APIs, only with enough calls', () => {
    const at = [calls('kuaishou', 12, 6), { platform: 'kuaishou', api: 'other', calls: 8, errors: 4 }];
    expect(platformConditions({ instances: [], inWindow: at, inQuietSpan: [] }, thresholds)).toEqual([
      {
        kind: 'error_rate',
        scopeKey: 'kuaishou',
        platform: 'kuaishou',
        figures: { calls: 20, errors: 10, ratePercent: 50, thresholdPercent: 50, windowMinutes: 15 },
      },
    ]);
    expect(
      platformConditions({ instances: [], inWindow: [calls('kuaishou', 19, 19)], inQuietSpan: [] }, thresholds),
    ).toEqual([]);
  });

  it('raises "no successful call" when every call in the span failed, and not for one success', () => {
    const failing = platformConditions(
      { instances: [], inWindow: [], inQuietSpan: [calls('youzan', 3, 3)] },
      thresholds,
    );
    expect(failing).toEqual([
      { kind: 'no_successful_call', scopeKey: 'youzan', platform: 'youzan', figures: { failedCalls: 3, minutes: 30 } },
    ]);
    expect(
      platformConditions({ instances: [], inWindow: [], inQuietSpan: [calls('youzan', 4, 3)] }, thresholds),
    ).toEqual([]);
  });
});
