import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { tokenRefreshRequestedTopic } from '@app/messaging/contracts/token-refresh-requested/token-refresh-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { ShopConnectionRepository } from '../shop-connection.repository';
import { REFRESH_MARGIN_MS } from '../token-refresh.service';

/** Enqueues a refresh for every active token that expires within the margin; the consumer refreshes. */
@Injectable()
export class TokenRefreshJob {
  constructor(
    private readonly connections: ShopConnectionRepository,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('token-refresh', { everyMs: 60_000 })
  async enqueueExpiring(): Promise<number> {
    const due = await this.connections.expiringBefore(this.clock.now() + REFRESH_MARGIN_MS, 500);
    if (!due.length) return 0;
    await this.db.transaction(async () => {
      for (const c of due)
        await this.outbox.enqueue(tokenRefreshRequestedTopic, { connectionId: c.id, reason: 'expiring' });
    });
    return due.length;
  }
}
