import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '../accounts/connections.service';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { ChannelRegistry, CHANNELS } from '../platforms/ports/channel.registry';
import { ShopRef } from '../platforms/ports/platform.types';
import { PricingRepository } from './pricing.repository';

/** One bound listing of a merchant SKU in a connected shop. */
export interface PriceLane {
  binding: SkuBindingEntity;
  shop: ShopRef;
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
      const connection = await this.connections.findById(binding.connectionId);
      if (!connection || connection.status !== 'active') continue;
      lanes.push({
        binding,
        shop: { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId },
      });
    }
    return lanes;
  }

  /** The price the platform shows now (fen). */
  async livePrice(lane: PriceLane): Promise<number> {
    const item = await this.channels.catalog(lane.shop.platform).getItem(lane.shop, lane.binding.platformItemId);
    const sku = item.skus.find((s) => s.skuId === lane.binding.platformSkuId);
    if (!sku)
      throw new Error(
        `${lane.shop.platform} item ${lane.binding.platformItemId} has no SKU ${lane.binding.platformSkuId}`,
      );
    return sku.priceFen;
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
}
