import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { CLOCK, Clock } from '@app/common/clock';
import {
  ConflictDomainException,
  DomainException,
  FieldError,
  InvalidInputException,
  NotFoundDomainException,
} from '@app/common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import {
  ListingPublishRequested,
  listingPublishRequestedTopic,
} from '@app/messaging/contracts/listing-publish-requested/listing-publish-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { isPlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { ChannelItem, ChannelCategoryProperty } from '@app/platforms/ports/catalog.port';
import { CategoryTreeService } from '../categories/category-tree.service';
import { CategoryMappingService } from '../mapping/category-mapping.service';
import { ListingPriceGuards, priceFindings } from './listing-price-guard';
import { ListingFinding, validateListing } from './listing-validation';
import { ListingEntity } from './listing.entity';
import { ListingRepository } from './listing.repository';
import {
  checkListingPrices,
  CreateListingInput,
  DraftChanges,
  EDITABLE,
  fieldErrors,
  merchantCodeOf,
  missingCodes,
  refOf,
  Shops,
  StoredDraft,
} from './listing-publish.shared';

/**
 * Drafts of a listing: read from the source item, validated against the target's rules (and the
 * price-parity guard), changed by the merchant, and queued for the publisher.
 */
@Injectable()
export class ListingDraftService {
  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    private readonly connections: ConnectionsService,
    private readonly mappings: CategoryMappingService,
    private readonly trees: CategoryTreeService,
    private readonly outbox: OutboxService,
    private readonly prices: ListingPriceGuards,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** 404 for another merchant's listing, so its existence is not confirmed. */
  async getForMerchant(merchantId: string, listingId: string): Promise<ListingEntity> {
    const listing = await this.repo.findById(listingId);
    if (!listing || listing.merchantId !== merchantId)
      throw new NotFoundDomainException('LISTING_NOT_FOUND', `no listing ${listingId}`);
    return listing;
  }

  /**
   * A draft from a source item, read through the source's catalog port, validated at once (the
   * findings are stored with it). A second draft of the same item in the same target shop replaces
   * the first while it is not yet published.
   */
  async createDraft(merchantId: string, input: CreateListingInput): Promise<ListingEntity> {
    const shops = await this.shops(merchantId, input.sourceConnectionId, input.targetConnectionId);
    const item = await this.readSource(shops.source, input.sourceItemId);
    const listing = await this.draftFrom(merchantId, shops, item, input);
    listing.findings = await this.validate(listing, shops.target);
    return this.db.transaction(async () => {
      const existing = await this.repo.findByTargetOuter(listing.targetConnectionId, listing.outerItemId);
      if (!existing) {
        await this.repo.insert(listing).catch((error: unknown) => {
          // Two drafts of the same item at once: the unique key keeps one; the other is told so.
          if (isUniqueViolation(error))
            throw new ConflictDomainException(
              'LISTING_EXISTS',
              `item ${listing.outerItemId} is being drafted for the target shop at the same time; try again`,
            );
          throw error;
        });
        return listing;
      }
      if (!EDITABLE.includes(existing.status) || existing.merchantId !== merchantId)
        throw new ConflictDomainException(
          'LISTING_EXISTS',
          `item ${listing.outerItemId} is already listed in the target shop (listing ${existing.id}, ${existing.status})`,
        );
      Object.assign(existing, {
        sourceItemId: listing.sourceItemId,
        sourceConnectionId: listing.sourceConnectionId,
        categoryId: listing.categoryId,
        draft: listing.draft,
        findings: listing.findings,
        updatedAt: listing.updatedAt,
      });
      await this.repo.save(existing);
      return existing;
    });
  }

