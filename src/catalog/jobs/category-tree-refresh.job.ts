import { Injectable } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { ConnectionsService } from '@app/accounts/connections.service';
import { Db } from '@app/database/db';
import { categoryTreeRefreshRequestedTopic } from '@app/messaging/contracts/category-tree-refresh-requested/category-tree-refresh-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { CategoryTreeService } from '../categories/category-tree.service';

/** Enqueues a tree read for every active shop whose tree is older than a day; the consumer reads it. */
@Injectable()
export class CategoryTreeRefreshJob {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly trees: CategoryTreeService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
  ) {}

  @ScheduledJob('category-tree-refresh', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async enqueueDue(): Promise<number> {
    const active = (await this.connections.listActive()).map((c) => c.id);
    const due = await this.trees.due(active);
    if (!due.length) return 0;
    await this.db.transaction(async () => {
      for (const connectionId of due)
        await this.outbox.enqueue(categoryTreeRefreshRequestedTopic, { connectionId, reason: 'schedule' });
    });
    return due.length;
  }
}
