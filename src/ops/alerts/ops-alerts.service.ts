import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { PlatformCallStatsService } from '@app/platforms/call-stats/platform-call-stats.service';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { AlertCondition, platformConditions } from './alert-conditions';
import { OpsAlertEntity } from './ops-alert.entity';
import { OpsAlertRepository } from './ops-alert.repository';

const MINUTE_MS = 60_000;

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

  private async conditions(now: number): Promise<AlertCondition[]> {
    const s = await this.settings.current();
    return platformConditions(
      {
        instances: await this.calls.instances(now),
        inWindow: await this.calls.totalsSince(now - s.platformAlertWindowMinutes * MINUTE_MS),
        inQuietSpan: await this.calls.totalsSince(now - s.noSuccessAlertMinutes * MINUTE_MS),
      },
      s,
    );
  }
}
