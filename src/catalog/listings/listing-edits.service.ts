import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { ConflictDomainException, DomainException, InvalidInputException } from '@app/common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { isPlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { ChannelItem, SpecValue } from '@app/platforms/ports/catalog.port';
import { LISTING_SKU_PRICE_WRITER, ListingSkuPriceWriter } from './listing-sku-price-writer';
import { ListingSkuEditEntity } from './listing-sku-edit.entity';
import { ListingDraft, ListingFinding } from './listing-validation';
import { ListingEntity } from './listing.entity';
import { ListingRepository } from './listing.repository';
import { mapPlatformRefusal } from './publish-policy';
import {
  EditListingInput,
  fieldErrors,
  refOf,
  SkuEditInput,
  StoredDraft,
  toPropertyInput,
  UNSETTLED_CODES,
} from './listing-publish.shared';
import { ListingDraftService } from './listing-drafts.service';
import { ListingImageHostService } from './listing-image-host.service';
import { ListingPublisherService } from './listing-publisher.service';

/** Statuses in which a listing's platform item may be edited through the API. */
const EDITABLE_PUBLISHED = ['live', 'pending_audit', 'rejected'];
/** Kuaishou: the item was once edited in Kuaishou's own online editor; the API may not edit it any more (FAQ-K1002). */
const ONLINE_EDITED_CODE = '3401';

/** Edits of a published listing's item (title, description, images, properties, SKU specs and prices). */
@Injectable()
export class ListingEditService {
  constructor(
    private readonly db: Db,
    private readonly repo: ListingRepository,
    private readonly connections: ConnectionsService,
    private readonly drafts: ListingDraftService,
    private readonly publisher: ListingPublisherService,
    private readonly images: ListingImageHostService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * An edit of a published listing (title, description, images, properties): the changed draft is
   * validated with the same rules (422 with the findings when it has errors), Kuaishou images are
   * uploaded first (journaled), then `editItem` on the target; the item's audit state is read again
   * (an edit of audited fields goes back to audit). Kuaishou's 3401 becomes a finding explaining it.
   */
  async editPublished(merchantId: string, listingId: string, input: EditListingInput): Promise<ListingEntity> {
    const listing = await this.drafts.getForMerchant(merchantId, listingId);
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
    const findings = await this.drafts.validate(candidate, target);
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
      if (imageUrls && catalog.uploadImage) imageUrls = await this.images.hostImages(candidate, shop, catalog);
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
    return this.publisher.applyAudit(listing, item);
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
