import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { Db } from '../../../database/db';
import { failureRetryRequestedTopic } from '../../../messaging/contracts/failure-retry-requested/failure-retry-requested.contract';
import { OutboxService } from '../../../messaging/outbox/outbox.service';
import { SyncFailureService } from '../sync-failure.service';

/** Enqueues due automatic retries; the retry itself runs in FailureRetryConsumer. */
@Injectable()
export class FailureRetryJob {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
  ) {}

  @Interval('failure-retry', 30_000)
  async enqueueDue(): Promise<number> {
    const due = await this.failures.dueForRetry(100);
    let enqueued = 0;
    for (const failure of due) {
      await this.db.transaction(async () => {
        if (!(await this.failures.claimForRetry(failure.id))) return;
        await this.outbox.enqueue(failureRetryRequestedTopic, { failureId: failure.id, requestedBy: 'schedule' });
        enqueued++;
      });
    }
    return enqueued;
  }
}
