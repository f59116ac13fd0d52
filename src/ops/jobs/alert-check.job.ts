import { Injectable } from '@nestjs/common';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { FailureAlertsService } from '../alerts/failure-alerts.service';
import { OpsAlertsService } from '../alerts/ops-alerts.service';

/**
 * Checks every alert condition once a minute across instances, so alerts are raised when nothing new fails and
 * resolved when their condition clears. It does the (database-only, repeat-safe) check itself instead of enqueueing
 * it: there is one check per period and nothing to key or serialize.
 */
@Injectable()
export class AlertCheckJob {
  constructor(
    private readonly failureAlerts: FailureAlertsService,
    private readonly opsAlerts: OpsAlertsService,
  ) {}

  @ScheduledJob('ops-alert-check', { everyMs: 60_000 })
  async check(): Promise<{ raised: number; resolved: number }> {
    const failures = await this.failureAlerts.checkAll();
    const platforms = await this.opsAlerts.check();
    return {
      raised: failures.raised.length + platforms.raised.length,
      resolved: failures.resolved.length + platforms.resolved.length,
    };
  }
}
