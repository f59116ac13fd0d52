import { Module, OnModuleInit } from '@nestjs/common';
import { RetentionModule } from '../retention/retention.module';
import { retentionCutoff, RetentionRegistry } from '../retention/retention.registry';
import { OpsSettingsModule } from '../settings/ops-settings.module';
import { SyncFailureRepository } from './sync-failure.repository';
import { SyncFailureService } from './sync-failure.service';

@Module({
  imports: [OpsSettingsModule, RetentionModule],
  providers: [SyncFailureRepository, SyncFailureService],
  exports: [SyncFailureService],
})
export class SyncFailuresModule implements OnModuleInit {
  constructor(
    private readonly retention: RetentionRegistry,
    private readonly failures: SyncFailureRepository,
  ) {}

  onModuleInit(): void {
    this.retention.register({
      name: 'closedFailures',
      purge: (now, s) => this.failures.deleteClosedBefore(retentionCutoff(now, s.retentionClosedFailuresDays)),
    });
  }
}
