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
 * merchant and one over all merchants, each at most once per window. A merchant's alert also goes out to its
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
    const { failureAlertThreshold: threshold, failureAlertWindowMinutes: minutes } = await this.settings.current();
    const now = this.clock.now();
    const windowMs = minutes * MINUTE_MS;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const raised: FailureAlertEntity[] = [];
    for (const scope of merchantId ? [null, merchantId] : [null]) {
      const scopeKey = scope ?? TOTAL_SCOPE;
      if (await this.repo.exists(scopeKey, windowStart)) continue;
      const open = await this.failures.countOpenCreatedSince(now - windowMs, scope);
      if (open < threshold) continue;
      const alert = Object.assign(new FailureAlertEntity(), {
        id: this.ids.uuid(),
        scopeKey,
        merchantId: scope,
        windowStart,
        windowMinutes: minutes,
        threshold,
        openFailures: open,
        raisedAt: now,
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
      if (!inserted) continue;
      this.logger.warn(
        `${open} open sync failures ${scope ? `of merchant ${scope}` : 'in total'} within ${minutes} min (threshold ${threshold})`,
      );
      raised.push(alert);
    }
    return raised;
  }

  recent(limit = 20): Promise<FailureAlertEntity[]> {
    return this.repo.recent(limit);
  }
}
