import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { merchantEventRaisedTopic } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureService } from '../failures/sync-failure.service';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { FailureAlertEntity } from './failure-alert.entity';
import { FailureAlertRepository } from './failure-alert.repository';

export const TOTAL_SCOPE = 'total';
const MINUTE_MS = 60_000;

/**
 * Raises an alert when the open sync failures opened within the window (ops settings) reach the threshold: one per
 * merchant and one over all merchants, each at most once per window and not again while it is unresolved; the
 * scheduled check resolves it once the count falls below the threshold. A merchant's alert also goes out to its
 * outbound webhooks as `sync.failures_above_threshold`.
 */
@Injectable()
export class FailureAlertsService {
  private readonly logger = new Logger(FailureAlertsService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: FailureAlertRepository,
    private readonly failures: SyncFailureService,
    private readonly settings: OpsSettingsService,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Checks the scopes a new failure counts in (all, and its merchant's); returns the alerts raised now. */
  async check(merchantId: string | null): Promise<FailureAlertEntity[]> {
    const settings = await this.settings.current();
    const now = this.clock.now();
    const since = now - settings.failureAlertWindowMinutes * MINUTE_MS;
    const raised: FailureAlertEntity[] = [];
    for (const scope of merchantId ? [null, merchantId] : [null]) {
      const alert = await this.raiseIfDue(scope, await this.failures.countOpenCreatedSince(since, scope), now);
      if (alert) raised.push(alert);
    }
    return raised;
  }

  /**
   * The scheduled check: raises the alerts that are due although no failure was recorded just now (e.g. the
   * threshold was lowered), and resolves those whose scope fell below the threshold (failures resolved, dismissed or
   * older than the window).
   */
  async checkAll(): Promise<{ raised: FailureAlertEntity[]; resolved: FailureAlertEntity[] }> {
    const { failureAlertThreshold: threshold, failureAlertWindowMinutes: minutes } = await this.settings.current();
    const now = this.clock.now();
    const since = now - minutes * MINUTE_MS;
    const counts = new Map<string | null, number>([[null, await this.failures.countOpenCreatedSince(since, null)]]);
    for (const row of await this.failures.openCountsByMerchantSince(since)) counts.set(row.merchantId, row.n);
    const raised: FailureAlertEntity[] = [];
    for (const [scope, open] of counts) {
      const alert = await this.raiseIfDue(scope, open, now);
      if (alert) raised.push(alert);
    }
    const resolved: FailureAlertEntity[] = [];
    for (const alert of await this.repo.unresolved()) {
      const open = counts.get(alert.merchantId) ?? 0;
      if (open >= threshold || !(await this.repo.resolve(alert.id, now))) continue;
      this.logger.log(
        `sync failure alert ${alert.scopeKey} resolved: ${open} open within ${minutes} min (threshold ${threshold})`,
      );
      resolved.push({ ...alert, resolvedAt: now });
    }
    return { raised, resolved };
  }

  /** Raises the scope's alert when `open` reaches the threshold and the scope has none unresolved nor one this window. */
  private async raiseIfDue(scope: string | null, open: number, now: number): Promise<FailureAlertEntity | undefined> {
    const { failureAlertThreshold: threshold, failureAlertWindowMinutes: minutes } = await this.settings.current();
    const windowMs = minutes * MINUTE_MS;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const scopeKey = scope ?? TOTAL_SCOPE;
    if (open < threshold) return undefined;
    if ((await this.repo.hasUnresolved(scopeKey)) || (await this.repo.exists(scopeKey, windowStart))) return undefined;
    const alert = Object.assign(new FailureAlertEntity(), {
      id: this.ids.uuid(),
      scopeKey,
      merchantId: scope,
      windowStart,
      windowMinutes: minutes,
      threshold,
      openFailures: open,
      raisedAt: now,
      resolvedAt: null,
    });
    const inserted = await this.db.transaction(async () => {
      if (!(await this.repo.insertOnce(alert))) return false;
      if (scope)
        await this.outbox.enqueue(merchantEventRaisedTopic, {
          eventId: alert.id,
          merchantId: scope,
          type: 'sync.failures_above_threshold',
          subject: 'sync-failures',
          occurredAt: now,
          data: { alertId: alert.id, openFailures: open, threshold, windowMinutes: minutes, windowStart },
        });
      return true;
    });
    if (!inserted) return undefined;
    this.logger.warn(
      `${open} open sync failures ${scope ? `of merchant ${scope}` : 'in total'} within ${minutes} min (threshold ${threshold})`,
    );
    return alert;
  }

  recent(limit = 20): Promise<FailureAlertEntity[]> {
    return this.repo.recent(limit);
  }
}
