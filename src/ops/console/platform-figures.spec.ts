import type { InstanceReport } from '@app/platforms/call-stats/platform-call-stats.service';
import { breakerRows, errorRate, usageRows } from './platform-figures';

const report = (instance: string, overrides: Partial<InstanceReport> = {}): InstanceReport => ({
  instance,
  startedAt: 1,
  reportedAt: 2,
  breakers: { kuaishou: { kuaishou: 'closed' }, youzan: { youzan: 'closed' } },
  apis: { kuaishou: [], youzan: [] },
  shops: { kuaishou: [], youzan: [] },
  ...overrides,
});

describe('platform figures over instances', () => {
  describe('breakerRows', () => {
    it('shows the worst state of a breaker group and each instance’s own', () => {
      const rows = breakerRows('youzan', [
        report('a'),
        report('b', { breakers: { kuaishou: {}, youzan: { youzan: 'open', 'youzan.stock': 'half_open' } } }),
      ]);
      expect(rows).toEqual([
        {
          group: 'youzan',
          state: 'open',
          instances: [
            { instance: 'a', state: 'closed' },
            { instance: 'b', state: 'open' },
          ],
        },
        { group: 'youzan.stock', state: 'half_open', instances: [{ instance: 'b', state: 'half_open' }] },
      ]);
    });
  });

  describe('usageRows', () => {
    it('sums the last minute over instances and joins the window’s calls and errors per API', () => {
      const api = (lastMinute: number, peakPerSecond: number) => ({
        key: 'open.item.get',
        limitQps: 10,
        lastMinute,
        peakPerSecond,
      });
      const rows = usageRows(
        'kuaishou',
        [
          report('a', { apis: { kuaishou: [api(30, 2)], youzan: [] } }),
          report('b', { apis: { kuaishou: [api(12, 3)], youzan: [] } }),
        ],
        'apis',
        [
          { platform: 'kuaishou', api: 'open.item.get', calls: 40, errors: 10 },
          { platform: 'kuaishou', api: 'open.sku.stock.update', calls: 3, errors: 3 },
          { platform: 'youzan', api: 'youzan.item.get', calls: 5, errors: 0 },
        ],
      );
      expect(rows).toEqual([
        expect.objectContaining({
          key: 'open.sku.stock.update',
          windowCalls: 3,
          windowErrors: 3,
          errorRatePercent: 100,
          limitQps: null,
        }),
        expect.objectContaining({
          key: 'open.item.get',
          lastMinute: 42,
          peakPerSecond: 5,
          instances: 2,
          windowCalls: 40,
          windowErrors: 10,
          errorRatePercent: 25,
        }),
      ]);
    });
  });

  it('has no error rate without calls', () => {
    expect(errorRate(0, 0)).toBeNull();
    expect(errorRate(3, 1)).toBe(33.3);
  });
});
