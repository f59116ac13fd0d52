import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { ConflictDomainException } from '@app/common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { isPlatformError, PlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { ChannelItem, ChannelItemDraft } from '@app/platforms/ports/catalog.port';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { SkuBindingService } from '../sku-binding.service';
import { ListingPublishOpEntity } from './listing-publish-op.entity';
import { ListingPriceGuards, ListingPriceVerdict, priceFindings } from './listing-price-guard';
import { checkHostedImages, groupOf } from './listing-validation';
import { ListingAudit, ListingEntity, ListingOrigin } from './listing.entity';
import { ListingRepository } from './listing.repository';
import { ListingImageHostService } from './listing-image-host.service';
import { isDailyCapRefusal, mapAuditRejection, mapPlatformRefusal, nextChinaDay } from './publish-policy';
import {
  checkListingPrices,
  failureKey,
  LISTING_AUDIT_REPLAY,
  LISTING_PUBLISH_REPLAY,
  refOf,
  SeveralTwins,
  StoredDraft,
  toPropertyInput,
  UNSETTLED_CODES,
} from './listing-publish.shared';

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
export class ListingPublisherService {
  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    private readonly connections: ConnectionsService,
    private readonly bindings: SkuBindingService,
    private readonly failures: SyncFailureService,
    private readonly prices: ListingPriceGuards,
    private readonly images: ListingImageHostService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

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
      prices = await checkListingPrices(this.prices, listing);
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
        imageUrls = await this.images.hostImages(listing, shop, catalog);
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
  async findTwin(listing: ListingEntity, shop: ShopRef): Promise<ChannelItem | null> {
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
  async landed(
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

  async applyAudit(listing: ListingEntity, item: ChannelItem): Promise<ListingEntity> {
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