  /**
   * A draft changed by the merchant (the catalog page's form): category, title, images and
   * properties; the source item is read again and everything validated as a new draft would be.
   */
  async updateDraft(merchantId: string, listingId: string, input: DraftChanges): Promise<ListingEntity> {
    const listing = await this.getForMerchant(merchantId, listingId);
    if (!EDITABLE.includes(listing.status) || listing.targetItemId)
      throw new ConflictDomainException(
        'LISTING_NOT_DRAFT',
        `listing ${listingId} is ${listing.status}: a published item is changed with an edit`,
      );
    return this.createDraft(merchantId, {
      sourceConnectionId: listing.sourceConnectionId,
      sourceItemId: listing.sourceItemId,
      targetConnectionId: listing.targetConnectionId,
      outerItemId: listing.outerItemId,
      categoryId: input.categoryId ?? listing.categoryId ?? undefined,
      title: input.title ?? listing.draft.title,
      description: listing.draft.description,
      imageUrls: input.imageUrls ?? listing.draft.imageUrls,
      properties: input.properties ?? listing.draft.properties,
    });
  }

  /** The target category's properties (required flags, input types, values) for the draft's form; [] without a category. */
  async draftProperties(listing: ListingEntity): Promise<ChannelCategoryProperty[]> {
    if (!listing.categoryId) return [];
    const target = await this.connections.getOwned(listing.merchantId, listing.targetConnectionId);
    return this.channels.catalog(target.platform).getCategoryProperties(refOf(target), listing.categoryId);
  }

  /** The first page of a source shop's items, to pick one to draft from. */
  async sourceItems(merchantId: string, connectionId: string): Promise<ChannelItem[]> {
    const source = await this.connections.getOwned(merchantId, connectionId);
    const { items } = await this.channels.catalog(source.platform).listItems(refOf(source), { page: 1, pageSize: 50 });
    return items;
  }

