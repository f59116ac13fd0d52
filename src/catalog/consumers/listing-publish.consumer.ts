import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { listingAuditCheckRequestedTopic } from '@app/messaging/contracts/listing-audit-check-requested/listing-audit-check-requested.contract';
import { listingPublishRequestedTopic } from '@app/messaging/contracts/listing-publish-requested/listing-publish-requested.contract';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import {
  LISTING_AUDIT_REPLAY,
  LISTING_PUBLISH_REPLAY,
  ListingPublishService,
} from '../listings/listing-publish.service';

/** The listing publisher and the audit reader: one per listing (both topics are keyed by listing). */
@Injectable()
export class ListingPublishConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly listings: ListingPublishService,
    private readonly failures: SyncFailureService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      listingPublishRequestedTopic,
      'catalog.listing-publisher',
      async (p) => {
        await this.listings.publish(p.listingId);
      },
      { transactional: false },
    );
    this.consumers.register(
      listingAuditCheckRequestedTopic,
      'catalog.listing-audit',
      async (p) => {
        await this.listings.checkAudit(p.listingId);
      },
      { transactional: false },
    );
    this.failures.registerReplayHandler(LISTING_PUBLISH_REPLAY, async (data) => {
      const listing = await this.listings.publish((data as { listingId: string }).listingId, { replay: true });
      if (listing && ['live', 'pending_audit', 'queued'].includes(listing.status)) return { confirmed: true };
      return {
        confirmed: false,
        errorCode: listing?.errorCode ?? 'NOT_PUBLISHED',
        reason: listing?.reason ?? 'the listing was not published',
        retryable: listing?.errorCode === 'OUTCOME_UNKNOWN',
      };
    });
    this.failures.registerReplayHandler(LISTING_AUDIT_REPLAY, async (data) => {
      const listing = await this.listings.checkAudit((data as { listingId: string }).listingId);
      if (listing?.status === 'live') return { confirmed: true };
      return {
        confirmed: false,
        errorCode: 'AUDIT_REJECTED',
        reason: listing?.auditReason ?? 'the listing is not approved',
        retryable: false,
      };
    });
  }
}
