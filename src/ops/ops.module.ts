import { Module } from '@nestjs/common';
import { FailureRetryConsumer } from './failures/consumers/failure-retry.consumer';
import { FailureRetryJob } from './failures/jobs/failure-retry.job';
import { SyncFailuresController } from './failures/sync-failures.controller';
import { RetentionJob } from './retention/retention.job';
import { RetentionRepository } from './retention/retention.repository';

@Module({
  controllers: [SyncFailuresController],
  providers: [FailureRetryJob, FailureRetryConsumer, RetentionRepository, RetentionJob],
})
export class OpsModule {}
