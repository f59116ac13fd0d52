import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { failureRetryRequestedTopic } from '@app/messaging/contracts/failure-retry-requested/failure-retry-requested.contract';
import { SyncFailureService } from '../failures/sync-failure.service';

@Injectable()
export class FailureRetryConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      failureRetryRequestedTopic,
      'ops.failure-retry',
      async ({ failureId }) => {
        const failure = await this.failures.get(failureId);
        if (failure.status !== 'retrying') return;
        await this.failures.runReplay(failure);
      },
      { transactional: false },
    );
  }
}
