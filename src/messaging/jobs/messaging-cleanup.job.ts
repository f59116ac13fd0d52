import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { CLOCK, Clock } from '../../common/clock';
import { InboxRepository } from '../inbox/inbox.repository';
import { OutboxRepository } from '../outbox/outbox.repository';

const DAY = 86_400_000;
/** Kafka's default retention is 7 days; inbox rows outlive it so a late redelivery is still caught. */
const OUTBOX_KEEP_MS = 7 * DAY;
const INBOX_KEEP_MS = 14 * DAY;

@Injectable()
export class MessagingCleanupJob {
  private readonly logger = new Logger(MessagingCleanupJob.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly inbox: InboxRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'messaging-cleanup' })
  async purge(): Promise<void> {
    const now = this.clock.now();
    const events = await this.outbox.deletePublishedBefore(now - OUTBOX_KEEP_MS);
    const inbox = await this.inbox.deleteBefore(now - INBOX_KEEP_MS);
    if (events || inbox) this.logger.log(`purged ${events} published outbox events and ${inbox} inbox rows`);
  }
}
