import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { isPlatformError } from '../platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { Platform, ShopRef, SkuRef } from '../platforms/ports/platform.types';
import { PricingRepository } from './pricing.repository';

/** One listing of a merchant SKU in a connected shop. */
export interface PriceLane {
  binding: SkuBindingEntity;
  shop: ShopRef;
  /**
   * A known listing no longer bound (its binding as it was, by the id its price was kept under):
   * read and counted, never written.
   */
  unbound?: boolean;
}

/** The platform item no longer has the listing's SKU. */
export class ListingGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListingGoneError';
  }
}

/** Reads the bound listings of a merchant SKU and their live prices through the catalog port. */
@Injectable()
export class PriceListingsService {
  constructor(
    private readonly bindings: SkuBindingService,
    private readonly connections: ConnectionsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    private readonly repo: PricingRepository,
  ) {}

  /** Listings whose shop is connected and active. */
  async lanes(merchantSkuId: string): Promise<PriceLane[]> {
    const lanes: PriceLane[] = [];
    for (const binding of await this.bindings.listByMerchantSku(merchantSkuId)) {
      const shop = await this.activeShop(binding.connectionId);
      if (shop) lanes.push({ binding, shop });
    }
    return lanes;
  }

  /** The price the platform shows now (fen). */
  livePrice(lane: PriceLane): Promise<number> {
    return this.skuPrice(lane.shop, { itemId: lane.binding.platformItemId, skuId: lane.binding.platformSkuId });
  }

  /** The price one platform SKU shows now (fen), bound or not. */
  async skuPrice(shop: ShopRef, ref: SkuRef): Promise<number> {
    const item = await this.channels.catalog(shop.platform).getItem(shop, ref.itemId);
    const sku = item.skus.find((s) => s.skuId === ref.skuId);
    if (!sku) throw new ListingGoneError(`${shop.platform} item ${ref.itemId} has no SKU ${ref.skuId}`);
    return sku.priceFen;
  }

  /** The shop of an active connection (undefined when it is gone or not active). */
  async activeShop(connectionId: string): Promise<ShopRef | undefined> {
    const connection = await this.connections.findById(connectionId);
    if (!connection || connection.status !== 'active') return undefined;
    return { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
  }

  /** Live prices by binding id. */
  async livePrices(lanes: PriceLane[]): Promise<Record<string, number>> {
    const prices: Record<string, number> = {};
    for (const lane of lanes) prices[lane.binding.id] = await this.livePrice(lane);
    return prices;
  }

  /**
   * Prices of the SKU's listings the service knows but that are not bound (a twin unbound on a
   * platform where no listing of the SKU is bound now), keyed `unbound:<listing>`; the guard counts
   * them beside the bound listings.
   */
  async unboundPrices(
    merchantSkuId: string,
    lanes: PriceLane[],
  ): Promise<{ prices: Record<string, number>; byPlatform: Record<string, number> }> {
    const boundPlatforms = new Set(lanes.map((l) => l.shop.platform));
    const prices: Record<string, number> = {};
    const byPlatform: Record<string, number> = {};
    for (const row of await this.repo.unboundListingPrices(merchantSkuId)) {
      if (boundPlatforms.has(row.platform as PriceLane['shop']['platform'])) continue;
      prices[`unbound:${row.bindingId}`] = row.priceFen;
      // Newest first: the platform's figure in answers is its latest seen listing.
      if (byPlatform[row.platform] === undefined) byPlatform[row.platform] = row.priceFen;
    }
    return { prices, byPlatform };
  }

  /**
   * The SKU's unbound twins the audit can read again (their listing and an active shop are known),
   * on a platform where none of `lanes` is, as read-only lanes.
   */
  async twinLanes(merchantSkuId: string, lanes: PriceLane[]): Promise<PriceLane[]> {
    const boundPlatforms = new Set(lanes.map((l) => l.shop.platform));
    const twins: PriceLane[] = [];
    for (const row of await this.repo.unboundListingPrices(merchantSkuId)) {
      if (boundPlatforms.has(row.platform as Platform) || !row.connectionId) continue;
      if (!row.platformItemId || !row.platformSkuId) continue;
      const connection = await this.connections.findById(row.connectionId);
      if (!connection || connection.status !== 'active') continue;
      twins.push({
        binding: Object.assign(new SkuBindingEntity(), {
          id: row.bindingId,
          merchantId: row.merchantId,
          merchantSkuId,
          platform: connection.platform,
          connectionId: connection.id,
          platformItemId: row.platformItemId,
          platformSkuId: row.platformSkuId,
        }),
        shop: { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId },
        unbound: true,
      });
    }
    return twins;
  }

  /**
   * Live prices of twin lanes by their id; a listing gone from its platform is forgotten and left
   * out (answered in `gone`).
   */
  async twinPrices(twins: PriceLane[]): Promise<{ prices: Record<string, number>; gone: string[] }> {
    const prices: Record<string, number> = {};
    const gone: string[] = [];
    for (const lane of twins) {
      try {
        prices[lane.binding.id] = await this.livePrice(lane);
      } catch (error) {
        const isGone = error instanceof ListingGoneError || (isPlatformError(error) && error.code === 'NOT_FOUND');
        if (!isGone) throw error;
        gone.push(lane.binding.id);
        await this.repo.forgetListing(lane.binding.id);
      }
    }
    return { prices, gone };
  }
}
