import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { orderDeadlineCheckRequestedTopic } from '@app/messaging/contracts/order-deadline-check-requested/order-deadline-check-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { OrderDeadlineService } from '../order-deadline.service';

/** Only enqueues: a deadline check per open order that reached a risk level not raised yet (key = order id). */
@Injectable()
export class ShipDeadlineJob {
  private readonly logger = new Logger(ShipDeadlineJob.name);

  constructor(
    private readonly deadlines: OrderDeadlineService,
    private readonly outbox: OutboxService,
    private readonly db: Db,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('order-ship-deadlines', { everyMs: 5 * 60_000 })
  async enqueue(): Promise<number> {
    const ids = await this.deadlines.candidates();
    const now = this.clock.now();
    let enqueued = 0;
    for (const orderId of ids) {
      try {
        await this.db.transaction(() =>
          this.outbox.enqueue(orderDeadlineCheckRequestedTopic, { orderId, requestedAt: now }),
        );
        enqueued++;
      } catch (error) {
        this.logger.error(`enqueueing the deadline check of order ${orderId} failed: ${(error as Error).message}`);
      }
    }
    return enqueued;
  }
}
