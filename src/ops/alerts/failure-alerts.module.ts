import { Module, OnModuleInit } from '@nestjs/common';
import { SyncFailuresModule } from '../failures/sync-failures.module';
import { SyncFailureService } from '../failures/sync-failure.service';
import { OpsSettingsModule } from '../settings/ops-settings.module';
import { FailureAlertRepository } from './failure-alert.repository';
import { FailureAlertsService } from './failure-alerts.service';

/** Alerts on sync failures: checked after each recorded failure, shown on the console, sent as merchant events. */
@Module({
  imports: [SyncFailuresModule, OpsSettingsModule],
  providers: [FailureAlertRepository, FailureAlertsService],
  exports: [FailureAlertsService],
})
export class FailureAlertsModule implements OnModuleInit {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly alerts: FailureAlertsService,
  ) {}

  onModuleInit(): void {
    this.failures.onRecorded(async (failure) => {
      await this.alerts.check(failure.merchantId);
    });
  }
}