  /**
   * Validates the draft again and, when it has no errors, queues it for the publisher. With errors
   * it stays a draft and the request is refused with the findings and their fix hints.
   */
  async requestPublish(
    merchantId: string,
    listingId: string,
    reason: ListingPublishRequested['reason'] = 'merchant',
  ): Promise<ListingEntity> {
    const listing = await this.db.transaction(async () => {
      const locked = await this.repo.lock(listingId);
      if (!locked || locked.merchantId !== merchantId)
        throw new NotFoundDomainException('LISTING_NOT_FOUND', `no listing ${listingId}`);
      if (!EDITABLE.includes(locked.status))
        throw new ConflictDomainException('LISTING_BUSY', `listing ${listingId} is ${locked.status}`);
      // Edits of an item that exists on the platform are not built yet: a create would duplicate it.
      if (locked.targetItemId)
        throw new ConflictDomainException(
          'LISTING_ITEM_EXISTS',
          `listing ${listingId} already has ${locked.targetPlatform} item ${locked.targetItemId}; change it there`,
        );
      locked.status = 'validating';
      locked.updatedAt = this.clock.now();
      await this.repo.save(locked);
      return locked;
    });
    let findings: ListingFinding[];
    try {
      findings = await this.validate(listing, await this.connections.getOwned(merchantId, listing.targetConnectionId));
      // The price-parity guard, as for every other price write: refused with the numbers, or clamped by policy.
      if (!findings.some((f) => f.severity === 'error'))
        findings = [...findings, ...priceFindings(listing.draft.skus, await checkListingPrices(this.prices, listing))];
    } catch (error) {
      await this.setDraft(listing, listing.findings);
      throw error;
    }
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length) {
      await this.setDraft(listing, findings);
      const parity = errors.every((f) => f.code === 'PRICE_PARITY');
      throw new DomainException(
        parity ? 'PARITY_LIMIT' : 'LISTING_INVALID',
        parity
          ? `the listing's prices break the price policy: ${errors.map((f) => f.message.en).join('; ')}`
          : `the listing has ${errors.length} error(s) to fix before publishing`,
        parity ? 'conflict' : 'unprocessable',
        fieldErrors(errors),
      );
    }
    return this.db.transaction(async () => {
      Object.assign(listing, {
        status: 'queued',
        findings,
        nextAttemptAt: null,
        errorCode: null,
        reason: null,
        updatedAt: this.clock.now(),
      });
      await this.repo.save(listing);
      await this.outbox.enqueue(listingPublishRequestedTopic, { listingId: listing.id, reason });
      return listing;
    });
  }

  async shops(merchantId: string, sourceConnectionId: string, targetConnectionId: string): Promise<Shops> {
    const source = await this.connections.getOwned(merchantId, sourceConnectionId);
    const target = await this.connections.getOwned(merchantId, targetConnectionId);
    if (source.platform === target.platform)
      throw new InvalidInputException('SAME_PLATFORM', 'the source and target shops must be on different platforms', [
        { field: 'targetConnectionId', messages: ['must be a shop on the other platform'] },
      ]);
    return { source, target };
  }

  async readSource(source: ShopConnectionEntity, itemId: string): Promise<ChannelItem> {
    try {
      return await this.channels.catalog(source.platform).getItem(refOf(source), itemId);
    } catch (error) {
      if (isPlatformError(error) && (error.code === 'NOT_FOUND' || error.code === 'INVALID_REQUEST'))
        throw new NotFoundDomainException('SOURCE_ITEM_NOT_FOUND', `no ${source.platform} item ${itemId}`);
      throw error;
    }
  }

  async draftFrom(
    merchantId: string,
    shops: Shops,
    item: ChannelItem,
    input: Partial<CreateListingInput>,
  ): Promise<ListingEntity> {
    const outerItemId = input.outerItemId ?? merchantCodeOf(item);
    const missing = missingCodes(item);
    const fields: FieldError[] = [];
    if (!outerItemId)
      fields.push({ field: 'outerItemId', messages: ['the item has no merchant code (outer item id): give one'] });
    if (missing.length)
      fields.push({ field: 'sourceItemId', messages: [`SKUs without a merchant code: ${missing.join(', ')}`] });
    if (fields.length || !outerItemId)
      throw new DomainException('MERCHANT_CODE_MISSING', 'the item needs merchant codes', 'unprocessable', fields);
    let categoryId = input.categoryId ?? null;
    if (!categoryId && shops.target.platform === 'kuaishou' && shops.source.platform === 'youzan') {
      const mapped = await this.mappings.resolve(merchantId, item.categoryId || null, item.itemId);
      categoryId = mapped?.kuaishouCategoryId ?? null;
    }
    const draft: StoredDraft = {
      title: input.title ?? item.title,
      description: input.description ?? item.description ?? '',
      imageUrls: input.imageUrls ?? item.imageUrls ?? [],
      properties: input.properties ?? [],
      skus: item.skus.map((sku) => ({ skuCode: sku.outerSkuId!, specs: sku.specs, priceFen: sku.priceFen })),
      sourceSkus: item.skus.map((sku) => ({ skuCode: sku.outerSkuId!, skuId: sku.skuId })),
    };
    const now = this.clock.now();
    return Object.assign(new ListingEntity(), {
      id: this.ids.uuid(),
      merchantId,
      sourcePlatform: shops.source.platform,
      sourceConnectionId: shops.source.id,
      sourceItemId: item.itemId,
      targetPlatform: shops.target.platform,
      targetConnectionId: shops.target.id,
      outerItemId,
      categoryId,
      draft,
      status: 'draft',
      origin: null,
      targetItemId: null,
      auditState: null,
      auditReason: null,
      findings: [],
      errorCode: null,
      reason: null,
      nextAttemptAt: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    });
  }

  /** The validator over the draft, with the target category's tree flags and property config. */
  async validate(listing: ListingEntity, target: ShopConnectionEntity): Promise<ListingFinding[]> {
    let leaf: boolean | undefined;
    let open: boolean | undefined;
    let properties: ChannelCategoryProperty[] = [];
    if (listing.categoryId) {
      const nodes = await this.trees.nodes(listing.merchantId, target.id);
      const node = nodes.find((n) => n.categoryId === listing.categoryId);
      leaf = node?.leaf;
      open = node ? node.open : undefined;
      if (leaf !== false)
        properties = await this.channels
          .catalog(target.platform)
          .getCategoryProperties(refOf(target), listing.categoryId);
    }
    // Image bytes are not fetched here: size and format rules are left to the platform.
    return validateListing(listing.draft, {
      platform: target.platform,
      categoryId: listing.categoryId,
      leaf,
      open,
      properties,
    });
  }

  private async setDraft(listing: ListingEntity, findings: ListingFinding[]): Promise<void> {
    await this.db.transaction(async () => {
      Object.assign(listing, { status: 'draft', findings, updatedAt: this.clock.now() });
      await this.repo.save(listing);
    });
  }
}
