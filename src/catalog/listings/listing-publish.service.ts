import { Injectable } from '@nestjs/common';
import { ListingPublishRequested } from '@app/messaging/contracts/listing-publish-requested/listing-publish-requested.contract';
import { ChannelCategoryProperty, ChannelItem } from '@app/platforms/ports/catalog.port';
import { ListingDraftService } from './listing-drafts.service';
import { ListingEditService } from './listing-edits.service';
import { ListingImageHostService } from './listing-image-host.service';
import { ListingImageUploadEntity } from './listing-image-upload.entity';
import { ListingImportService } from './listing-import.service';
import { ListingPublishOpEntity } from './listing-publish-op.entity';
import {
  CreateListingInput,
  DraftChanges,
  EditListingInput,
  ImportInput,
  ImportReport,
} from './listing-publish.shared';
import { ListingPublisherService } from './listing-publisher.service';
import { ListingScheduleService } from './listing-schedule.service';
import { ListingSkuEditEntity } from './listing-sku-edit.entity';
import { ListingEntity } from './listing.entity';
import { ListingRepository } from './listing.repository';

export {
  LISTING_AUDIT_REPLAY,
  LISTING_PUBLISH_REPLAY,
  type CreateListingInput,
  type DraftChanges,
  type EditListingInput,
  type ImportEntry,
  type ImportInput,
  type ImportReport,
  type SkuEditInput,
  type StoredDraft,
} from './listing-publish.shared';

/**
 * The listings' one entry point for controllers, consumers and jobs: drafts (`ListingDraftService`),
 * the publisher (`ListingPublisherService`), edits of published items (`ListingEditService`), the
 * catalog import (`ListingImportService`) and the schedule and audit polls (`ListingScheduleService`).
 */
@Injectable()
export class ListingPublishService {
  constructor(
    private readonly repo: ListingRepository,
    private readonly drafts: ListingDraftService,
    private readonly publisher: ListingPublisherService,
    private readonly edits: ListingEditService,
    private readonly imports: ListingImportService,
    private readonly schedule: ListingScheduleService,
    private readonly images: ListingImageHostService,
  ) {}

  list(merchantId: string): Promise<ListingEntity[]> {
    return this.repo.listByMerchant(merchantId);
  }

  /** 404 for another merchant's listing, so its existence is not confirmed. */
  getForMerchant(merchantId: string, listingId: string): Promise<ListingEntity> {
    return this.drafts.getForMerchant(merchantId, listingId);
  }

  findById(listingId: string): Promise<ListingEntity | null> {
    return this.repo.findById(listingId);
  }

  publishOps(listingId: string): Promise<ListingPublishOpEntity[]> {
    return this.repo.listOps(listingId);
  }

  createDraft(merchantId: string, input: CreateListingInput): Promise<ListingEntity> {
    return this.drafts.createDraft(merchantId, input);
  }

  updateDraft(merchantId: string, listingId: string, input: DraftChanges): Promise<ListingEntity> {
    return this.drafts.updateDraft(merchantId, listingId, input);
  }

  draftProperties(listing: ListingEntity): Promise<ChannelCategoryProperty[]> {
    return this.drafts.draftProperties(listing);
  }

  sourceItems(merchantId: string, connectionId: string): Promise<ChannelItem[]> {
    return this.drafts.sourceItems(merchantId, connectionId);
  }

  requestPublish(
    merchantId: string,
    listingId: string,
    reason: ListingPublishRequested['reason'] = 'merchant',
  ): Promise<ListingEntity> {
    return this.drafts.requestPublish(merchantId, listingId, reason);
  }

  publish(listingId: string, options: { replay?: boolean } = {}): Promise<ListingEntity | undefined> {
    return this.publisher.publish(listingId, options);
  }

  editPublished(merchantId: string, listingId: string, input: EditListingInput): Promise<ListingEntity> {
    return this.edits.editPublished(merchantId, listingId, input);
  }

  /** SKU spec edits sent to a listing's item, oldest first. */
  skuEdits(listingId: string): Promise<ListingSkuEditEntity[]> {
    return this.edits.skuEdits(listingId);
  }

  /** Images uploaded for a listing (its journal), oldest first. */
  imageUploads(listingId: string): Promise<ListingImageUploadEntity[]> {
    return this.images.imageUploads(listingId);
  }

  checkAudit(listingId: string): Promise<ListingEntity | undefined> {
    return this.schedule.checkAudit(listingId);
  }

  enqueueDue(now: number): Promise<{ publish: number; audit: number }> {
    return this.schedule.enqueueDue(now);
  }

  importCatalog(merchantId: string, input: ImportInput): Promise<ImportReport> {
    return this.imports.importCatalog(merchantId, input);
  }
}
