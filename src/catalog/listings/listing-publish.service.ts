import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
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
import { listingAuditCheckRequestedTopic } from '@app/messaging/contracts/listing-audit-check-requested/listing-audit-check-requested.contract';
import {
  ListingPublishRequested,
  listingPublishRequestedTopic,
} from '@app/messaging/contracts/listing-publish-requested/listing-publish-requested.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { isPlatformError, PlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { createHash } from 'crypto';
import {
  CatalogPort,
  ChannelItem,
  ChannelItemDraft,
  ChannelCategoryProperty,
  SpecValue,
} from '@app/platforms/ports/catalog.port';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { CategoryTreeService } from '../categories/category-tree.service';
import { CategoryMappingService } from '../mapping/category-mapping.service';
import { SkuBindingService } from '../sku-binding.service';
import { ListingPublishOpEntity } from './listing-publish-op.entity';
import { ListingImageUploadEntity } from './listing-image-upload.entity';
import { ListingPriceGuards, ListingPriceVerdict, priceFindings } from './listing-price-guard';
import { LISTING_SKU_PRICE_WRITER, ListingSkuPriceWriter } from './listing-sku-price-writer';
import { ListingSkuEditEntity } from './listing-sku-edit.entity';
import {
  checkHostedImages,
  groupOf,
  ListingDraft,
  ListingFinding,
  ListingPropertyValue,
  validateListing,
} from './listing-validation';
import { ListingAudit, ListingEntity, ListingOrigin } from './listing.entity';
import { ListingRepository } from './listing.repository';
import { isDailyCapRefusal, mapAuditRejection, mapPlatformRefusal, nextChinaDay } from './publish-policy';

export const LISTING_PUBLISH_REPLAY = 'catalog.listing-publish';
export const LISTING_AUDIT_REPLAY = 'catalog.listing-audit';

/** Codes whose create may have landed: settled by looking the item up by its outer id. */
const UNSETTLED_CODES = ['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN'];
/** Statuses in which the merchant may change the draft and publish (again). */
const EDITABLE = ['draft', 'failed', 'rejected'];
const MAX_IMPORT_ITEMS = 500;
const STALE_PUBLISHING_MS = 15 * 60_000;

const failureKey = (listingId: string) => `catalog.listing:${listingId}`;

/** Statuses in which a listing's platform item may be edited through the API. */
const EDITABLE_PUBLISHED = ['live', 'pending_audit', 'rejected'];
/** Kuaishou: the item was once edited in Kuaishou's own online editor; the API may not edit it any more (FAQ-K1002). */
const ONLINE_EDITED_CODE = '3401';

export interface EditListingInput {
  title?: string;
  description?: string;
  imageUrls?: string[];
  properties?: ListingPropertyValue[];
  /** Changes of the listing's own SKUs (by merchant code): new sale-property values and/or price. */
  skus?: SkuEditInput[];
}

export interface SkuEditInput {
  skuCode: string;
  priceFen?: number;
  specs?: SpecValue[];
}

/** What the catalog page's draft form changes. */
export interface DraftChanges {
  categoryId?: string;
  title?: string;
  imageUrls?: string[];
  properties?: ListingPropertyValue[];
}

/** The draft as stored: the merchant's listing plus the source SKU ids, bound to the same merchant SKUs. */
export type StoredDraft = ListingDraft & { sourceSkus: { skuCode: string; skuId: string }[] };

export interface CreateListingInput {
  sourceConnectionId: string;
  sourceItemId: string;
  targetConnectionId: string;
  outerItemId?: string;
  categoryId?: string;
  title?: string;
  description?: string;
  imageUrls?: string[];
  properties?: ListingPropertyValue[];
}

export interface ImportInput {
  sourceConnectionId: string;
  targetConnectionId: string;
  dryRun: boolean;
}

export interface ImportEntry {
  sourceItemId: string;
  outerItemId: string | null;
  targetItemId?: string;
  listingId?: string;
  reason?: string;
  findings?: string[];
}

export interface ImportReport {
  dryRun: boolean;
  scanned: number;
  bound: ImportEntry[];
  created: ImportEntry[];
  needsDecision: ImportEntry[];
  /** Items that already have a listing in the target shop (left as they are). */
  existing: ImportEntry[];
}

interface Shops {
  source: ShopConnectionEntity;
  target: ShopConnectionEntity;
}

const refOf = (c: ShopConnectionEntity): ShopRef => ({ platform: c.platform, connectionId: c.id, shopId: c.shopId });

/**
 * Publishes a merchant's item from one platform to the other: a draft read from the source item,
 * validated against the target's rules, then created through the catalog port by the consumer of
 * `listing-publish-requested`. Every create is journaled (`listing_publish_op`) before the call;
 * an ambiguous answer is settled by looking the item up by its outer id, never by creating again.
 * An item the target already has (same merchant code) is bound instead of created. Stock starts at
 * 0 (the stock pipeline sets it once the SKUs are bound); prices start at the source's and the
 * pricing context brings them into line when the binding is announced (`sku-bound`).
 */
