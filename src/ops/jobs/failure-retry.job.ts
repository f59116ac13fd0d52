import { Injectable } from '@nestjs/common';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { Db } from '@app/database/db';
import { failureRetryRequestedTopic } from '@app/messaging/contracts/failure-retry-requested/failure-retry-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureService } from '../failures/sync-failure.service';

const PAGE = 100;
const MAX_PAGES = 20;

/** Enqueues due automatic retries; the retry itself runs in FailureRetryConsumer. */
@Injectable()
export class FailureRetryJob {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
  ) {}

  @ScheduledJob('failure-retry', { everyMs: 30_000 })
  async enqueueDue(): Promise<number> {
    let enqueued = 0;
    // After an outage hundreds are due at once: take them all, a page at a time (claimed rows leave the page).
    for (let page = 0; page < MAX_PAGES; page++) {
      const due = await this.failures.dueForRetry(PAGE);
      for (const failure of due) {
        await this.db.transaction(async () => {
          if (!(await this.failures.claimForRetry(failure.id))) return;
          await this.outbox.enqueue(failureRetryRequestedTopic, { failureId: failure.id, requestedBy: 'schedule' });
          enqueued++;
        });
      }
      if (due.length < PAGE) break;
    }
    return enqueued;
  }
}
