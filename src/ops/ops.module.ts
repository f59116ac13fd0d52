import { Module } from '@nestjs/common';
import { FailureRetryConsumer } from './failures/consumers/failure-retry.consumer';
import { FailureRetryJob } from './failures/jobs/failure-retry.job';
import { SyncFailuresController } from './failures/sync-failures.controller';

@Module({
  controllers: [SyncFailuresController],
  providers: [FailureRetryJob, FailureRetryConsumer],
})
export class OpsModule {}
