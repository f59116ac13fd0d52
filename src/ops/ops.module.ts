import { Module } from '@nestjs/common';
import { OpsConsolePagesController, OpsHomeRedirectController } from './console/ops-console-pages.controller';
import { FailureRetryConsumer } from './consumers/failure-retry.consumer';
import { SyncFailuresModule } from './failures/sync-failures.module';
import { OpsSettingsModule } from './settings/ops-settings.module';
import { FailureRetryJob } from './jobs/failure-retry.job';
import { RetentionJob } from './retention/retention.job';
import { RetentionModule } from './retention/retention.module';
import { SyncFailuresController } from './sync-failures.controller';

@Module({
  imports: [SyncFailuresModule, OpsSettingsModule, RetentionModule],
  controllers: [SyncFailuresController, OpsConsolePagesController, OpsHomeRedirectController],
  providers: [FailureRetryJob, FailureRetryConsumer, RetentionJob],
})
export class OpsModule {}
