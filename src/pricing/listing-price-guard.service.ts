import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  ListingPriceGuard,
  ListingPriceGuards,
  ListingPriceProposal,
  ListingPriceVerdict,
} from '@app/catalog/listings/listing-price-guard';
import { MerchantSkuService } from '@app/catalog/merchant-sku.service';
import { isPlatformError } from '@app/platforms/platform-error';
import { Platform } from '@app/platforms/ports/platform.types';
import { guardOne, spreadBp } from './parity';
import { ListingGoneError, PriceListingsService } from './price-listings.service';
import { PricePolicyService } from './price-policy.service';

/** The key of the listing about to be created, beside the bound listings' binding ids. */
const NEW_LISTING = 'new';
const SOURCE = 'source';

/**
 * The parity guard in front of publishing a listing: each SKU's price against what the merchant
 * SKU's listings show now (bound, known unbound twins, and the source SKU the draft was read
 * from), refused or clamped per the SKU's policy exactly as an API price write is.
 */
@Injectable()
export class ListingPriceGuardService implements ListingPriceGuard, OnModuleInit {
  constructor(
    private readonly guards: ListingPriceGuards,
    private readonly skus: MerchantSkuService,
    private readonly listings: PriceListingsService,
    private readonly policies: PricePolicyService,
  ) {}

  onModuleInit(): void {
    this.guards.provide(this);
  }

  async check(
    merchantId: string,
    platform: Platform,
    proposals: ListingPriceProposal[],
  ): Promise<ListingPriceVerdict[]> {
    const verdicts: ListingPriceVerdict[] = [];
    for (const proposal of proposals) verdicts.push(await this.checkOne(merchantId, platform, proposal));
    return verdicts;
  }

  private async checkOne(
    merchantId: string,
    platform: Platform,
    { skuCode, priceFen, source }: ListingPriceProposal,
  ): Promise<ListingPriceVerdict> {
    const sku = await this.skus.findByCode(merchantId, skuCode);
    const lanes = sku ? await this.listings.lanes(sku.id) : [];
    const live = await this.listings.livePrices(lanes);
    const twins = sku ? await this.listings.unboundPrices(sku.id, lanes) : { prices: {}, byPlatform: {} };
    const known: Record<string, number> = { ...live, ...twins.prices };
    const current: Partial<Record<Platform, number>> = { ...twins.byPlatform };
    for (const lane of lanes) current[lane.shop.platform] = live[lane.binding.id];
    const sourceBound = lanes.some(
      (l) => l.binding.connectionId === source?.connectionId && l.binding.platformSkuId === source?.skuId,
    );
    if (source && !sourceBound) {
      const shown = await this.sourcePrice(source);
      if (shown) {
        known[SOURCE] = shown.priceFen;
        current[shown.platform] ??= shown.priceFen;
      }
    }
    const policy = await this.policies.effective(merchantId, sku?.id);
    const refusal = {
      skuCode,
      verdict: 'refused' as const,
      proposedFen: priceFen,
      current,
      limitBp: policy.parityLimitBp,
    };
    const bounds = { min: policy.floorFen ?? 1, max: policy.ceilingFen ?? Number.MAX_SAFE_INTEGER };
    if (priceFen < bounds.min || priceFen > bounds.max)
      return {
        ...refusal,
        error: 'PRICE_OUT_OF_BOUNDS',
        message: `SKU ${skuCode} at ${priceFen} fen is outside the policy's floor and ceiling`,
        spreadBp: spreadBp(Object.values(known)),
        allowedFen: Math.min(bounds.max, Math.max(bounds.min, priceFen)),
      };
    const answer = guardOne(
      { ...known, [NEW_LISTING]: priceFen },
      NEW_LISTING,
      priceFen,
      policy.parityLimitBp,
      policy.onBreach === 'clamp',
    );
    if (answer.verdict === 'allowed') return { skuCode, verdict: 'allowed', priceFen };
    if (answer.verdict === 'clamped')
      return { skuCode, verdict: 'clamped', priceFen: answer.priceFen, proposedFen: priceFen, limitBp: answer.limitBp };
    const shown = Object.entries(current).map(([p, fen]) => `${p} ${fen} fen`);
    return {
      ...refusal,
      error: 'PARITY_LIMIT',
      message:
        `SKU ${skuCode} on ${platform} at ${priceFen} fen would make the spread ${answer.spreadBp / 100}%, ` +
        `over the ${policy.parityLimitBp / 100}% limit (${shown.join(', ')})`,
      spreadBp: answer.spreadBp,
      ...(answer.allowedFen !== undefined ? { allowedFen: answer.allowedFen } : {}),
    };
  }

  /** The source SKU's live price; undefined when its shop is not connected or the SKU is gone. */
  private async sourcePrice(
    source: NonNullable<ListingPriceProposal['source']>,
  ): Promise<{ platform: Platform; priceFen: number } | undefined> {
    const shop = await this.listings.activeShop(source.connectionId);
    if (!shop) return undefined;
    try {
      return { platform: shop.platform, priceFen: await this.listings.skuPrice(shop, source) };
    } catch (error) {
      if (error instanceof ListingGoneError || (isPlatformError(error) && error.code === 'NOT_FOUND')) return undefined;
      throw error;
    }
  }
}
