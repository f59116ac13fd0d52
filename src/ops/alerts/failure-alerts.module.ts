import { Module, OnModuleInit } from '@nestjs/common';
import { SyncFailuresModule } from '../failures/sync-failures.module';
import { SyncFailureService } from '../failures/sync-failure.service';
import { OpsSettingsModule } from '../settings/ops-settings.module';
import { RetentionModule } from '../retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../retention/retention.registry';
import { FailureAlertRepository } from './failure-alert.repository';
import { FailureAlertsService } from './failure-alerts.service';
import { PlatformsModule } from '@app/platforms/platforms.module';
import { OpsAlertRepository } from './ops-alert.repository';
import { OpsAlertsService } from './ops-alerts.service';

/** Alerts on sync failures (checked after each recorded failure and by the scheduled check, shown on the console, sent as merchant events) and on platform conditions (scheduled check). */
@Module({
  imports: [SyncFailuresModule, OpsSettingsModule, PlatformsModule, RetentionModule],
  providers: [FailureAlertRepository, FailureAlertsService, OpsAlertRepository, OpsAlertsService],
  exports: [FailureAlertsService, OpsAlertsService],
})
export class FailureAlertsModule implements OnModuleInit {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly alerts: FailureAlertsService,
    private readonly retention: RetentionRegistry,
    private readonly failureAlertRows: FailureAlertRepository,
    private readonly opsAlertRows: OpsAlertRepository,
  ) {}

  onModuleInit(): void {
    // Resolved alerts are kept as long as closed sync failures; active ones stay whatever their age.
    this.retention.register({
      name: 'resolvedAlerts',
      purge: async (now, s) => {
        const cutoff = retentionCutoff(now, s.retentionClosedFailuresDays);
        return (
          (await this.failureAlertRows.deleteResolvedBefore(cutoff)) +
          (await this.opsAlertRows.deleteResolvedBefore(cutoff))
        );
      },
    });
    this.failures.onRecorded(async (failure) => {
      await this.alerts.check(failure.merchantId);
    });
  }
}
