import { Inject, Injectable, Logger } from '@nestjs/common';
import { CronExpression } from '@nestjs/schedule';
import { ScheduledJob } from '@app/database/scheduled-jobs/scheduled-job.decorator';
import { CLOCK, Clock } from '@app/common/clock';
import { DAY_MS } from '@app/ops/settings/ops-settings.definitions';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { InboxRepository } from '../inbox/inbox.repository';
import { OutboxRepository } from '../outbox/outbox.repository';

@Injectable()
export class MessagingCleanupJob {
  private readonly logger = new Logger(MessagingCleanupJob.name);

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly inbox: InboxRepository,
    private readonly settings: OpsSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @ScheduledJob('messaging-cleanup', { cron: CronExpression.EVERY_HOUR, periodMs: 3_600_000 })
  async purge(): Promise<void> {
    const now = this.clock.now();
    // Ages from the ops settings: inbox rows outlive Kafka's 7-day retention so a late redelivery is still caught.
    const { retentionOutboxDays, retentionInboxDays } = await this.settings.current();
    const events = await this.outbox.deletePublishedBefore(now - retentionOutboxDays * DAY_MS);
    const inbox = await this.inbox.deleteBefore(now - retentionInboxDays * DAY_MS);
    if (events || inbox) this.logger.log(`purged ${events} published outbox events and ${inbox} inbox rows`);
  }
}
