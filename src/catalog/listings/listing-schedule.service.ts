import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { listingAuditCheckRequestedTopic } from '@app/messaging/contracts/listing-audit-check-requested/listing-audit-check-requested.contract';
import { listingPublishRequestedTopic } from '@app/messaging/contracts/listing-publish-requested/listing-publish-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { ListingEntity } from './listing.entity';
import { ListingRepository } from './listing.repository';
import { refOf } from './listing-publish.shared';
import { ListingPublisherService } from './listing-publisher.service';

const STALE_PUBLISHING_MS = 15 * 60_000;

/** The poll job's work: due and stale publishes queued again, listings under audit read again. */
@Injectable()
export class ListingScheduleService {
  private readonly logger = new Logger(ListingScheduleService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    private readonly connections: ConnectionsService,
    private readonly publisher: ListingPublisherService,
    private readonly outbox: OutboxService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reads the target item's audit state (the poll job's consumer, and the audit failure's replay). */
  async checkAudit(listingId: string): Promise<ListingEntity | undefined> {
    const listing = await this.repo.findById(listingId);
    if (!listing || listing.status !== 'pending_audit' || !listing.targetItemId) return listing ?? undefined;
    const target = await this.connections.findById(listing.targetConnectionId);
    if (!target || target.status !== 'active') return listing;
    const item = await this.channels.catalog(listing.targetPlatform).getItem(refOf(target), listing.targetItemId);
    return this.publisher.applyAudit(listing, item);
  }

  /** Queued listings whose next day has come are published again; listings under audit are read again. */
  async enqueueDue(now: number): Promise<{ publish: number; audit: number }> {
    const due = await this.repo.dueForPublish(now);
    const auditing = await this.repo.listByStatus(['pending_audit']);
    // A publisher that died mid-call left its listing `publishing`: queue it again (the claim settles the journal first).
    const stale = (await this.repo.listByStatus(['publishing'])).filter((l) => l.updatedAt < now - STALE_PUBLISHING_MS);
    for (const listing of [...due, ...stale]) {
      await this.db
        .transaction(async () => {
          const locked = await this.repo.lock(listing.id);
          if (!locked || (locked.status !== 'queued' && locked.status !== 'publishing')) return;
          locked.status = 'queued';
          locked.nextAttemptAt = null;
          locked.updatedAt = this.clock.now();
          await this.repo.save(locked);
          await this.outbox.enqueue(listingPublishRequestedTopic, { listingId: listing.id, reason: 'schedule' });
        })
        .catch((error: unknown) => this.logger.warn(`listing ${listing.id} not enqueued: ${String(error)}`));
    }
    for (const listing of auditing) {
      await this.db
        .transaction(() => this.outbox.enqueue(listingAuditCheckRequestedTopic, { listingId: listing.id }))
        .catch((error: unknown) => this.logger.warn(`listing ${listing.id} audit not enqueued: ${String(error)}`));
    }
    return { publish: due.length + stale.length, audit: auditing.length };
  }
}
