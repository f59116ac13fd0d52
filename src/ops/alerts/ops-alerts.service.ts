import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { PlatformCallStatsService } from '@app/platforms/call-stats/platform-call-stats.service';
import { PLATFORMS } from '@app/platforms/ports/platform.types';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { AlertFigures, OpsAlertEntity, OpsAlertKind } from './ops-alert.entity';
import { OpsAlertRepository } from './ops-alert.repository';

const MINUTE_MS = 60_000;

interface Condition {
  kind: OpsAlertKind;
  scopeKey: string;
  platform: string;
  figures: AlertFigures;
}

/**
 * Platform conditions found by the scheduled check from the calls every instance's gateways persisted: a breaker
 * open on any instance, a platform's error rate at or above the threshold, a platform whose calls all failed for the
 * set minutes. One active alert per condition (raised once while it holds), resolved when it clears.
 */
@Injectable()
export class OpsAlertsService {
  private readonly logger = new Logger(OpsAlertsService.name);

  constructor(
    private readonly repo: OpsAlertRepository,
    private readonly calls: PlatformCallStatsService,
    private readonly settings: OpsSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async check(): Promise<{ raised: OpsAlertEntity[]; resolved: OpsAlertEntity[] }> {
    const now = this.clock.now();
    const found = await this.conditions(now);
    const active = await this.repo.active();
    const raised: OpsAlertEntity[] = [];
    for (const condition of found) {
      const current = active.find((a) => a.kind === condition.kind && a.scopeKey === condition.scopeKey);
      if (current) {
        await this.repo.touch(current.id, condition.figures, now);
        continue;
      }
      const alert = Object.assign(new OpsAlertEntity(), {
        id: this.ids.uuid(),
        ...condition,
        openMarker: 1,
        raisedAt: now,
        lastSeenAt: now,
        resolvedAt: null,
      });
      if (!(await this.repo.insertActive(alert))) continue;
      this.logger.warn(`alert ${condition.kind} on ${condition.scopeKey}: ${JSON.stringify(condition.figures)}`);
      raised.push(alert);
    }
    const resolved: OpsAlertEntity[] = [];
    for (const alert of active) {
      if (found.some((c) => c.kind === alert.kind && c.scopeKey === alert.scopeKey)) continue;
      if (!(await this.repo.resolve(alert.id, now))) continue;
      this.logger.log(`alert ${alert.kind} on ${alert.scopeKey} resolved`);
      resolved.push({ ...alert, openMarker: null, resolvedAt: now });
    }
    return { raised, resolved };
  }

  active(): Promise<OpsAlertEntity[]> {
    return this.repo.active();
  }

  recent(limit = 20): Promise<OpsAlertEntity[]> {
    return this.repo.recent(limit);
  }

  private async conditions(now: number): Promise<Condition[]> {
    const s = await this.settings.current();
    const found: Condition[] = [];
    const open = new Map<string, string[]>();
    for (const report of await this.calls.instances(now))
      for (const platform of PLATFORMS)
        for (const [group, state] of Object.entries(report.breakers[platform]))
          if (state === 'open') {
            const key = `${platform}:${group}`;
            open.set(key, [...(open.get(key) ?? []), report.instance]);
          }
    for (const [scopeKey, instances] of open)
      found.push({ kind: 'breaker_open', scopeKey, platform: scopeKey.split(':')[0], figures: { instances } });

    const sum = (rows: { platform: string; calls: number; errors: number }[], platform: string) =>
      rows
        .filter((r) => r.platform === platform)
        .reduce((t, r) => ({ calls: t.calls + r.calls, errors: t.errors + r.errors }), { calls: 0, errors: 0 });
    const windowRows = await this.calls.totalsSince(now - s.platformAlertWindowMinutes * MINUTE_MS);
    const quietRows = await this.calls.totalsSince(now - s.noSuccessAlertMinutes * MINUTE_MS);
    for (const platform of PLATFORMS) {
      const w = sum(windowRows, platform);
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
      const q = sum(quietRows, platform);
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
}
