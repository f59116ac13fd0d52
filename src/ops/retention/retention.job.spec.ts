import { ManualClock } from '@app/common/clock';
import { OpsSettings } from '@app/ops/settings/ops-settings.definitions';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { RetentionJob } from './retention.job';
import { retentionCutoff, RetentionRegistry } from './retention.registry';

const DAY = 86_400_000;

describe(RetentionJob.name, () => {
  const settings = { retentionPushesDays: 30, retentionDriftDays: 10 } as OpsSettings;
  const opsSettings = { current: async () => settings } as unknown as OpsSettingsService;

  it('runs every registered purge with the clock and the current settings, one failure not stopping the rest', async () => {
    const clock = new ManualClock(100 * DAY);
    const registry = new RetentionRegistry();
    const cutoffs: number[] = [];
    registry.register({
      name: 'pushes',
      purge: async (now, s) => {
        cutoffs.push(retentionCutoff(now, s.retentionPushesDays));
        return 3;
      },
    });
    registry.register({ name: 'broken', purge: () => Promise.reject(new Error('table gone')) });
    registry.register({
      name: 'drift',
      purge: async (now, s) => {
        cutoffs.push(retentionCutoff(now, s.retentionDriftDays));
        return 0;
      },
    });

    const purged = await new RetentionJob(registry, opsSettings, clock).purge();

    // The broken purge is left out (not reported as 0); the others ran.
    expect(purged).toEqual({ pushes: 3, drift: 0 });
    expect(cutoffs).toEqual([70 * DAY, 90 * DAY]);
  });

  it('refuses a second purge under the same name', () => {
    const registry = new RetentionRegistry();
    registry.register({ name: 'pushes', purge: async () => 0 });
    expect(() => registry.register({ name: 'pushes', purge: async () => 0 })).toThrow(/twice/);
  });
});
