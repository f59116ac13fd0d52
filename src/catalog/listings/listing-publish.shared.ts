import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { FieldError } from '@app/common/errors/domain.exception';
import { ChannelItem, SpecValue } from '@app/platforms/ports/catalog.port';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { ListingPriceGuards, ListingPriceVerdict } from './listing-price-guard';
import { ListingDraft, ListingFinding, ListingPropertyValue } from './listing-validation';
import { ListingEntity } from './listing.entity';

/* What the listing services (drafts, publisher, edits, import, schedule) share: inputs, reports, constants, helpers. */

export const LISTING_PUBLISH_REPLAY = 'catalog.listing-publish';
export const LISTING_AUDIT_REPLAY = 'catalog.listing-audit';

/** Codes whose create may have landed: settled by looking the item up by its outer id. */
export const UNSETTLED_CODES = ['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN'];
/** Statuses in which the merchant may change the draft and publish (again). */
export const EDITABLE = ['draft', 'failed', 'rejected'];

export const failureKey = (listingId: string) => `catalog.listing:${listingId}`;

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

export interface Shops {
  source: ShopConnectionEntity;
  target: ShopConnectionEntity;
}

export const refOf = (c: ShopConnectionEntity): ShopRef => ({
  platform: c.platform,
  connectionId: c.id,
  shopId: c.shopId,
});

/** More than one target item carries the listing's merchant code. */
export class SeveralTwins extends Error {
  constructor(readonly items: ChannelItem[]) {
    super(`several items carry this merchant code: ${items.map((i) => i.itemId).join(', ')}`);
  }
}

/** The item's merchant code: its outer item id, else the code of its only SKU. */
export function merchantCodeOf(item: ChannelItem): string | null {
  if (item.outerItemId) return item.outerItemId;
  if (item.skus.length === 1 && item.skus[0].outerSkuId) return item.skus[0].outerSkuId;
  return null;
}

export function missingCodes(item: ChannelItem): string[] {
  return item.skus.filter((s) => !s.outerSkuId).map((s) => s.skuId);
}

export function toPropertyInput(p: ListingPropertyValue) {
  return { propertyId: p.propertyId, valueIds: p.valueIds, text: p.text };
}

export function fieldErrors(findings: ListingFinding[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const f of findings)
    byField.set(f.field, [...(byField.get(f.field) ?? []), `${f.code}: ${f.message.en} (${f.hint.en})`]);
  return [...byField.entries()].map(([field, messages]) => ({ field, messages }));
}

/** Each SKU's price against the merchant SKU's other listings (and the source SKU), by the pricing policy. */
export function checkListingPrices(prices: ListingPriceGuards, listing: ListingEntity): Promise<ListingPriceVerdict[]> {
  const sources = (listing.draft as StoredDraft).sourceSkus ?? [];
  return prices.check(
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