@Injectable()
export class ListingPublishService {
  private readonly logger = new Logger(ListingPublishService.name);

  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    private readonly connections: ConnectionsService,
    private readonly bindings: SkuBindingService,
    private readonly mappings: CategoryMappingService,
    private readonly trees: CategoryTreeService,
    private readonly outbox: OutboxService,
    private readonly failures: SyncFailureService,
    private readonly prices: ListingPriceGuards,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly moduleRef: ModuleRef,
  ) {}

  list(merchantId: string): Promise<ListingEntity[]> {
    return this.repo.listByMerchant(merchantId);
  }

  /** 404 for another merchant's listing, so its existence is not confirmed. */
  async getForMerchant(merchantId: string, listingId: string): Promise<ListingEntity> {
    const listing = await this.repo.findById(listingId);
    if (!listing || listing.merchantId !== merchantId)
      throw new NotFoundDomainException('LISTING_NOT_FOUND', `no listing ${listingId}`);
    return listing;
  }

  findById(listingId: string): Promise<ListingEntity | null> {
    return this.repo.findById(listingId);
  }

  publishOps(listingId: string): Promise<ListingPublishOpEntity[]> {
    return this.repo.listOps(listingId);
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
        findings = [...findings, ...priceFindings(listing.draft.skus, await this.checkPrices(listing))];
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

  /**
   * The publisher (consumer of `listing-publish-requested`, and the sync-failure replay). Settles
   * an earlier create whose answer was lost before anything else; binds a twin instead of creating.
   */
  async publish(listingId: string, options: { replay?: boolean } = {}): Promise<ListingEntity | undefined> {
    const claimed = await this.claim(listingId, options.replay ?? false);
    if (!claimed) return (await this.repo.findById(listingId)) ?? undefined;
    const { listing, settleFirst } = claimed;
    const target = await this.connections.findById(listing.targetConnectionId);
    if (!target || target.status !== 'active')
      return this.fail(listing, 'SHOP_NOT_CONNECTED', `the ${listing.targetPlatform} shop is not connected`, true);
    const shop = refOf(target);
    const catalog = this.channels.catalog(listing.targetPlatform);
    try {
      const twin = await this.findTwin(listing, shop);
      if (twin) return await this.landed(listing, shop, twin, settleFirst ? 'created' : 'bound');
    } catch (error) {
      if (error instanceof SeveralTwins) return this.severalTwins(listing, error);
      return this.platformFailure(listing, error, 'lookup');
    }

    // The prices may have moved since the request: checked again right before the create.
    let prices: ListingPriceVerdict[];
    try {
      prices = await this.checkPrices(listing);
    } catch (error) {
      return this.platformFailure(listing, error, 'price check');
    }
    const priced = priceFindings(listing.draft.skus, prices);
    listing.findings = [...listing.findings.filter((f) => f.code !== 'PRICE_PARITY'), ...priced];
    const refused = priced.filter((f) => f.severity === 'error');
    if (refused.length) return this.fail(listing, 'PARITY_LIMIT', refused.map((f) => f.message.en).join('; '), false);

    // Kuaishou takes only its own image URLs: each source image is uploaded first, once (journaled).
    let imageUrls = listing.draft.imageUrls;
    if (catalog.uploadImage) {
      try {
        imageUrls = await this.hostImages(listing, shop, catalog);
      } catch (error) {
        return this.platformFailure(listing, error, 'image upload');
      }
      const unhosted = catalog.isHostedImage ? checkHostedImages(imageUrls, (u) => catalog.isHostedImage!(u)) : [];
      if (unhosted.length) {
        listing.findings = [...listing.findings.filter((f) => !f.field.startsWith('imageUrls[')), ...unhosted];
        return this.fail(listing, 'IMAGE_NOT_HOSTED', 'an image is not on the platform image host after upload', false);
      }
    }

    const op = await this.journal(listing);
    try {
      const created = await catalog.createItem(shop, toChannelDraft(listing, imageUrls, prices));
      await this.settleOp(op, 'created', created.itemId);
      return await this.landed(listing, shop, await catalog.getItem(shop, created.itemId), 'created');
    } catch (error) {
      if (isPlatformError(error) && isDailyCapRefusal(error.rawMessage ?? error.message)) {
        await this.settleOp(op, 'refused', null, error.rawMessage ?? error.message);
        return this.requeue(listing, `daily create cap reached: ${error.rawMessage ?? error.message}`);
      }
      const unsettled = !isPlatformError(error) || error.ambiguous || UNSETTLED_CODES.includes(error.code);
      // The answer was lost, the platform was unavailable, or a refusal may be of a repeat ("outer id
      // already used"): the outer id tells whether the item landed.
      const landed = await catalog.findItemsByOuterId(shop, listing.outerItemId).catch(() => []);
      const found = landed.length === 1 ? landed[0] : null;
      if (landed.length > 1) {
        await this.settleOp(op, 'unknown', null, `several items hold ${listing.outerItemId} after the create`);
        return this.severalTwins(listing, new SeveralTwins(landed));
      }
      if (found) {
        const why = error instanceof Error ? error.message : String(error);
        await this.settleOp(op, 'created', found.itemId, `settled by outer-id lookup after: ${why}`);
        return this.landed(listing, shop, found, 'created');
      }
      if (!unsettled) {
        await this.settleOp(op, 'refused', null, error.rawMessage ?? error.message);
        return this.platformFailure(listing, error, 'create');
      }
      const why = error instanceof Error ? error.message : String(error);
      await this.settleOp(op, 'unknown', null, why);
      return this.fail(
        listing,
        'OUTCOME_UNKNOWN',
        `create outcome unknown, no item with this outer id yet: ${why}`,
        true,
      );
    }
  }

  /**
   * An edit of a published listing (title, description, images, properties): the changed draft is
   * validated with the same rules (422 with the findings when it has errors), Kuaishou images are
   * uploaded first (journaled), then `editItem` on the target; the item's audit state is read again
   * (an edit of audited fields goes back to audit). Kuaishou's 3401 becomes a finding explaining it.
   */
  async editPublished(merchantId: string, listingId: string, input: EditListingInput): Promise<ListingEntity> {
    const listing = await this.getForMerchant(merchantId, listingId);
    if (!listing.targetItemId || !EDITABLE_PUBLISHED.includes(listing.status))
      throw new ConflictDomainException(
        'LISTING_NOT_PUBLISHED',
        `listing ${listingId} is ${listing.status}: edit the draft and publish it instead`,
      );
    const target = await this.connections.getOwned(merchantId, listing.targetConnectionId);
    const draft: StoredDraft = {
      ...(listing.draft as StoredDraft),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.imageUrls !== undefined ? { imageUrls: input.imageUrls } : {}),
      ...(input.properties !== undefined ? { properties: input.properties } : {}),
      ...(input.skus !== undefined ? { skus: editedSkus(listing.draft.skus, input.skus) } : {}),
    };
    const shop = refOf(target);
    const catalog = this.channels.catalog(listing.targetPlatform);
    const specEdits = (input.skus ?? []).map((e, index) => ({ ...e, index })).filter((e) => e.specs !== undefined);
    if (specEdits.length && !catalog.editsSkuSpecs)
      throw new DomainException(
        'SKU_SPEC_EDIT_UNSUPPORTED',
        `${listing.targetPlatform} SKU specs are not edited in place here: change them in the ${listing.targetPlatform} back office`,
        'unprocessable',
        specEdits.map((e) => ({ field: `skus[${e.index}].specs`, messages: ['cannot be edited on this platform'] })),
      );
    const candidate = Object.assign(new ListingEntity(), { ...listing, draft });
    const findings = await this.validate(candidate, target);
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length)
      throw new DomainException(
        'LISTING_INVALID',
        `the edit has ${errors.length} error(s) to fix`,
        'unprocessable',
        fieldErrors(errors),
      );
    // Prices go through the parity guard: checked for every SKU before anything is written.
    const priceEdits = (input.skus ?? [])
      .map((e, index) => ({ ...e, index }))
      .filter((e) => e.priceFen !== undefined)
      .map((e) => ({ ...e, priceFen: e.priceFen! }));
    for (const edit of priceEdits) await this.guardPrice(merchantId, listing, edit, true);
    let specJournal: ListingSkuEditEntity[] = [];
    try {
      let imageUrls = input.imageUrls;
      if (imageUrls && catalog.uploadImage) imageUrls = await this.hostImages(candidate, shop, catalog);
      let skus: { skuId: string; specs: SpecValue[]; previous: SpecValue[] }[] | undefined;
      if (specEdits.length) {
        const current = await catalog.getItem(shop, listing.targetItemId);
        skus = specEdits.map((e) => {
          const sku = current.skus.find((s) => s.outerSkuId === e.skuCode);
          if (!sku)
            throw new ConflictDomainException(
              'SKU_NOT_ON_ITEM',
              `${listing.targetPlatform} item ${listing.targetItemId} has no SKU with the code ${e.skuCode}`,
            );
          return { skuId: sku.skuId, specs: e.specs!, previous: sku.specs };
        });
        specJournal = await this.journalSkuEdits(listing, skus, specEdits);
      }
      const patch = {
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(imageUrls !== undefined ? { imageUrls } : {}),
        ...(input.properties !== undefined ? { properties: input.properties.map(toPropertyInput) } : {}),
        ...(skus ? { skus: skus.map((s) => ({ skuId: s.skuId, specs: s.specs })) } : {}),
      };
      if (Object.keys(patch).length) await catalog.editItem(shop, listing.targetItemId, patch);
      if (specJournal.length) await this.settleSkuEdits(specJournal, await catalog.getItem(shop, listing.targetItemId));
    } catch (error) {
      if (specJournal.length) await this.settleSkuEdits(specJournal, null, error);
      if (!isPlatformError(error)) throw error;
      const detail = error.rawMessage ?? error.message;
      const onlineEdited = error.platform === 'kuaishou' && error.rawCode === ONLINE_EDITED_CODE;
      const finding: ListingFinding = {
        code: 'PLATFORM_REFUSED',
        group: 'other',
        severity: 'error',
        field: 'edit',
        message: onlineEdited
          ? {
              zh: `该商品曾在快手小店在线编辑器中修改，不能再通过接口编辑：${detail}`,
              en: `The item was once edited in Kuaishou's own online editor, so the API may no longer edit it: ${detail}`,
            }
          : { zh: `平台拒绝修改：${detail}`, en: `The platform refused the edit: ${detail}` },
        hint: mapPlatformRefusal(error.platform, error.rawCode, detail).hint,
      };
      await this.db.transaction(async () => {
        listing.findings = [...listing.findings.filter((f) => f.field !== 'edit'), finding];
        listing.updatedAt = this.clock.now();
        await this.repo.save(listing);
      });
      throw new DomainException(
        onlineEdited ? 'ITEM_EDITED_ONLINE' : 'PLATFORM_REFUSED',
        `${finding.message.en} (${finding.hint.en})`,
        'unprocessable',
        [{ field: 'edit', messages: [`${finding.message.en} (${finding.hint.en})`] }],
      );
    }
    await this.db.transaction(async () => {
      Object.assign(listing, {
        draft,
        findings: findings.filter((f) => f.field !== 'edit'),
        updatedAt: this.clock.now(),
      });
      await this.repo.save(listing);
    });
    // Checked above; the pricing context's writer sends them and settles them by reading the platform back.
    for (const edit of priceEdits) await this.guardPrice(merchantId, listing, edit, false);
    // The edit may send the item (or its copy) back to audit: tracked like a create's audit.
    const item = await catalog.getItem(shop, listing.targetItemId);
    return this.applyAudit(listing, item);
  }

  /** SKU spec edits sent to a listing's item, oldest first. */
  skuEdits(listingId: string): Promise<ListingSkuEditEntity[]> {
    return this.repo.listSkuEdits(listingId);
  }

  /** One SKU's new price through the parity guard (pricing context); a refusal names the SKU's field. */
  private async guardPrice(
    merchantId: string,
    listing: ListingEntity,
    edit: { skuCode: string; priceFen: number; index: number },
    dryRun: boolean,
  ): Promise<void> {
    let guard: ListingSkuPriceWriter;
    try {
      guard = this.moduleRef.get<ListingSkuPriceWriter>(LISTING_SKU_PRICE_WRITER, { strict: false });
    } catch {
      throw new DomainException('PRICE_GUARD_UNAVAILABLE', 'prices cannot be checked right now', 'unavailable');
    }
    try {
      await guard.request(
        merchantId,
        edit.skuCode,
        { priceFen: edit.priceFen, platform: listing.targetPlatform },
        { dryRun },
      );
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      throw new DomainException(error.code, error.message, error.kind, [
        { field: `skus[${edit.index}].priceFen`, messages: [error.message] },
      ]);
    }
  }

  private async journalSkuEdits(
    listing: ListingEntity,
    skus: { skuId: string; specs: SpecValue[]; previous: SpecValue[] }[],
    edits: { skuCode: string }[],
  ): Promise<ListingSkuEditEntity[]> {
    const now = this.clock.now();
    const rows = skus.map((sku, i) =>
      Object.assign(new ListingSkuEditEntity(), {
        id: this.ids.uuid(),
        listingId: listing.id,
        connectionId: listing.targetConnectionId,
        skuCode: edits[i].skuCode,
        platformSkuId: sku.skuId,
        previousSpecs: sku.previous.map(({ name, value }) => ({ name, value })),
        specs: sku.specs.map(({ name, value }) => ({ name, value })),
        status: 'pending' as const,
        note: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await this.db.transaction(() => this.repo.insertSkuEdits(rows));
    return rows;
  }

  /**
   * Each journaled spec edit settled by the item read back: `applied` when it shows the new values;
   * after a failure, `refused` for a clear refusal, otherwise `unknown` (sending it again is safe).
   */
  private async settleSkuEdits(rows: ListingSkuEditEntity[], item: ChannelItem | null, error?: unknown): Promise<void> {
    const same = (a: SpecValue[], b: SpecValue[]) =>
      a.length === b.length && a.every((s) => b.some((t) => t.name === s.name && t.value === s.value));
    for (const row of rows) {
      if (row.status !== 'pending') continue;
      const shown = item?.skus.find((s) => s.skuId === row.platformSkuId);
      if (shown && same(shown.specs, row.specs)) row.status = 'applied';
      else if (error && isPlatformError(error) && !error.ambiguous && !UNSETTLED_CODES.includes(error.code)) {
        row.status = 'refused';
        row.note = (error.rawMessage ?? error.message).slice(0, 500);
      } else {
        row.status = 'unknown';
        row.note = (error instanceof Error ? error.message : 'the item read back does not show the new values').slice(
          0,
          500,
        );
      }
      row.updatedAt = this.clock.now();
      await this.db.transaction(() => this.repo.saveSkuEdit(row));
    }
  }

  /** Reads the target item's audit state (the poll job's consumer, and the audit failure's replay). */
  async checkAudit(listingId: string): Promise<ListingEntity | undefined> {
    const listing = await this.repo.findById(listingId);
    if (!listing || listing.status !== 'pending_audit' || !listing.targetItemId) return listing ?? undefined;
    const target = await this.connections.findById(listing.targetConnectionId);
    if (!target || target.status !== 'active') return listing;
    const item = await this.channels.catalog(listing.targetPlatform).getItem(refOf(target), listing.targetItemId);
    return this.applyAudit(listing, item);
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

  /**
   * Over a merchant's source shop: items the target already has (same merchant code) are bound,
   * the others drafted and, when valid, queued for publishing; items without a merchant code or
   * with validation errors need the merchant's decision. A dry run changes nothing.
   */
  async importCatalog(merchantId: string, input: ImportInput): Promise<ImportReport> {
    const shops = await this.shops(merchantId, input.sourceConnectionId, input.targetConnectionId);
    const report: ImportReport = {
      dryRun: input.dryRun,
      scanned: 0,
      bound: [],
      created: [],
      needsDecision: [],
      existing: [],
    };
    const source = this.channels.catalog(shops.source.platform);
    const targetRef = refOf(shops.target);
    for (let page = 1; report.scanned < MAX_IMPORT_ITEMS; page++) {
      const { items, total } = await source.listItems(refOf(shops.source), { page, pageSize: 50 });
      for (const summary of items) {
        report.scanned++;
        const item = summary.skus.length ? summary : await this.readSource(shops.source, summary.itemId);
        const entry: ImportEntry = { sourceItemId: item.itemId, outerItemId: merchantCodeOf(item) };
        const missing = missingCodes(item);
        if (!entry.outerItemId || missing.length) {
          report.needsDecision.push({
            ...entry,
            reason: missing.length
              ? `SKUs without a merchant code: ${missing.join(', ')}`
              : 'the item has no merchant code (outer item id)',
          });
          continue;
        }
        const existing = await this.repo.findByTargetOuter(shops.target.id, entry.outerItemId);
        if (existing) {
          report.existing.push({ ...entry, listingId: existing.id, targetItemId: existing.targetItemId ?? undefined });
          continue;
        }
        const listing = await this.draftFrom(merchantId, shops, item, {});
        const twin = await this.findTwin(listing, targetRef).catch((error: unknown) => {
          if (error instanceof SeveralTwins) return error;
          throw error;
        });
        if (twin instanceof SeveralTwins) {
          report.needsDecision.push({ ...entry, reason: twin.message });
          continue;
        }
        if (twin) {
          if (!input.dryRun) {
            await this.db.transaction(() => this.repo.insert(listing));
            await this.landed(listing, targetRef, twin, 'bound');
          }
          report.bound.push({ ...entry, targetItemId: twin.itemId, listingId: input.dryRun ? undefined : listing.id });
          continue;
        }
        listing.findings = await this.validate(listing, shops.target);
        const errors = listing.findings.filter((f) => f.severity === 'error');
        if (!input.dryRun) await this.db.transaction(() => this.repo.insert(listing));
        const listingId = input.dryRun ? undefined : listing.id;
        if (errors.length) {
          report.needsDecision.push({
            ...entry,
            listingId,
            reason: 'the draft has validation errors',
            findings: [...new Set(errors.map((f) => f.code))],
          });
          continue;
        }
        if (!input.dryRun) {
          try {
            await this.requestPublish(merchantId, listing.id, 'import');
          } catch (error) {
            if (!(error instanceof DomainException)) throw error;
            report.needsDecision.push({ ...entry, listingId, reason: error.message });
            continue;
          }
        }
        report.created.push({ ...entry, listingId });
      }
      if (!items.length || page * 50 >= total) break;
    }
    return report;
  }

  private async shops(merchantId: string, sourceConnectionId: string, targetConnectionId: string): Promise<Shops> {
    const source = await this.connections.getOwned(merchantId, sourceConnectionId);
    const target = await this.connections.getOwned(merchantId, targetConnectionId);
    if (source.platform === target.platform)
      throw new InvalidInputException('SAME_PLATFORM', 'the source and target shops must be on different platforms', [
        { field: 'targetConnectionId', messages: ['must be a shop on the other platform'] },
      ]);
    return { source, target };
  }

  private async readSource(source: ShopConnectionEntity, itemId: string): Promise<ChannelItem> {
    try {
      return await this.channels.catalog(source.platform).getItem(refOf(source), itemId);
    } catch (error) {
      if (isPlatformError(error) && (error.code === 'NOT_FOUND' || error.code === 'INVALID_REQUEST'))
        throw new NotFoundDomainException('SOURCE_ITEM_NOT_FOUND', `no ${source.platform} item ${itemId}`);
      throw error;
    }
  }

  private async draftFrom(
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

  /** Each SKU's price against the merchant SKU's other listings (and the source SKU), by the pricing policy. */
  private checkPrices(listing: ListingEntity): Promise<ListingPriceVerdict[]> {
    const sources = (listing.draft as StoredDraft).sourceSkus ?? [];
    return this.prices.check(
      listing.merchantId,
      listing.targetPlatform,
      listing.draft.skus.map((sku) => {
        const source = sources.find((s) => s.skuCode === sku.skuCode);
        return {
          skuCode: sku.skuCode,
          priceFen: sku.priceFen,
          ...(source
            ? {
                source: { connectionId: listing.sourceConnectionId, itemId: listing.sourceItemId, skuId: source.skuId },
              }
            : {}),
        };
      }),
    );
  }

  /** The validator over the draft, with the target category's tree flags and property config. */
  private async validate(listing: ListingEntity, target: ShopConnectionEntity): Promise<ListingFinding[]> {
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

  /** Marks the listing `publishing`; undefined when there is nothing to do. */
  private async claim(
    listingId: string,
    replay: boolean,
  ): Promise<{ listing: ListingEntity; settleFirst: boolean } | undefined> {
    return this.db.transaction(async () => {
      const listing = await this.repo.lock(listingId);
      if (!listing) return undefined;
      const ready = listing.status === 'queued' && !listing.nextAttemptAt;
      if (!ready && !(replay && listing.status === 'failed')) return undefined;
      const last = await this.repo.lastOp(listing.id);
      const settleFirst = !!last && (last.status === 'pending' || last.status === 'unknown');
      Object.assign(listing, { status: 'publishing', attempts: listing.attempts + 1, updatedAt: this.clock.now() });
      await this.repo.save(listing);
      return { listing, settleFirst };
    });
  }

  /** The item the target shop already has for this listing: same outer item id, or a SKU already bound there. */
  private async findTwin(listing: ListingEntity, shop: ShopRef): Promise<ChannelItem | null> {
    const catalog = this.channels.catalog(listing.targetPlatform);
    const byOuter = await catalog.findItemsByOuterId(shop, listing.outerItemId);
    if (byOuter.length > 1) throw new SeveralTwins(byOuter);
    if (byOuter.length) return byOuter[0];
    for (const sku of listing.draft.skus) {
      const binding = await this.bindings.findInShop(listing.merchantId, listing.targetConnectionId, sku.skuCode);
      if (binding) return catalog.getItem(shop, binding.platformItemId);
    }
    return null;
  }

  /** Images uploaded for a listing (its journal), oldest first. */
  imageUploads(listingId: string): Promise<ListingImageUploadEntity[]> {
    return this.repo.listUploads(listingId);
  }

  /**
   * The draft's images on the target's image host: already-hosted URLs as they are, the others
   * uploaded once per target shop and source URL. Each upload is journaled as it answers, so a
   * publish retried after a failure uploads only what is not journaled yet.
   */
  private async hostImages(listing: ListingEntity, shop: ShopRef, catalog: CatalogPort): Promise<string[]> {
    const hosted: string[] = [];
    for (const url of listing.draft.imageUrls) {
      if (catalog.isHostedImage?.(url)) {
        hosted.push(url);
        continue;
      }
      const sourceHash = createHash('sha256').update(url).digest('hex');
      const known = await this.repo.findUpload(listing.targetConnectionId, sourceHash);
      if (known) {
        hosted.push(known.hostedUrl);
        continue;
      }
      const hostedUrl = await catalog.uploadImage!(shop, { url, kind: 'main' });
      const upload = Object.assign(new ListingImageUploadEntity(), {
        id: this.ids.uuid(),
        connectionId: listing.targetConnectionId,
        listingId: listing.id,
        sourceHash,
        sourceUrl: url.slice(0, 500),
        hostedUrl,
        createdAt: this.clock.now(),
      });
      await this.db.transaction(() => this.repo.insertUpload(upload));
      hosted.push((await this.repo.findUpload(listing.targetConnectionId, sourceHash))?.hostedUrl ?? hostedUrl);
    }
    return hosted;
  }

  private async journal(listing: ListingEntity): Promise<ListingPublishOpEntity> {
    const now = this.clock.now();
    const op = Object.assign(new ListingPublishOpEntity(), {
      id: this.ids.uuid(),
      listingId: listing.id,
      connectionId: listing.targetConnectionId,
      outerItemId: listing.outerItemId,
      status: 'pending',
      platformItemId: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(() => this.repo.insertOp(op));
    return op;
  }

  private async settleOp(
    op: ListingPublishOpEntity,
    status: ListingPublishOpEntity['status'],
    platformItemId: string | null,
    error?: string,
  ): Promise<void> {
    Object.assign(op, { status, platformItemId, error: error?.slice(0, 500) ?? null, updatedAt: this.clock.now() });
    await this.db.transaction(() => this.repo.saveOp(op));
  }

  /** The target item exists: its SKUs (and the source's) are bound to the merchant SKUs, then its audit applies. */
  private async landed(
    listing: ListingEntity,
    shop: ShopRef,
    item: ChannelItem,
    origin: ListingOrigin,
  ): Promise<ListingEntity> {
    const notes: string[] = [];
    const bind = async (connectionId: string, skuCode: string, platformItemId: string, platformSkuId: string) => {
      try {
        await this.bindings.bindListed(listing.merchantId, connectionId, skuCode, { platformItemId, platformSkuId });
      } catch (error) {
        if (!(error instanceof ConflictDomainException)) throw error;
        notes.push(error.message);
      }
    };
    const draft = listing.draft as StoredDraft;
    for (const sku of draft.skus) {
      const target =
        item.skus.find((s) => s.outerSkuId === sku.skuCode) ?? (item.skus.length === 1 ? item.skus[0] : undefined);
      if (!target) {
        notes.push(`no ${listing.targetPlatform} SKU carries the code ${sku.skuCode}`);
        continue;
      }
      await bind(shop.connectionId, sku.skuCode, item.itemId, target.skuId);
    }
    for (const sku of draft.sourceSkus ?? [])
      await bind(listing.sourceConnectionId, sku.skuCode, listing.sourceItemId, sku.skuId);
    await this.db.transaction(async () => {
      Object.assign(listing, {
        origin,
        targetItemId: item.itemId,
        publishedAt: listing.publishedAt ?? this.clock.now(),
        errorCode: null,
        reason: notes.length ? notes.join('; ').slice(0, 500) : null,
        nextAttemptAt: null,
        updatedAt: this.clock.now(),
      });
      await this.repo.save(listing);
    });
    await this.failures.resolveByDedupeKey(failureKey(listing.id), 'published');
    return this.applyAudit(listing, item);
  }

  private async applyAudit(listing: ListingEntity, item: ChannelItem): Promise<ListingEntity> {
    // Youzan has no audit: a created item is live.
    const audit: ListingAudit = item.audit ?? 'approved';
    const rejected = audit === 'rejected' || audit === 'needs_changes';
    const mapped = rejected ? mapAuditRejection(item.auditReason) : undefined;
    await this.db.transaction(async () => {
      const findings = listing.findings.filter((f) => f.field !== 'audit');
      if (mapped)
        findings.push({
          code: mapped.rule ?? 'PLATFORM_REFUSED',
          group: groupOf(mapped.rule ?? 'PLATFORM_REFUSED'),
          severity: 'error',
          field: 'audit',
          message: {
            zh: `平台审核未通过：${item.auditReason ?? ''}`,
            en: `The platform's audit refused it: ${item.auditReason ?? ''}`,
          },
          hint: mapped.hint,
        });
      Object.assign(listing, {
        auditState: audit,
        auditReason: item.auditReason?.slice(0, 500) ?? null,
        status: audit === 'approved' ? 'live' : rejected ? 'rejected' : 'pending_audit',
        findings,
        updatedAt: this.clock.now(),
      });
      await this.repo.save(listing);
    });
    if (audit === 'approved') await this.failures.resolveByDedupeKey(failureKey(listing.id), 'audit approved');
    if (mapped) {
      await this.failures.record({
        context: 'catalog',
        operation: LISTING_AUDIT_REPLAY,
        errorCode: 'AUDIT_REJECTED',
        reason:
          `${listing.targetPlatform} audit rejected listing ${listing.outerItemId} (item ${item.itemId}): ` +
          `${item.auditReason ?? 'no reason given'}; validator rule ${mapped.rule ?? 'none'}: ${mapped.hint.en}`,
        platform: listing.targetPlatform,
        shopRef: listing.targetConnectionId,
        entityType: 'listing',
        entityRef: listing.id,
        platformMessage: item.auditReason ?? null,
        replay: { kind: LISTING_AUDIT_REPLAY, data: { listingId: listing.id } },
        dedupeKey: failureKey(listing.id),
        retryable: false,
      });
    }
    return listing;
  }

  private async requeue(listing: ListingEntity, reason: string): Promise<ListingEntity> {
    await this.db.transaction(async () => {
      Object.assign(listing, {
        status: 'queued',
        nextAttemptAt: nextChinaDay(this.clock.now()),
        errorCode: 'DAILY_CREATE_CAP',
        reason: reason.slice(0, 500),
        updatedAt: this.clock.now(),
      });
      await this.repo.save(listing);
    });
    return listing;
  }

  /**
   * The target shop holds several items with the listing's merchant code (Youzan allows a repeated
   * `item_no`): binding one at random or creating another would both be wrong, so the merchant decides.
   */
  private async severalTwins(listing: ListingEntity, twins: SeveralTwins): Promise<ListingEntity> {
    const ids = twins.items.map((i) => i.itemId).join(', ');
    listing.findings = [
      ...listing.findings.filter((f) => f.field !== 'publish'),
      {
        code: 'OUTER_ID_NOT_UNIQUE',
        group: groupOf('OUTER_ID_NOT_UNIQUE'),
        severity: 'error',
        field: 'publish',
        message: {
          zh: `目标店铺有 ${twins.items.length} 个商品使用商家编码 ${listing.outerItemId}（${ids}）`,
          en: `The target shop has ${twins.items.length} items with the merchant code ${listing.outerItemId} (${ids})`,
        },
        hint: {
          zh: '在目标店铺删除或改掉多余商品的商家编码，只留一个，然后重试',
          en: 'Delete the extra items in the target shop or change their merchant code so one is left, then retry',
        },
      },
    ];
    return this.fail(
      listing,
      'OUTER_ID_NOT_UNIQUE',
      `${listing.targetPlatform} items ${ids} all carry the merchant code ${listing.outerItemId}; nothing bound or created`,
      false,
    );
  }

  private async platformFailure(listing: ListingEntity, error: unknown, step: string): Promise<ListingEntity> {
    if (!isPlatformError(error)) throw error;
    const refusal = error as PlatformError;
    const detail = refusal.rawMessage ?? refusal.message;
    const code = refusal.rawCode ? `${refusal.code} (${refusal.platform} ${refusal.rawCode})` : refusal.code;
    // A refusal names what is wrong in the platform's words: shown as a finding with the rule it maps
    // to, by its documented code where there is one, else by the keywords of its reason.
    const mapped = mapPlatformRefusal(refusal.platform, refusal.rawCode, detail);
    listing.findings = [
      ...listing.findings.filter((f) => f.field !== 'publish'),
      {
        code: mapped.rule ?? 'PLATFORM_REFUSED',
        group: groupOf(mapped.rule ?? 'PLATFORM_REFUSED'),
        severity: 'error',
        field: 'publish',
        message: { zh: `平台拒绝发布：${detail}`, en: `The platform refused it: ${detail}` },
        hint: mapped.hint,
      },
    ];
    return this.fail(
      listing,
      refusal.code,
      `${listing.targetPlatform} refused the ${step}: ${detail} [${code}]` +
        (mapped.rule ? `; validator rule ${mapped.rule} (by ${mapped.by})` : ''),
      UNSETTLED_CODES.includes(refusal.code),
      { platformCode: refusal.rawCode ?? null, platformMessage: refusal.rawMessage ?? null },
    );
  }

  private async fail(
    listing: ListingEntity,
    errorCode: string,
    reason: string,
    retryable: boolean,
    platform: { platformCode?: string | null; platformMessage?: string | null } = {},
  ): Promise<ListingEntity> {
    await this.db.transaction(async () => {
      Object.assign(listing, {
        status: 'failed',
        errorCode,
        reason: reason.slice(0, 500),
        updatedAt: this.clock.now(),
      });
      await this.repo.save(listing);
    });
    await this.failures.record({
      context: 'catalog',
      operation: LISTING_PUBLISH_REPLAY,
      errorCode,
      reason: `publishing ${listing.outerItemId} to ${listing.targetPlatform}: ${reason}`,
      platform: listing.targetPlatform,
      shopRef: listing.targetConnectionId,
      entityType: 'listing',
      entityRef: listing.id,
      platformCode: platform.platformCode ?? null,
      platformMessage: platform.platformMessage ?? null,
      replay: { kind: LISTING_PUBLISH_REPLAY, data: { listingId: listing.id } },
      dedupeKey: failureKey(listing.id),
      retryable,
    });
    return listing;
  }
}

/** More than one target item carries the listing's merchant code. */
class SeveralTwins extends Error {
  constructor(readonly items: ChannelItem[]) {
    super(`several items carry this merchant code: ${items.map((i) => i.itemId).join(', ')}`);
  }
}

/** The item's merchant code: its outer item id, else the code of its only SKU. */
function merchantCodeOf(item: ChannelItem): string | null {
  if (item.outerItemId) return item.outerItemId;
  if (item.skus.length === 1 && item.skus[0].outerSkuId) return item.skus[0].outerSkuId;
  return null;
}

function missingCodes(item: ChannelItem): string[] {
  return item.skus.filter((s) => !s.outerSkuId).map((s) => s.skuId);
}

/** The draft's SKUs with the edits applied (an unknown code is refused before this, by the controller's check). */
function editedSkus(skus: ListingDraft['skus'], edits: SkuEditInput[]): ListingDraft['skus'] {
  const unknown = edits.map((e, i) => ({ e, i })).filter(({ e }) => !skus.some((s) => s.skuCode === e.skuCode));
  const repeated = edits
    .map((e, i) => ({ e, i }))
    .filter(({ e, i }) => edits.findIndex((x) => x.skuCode === e.skuCode) !== i);
  if (unknown.length || repeated.length)
    throw new InvalidInputException('SKU_EDIT_INVALID', 'each SKU edit must name one of the listing’s SKUs once', [
      ...unknown.map(({ i }) => ({ field: `skus[${i}].skuCode`, messages: ['is not a SKU of this listing'] })),
      ...repeated.map(({ i }) => ({ field: `skus[${i}].skuCode`, messages: ['is named twice'] })),
    ]);
  return skus.map((sku) => {
    const edit = edits.find((e) => e.skuCode === sku.skuCode);
    if (!edit) return sku;
    return {
      ...sku,
      ...(edit.specs ? { specs: edit.specs.map(({ name, value }) => ({ name, value })) } : {}),
      ...(edit.priceFen !== undefined ? { priceFen: edit.priceFen } : {}),
    };
  });
}

function toPropertyInput(p: ListingPropertyValue) {
  return { propertyId: p.propertyId, valueIds: p.valueIds, text: p.text };
}

/**
 * Stock is 0 on every new SKU: the stock pipeline sets it once the SKU is bound, never copied.
 * Prices are the guard's (a clamp replaces the draft's).
 */
function toChannelDraft(listing: ListingEntity, imageUrls: string[], prices: ListingPriceVerdict[]): ChannelItemDraft {
  const draft = listing.draft;
  const priceOf = (skuCode: string, fen: number) => {
    const verdict = prices.find((p) => p.skuCode === skuCode);
    return verdict && verdict.verdict !== 'refused' ? verdict.priceFen : fen;
  };
  return {
    outerItemId: listing.outerItemId,
    title: draft.title,
    categoryId: listing.categoryId ?? '',
    description: draft.description,
    imageUrls,
    properties: draft.properties.map(toPropertyInput),
    skus: draft.skus.map((sku) => ({
      outerSkuId: sku.skuCode,
      specs: sku.specs,
      priceFen: priceOf(sku.skuCode, sku.priceFen),
      ...(sku.marketPriceFen !== undefined ? { marketPriceFen: sku.marketPriceFen } : {}),
      stock: 0,
    })),
  };
}

function fieldErrors(findings: ListingFinding[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const f of findings)
    byField.set(f.field, [...(byField.get(f.field) ?? []), `${f.code}: ${f.message.en} (${f.hint.en})`]);
  return [...byField.entries()].map(([field, messages]) => ({ field, messages }));
}
