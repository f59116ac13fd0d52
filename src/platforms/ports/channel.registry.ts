import { AfterSalesPort } from './after-sales.port';
import { CatalogPort } from './catalog.port';
import { FulfilmentPort } from './fulfilment.port';
import { OrdersPort } from './orders.port';
import { Platform } from './platform.types';
import { PricesPort } from './prices.port';
import { PromotionsPort } from './promotions.port';
import { StockPort } from './stock.port';

export const CHANNELS = Symbol('CHANNELS');

/** One platform's adapters, one per capability (what `createKuaishouChannels`/`createYouzanChannels` build). */
export interface PlatformChannels {
  catalog: CatalogPort;
  stock: StockPort;
  prices: PricesPort;
  orders: OrdersPort;
  fulfilment: FulfilmentPort;
  afterSales: AfterSalesPort;
  promotions: PromotionsPort;
}

/** Hands out a platform's adapter for one capability: `channels.stock(platform).getSkuStock(…)`. */
export interface ChannelRegistry {
  catalog(platform: Platform): CatalogPort;
  stock(platform: Platform): StockPort;
  prices(platform: Platform): PricesPort;
  orders(platform: Platform): OrdersPort;
  fulfilment(platform: Platform): FulfilmentPort;
  afterSales(platform: Platform): AfterSalesPort;
  promotions(platform: Platform): PromotionsPort;
}

/**
 * `wrap` is applied once to every capability adapter (the platforms module passes the failure
 * policy's boundary, so no caller has to report a failed call).
 */
export function channelRegistryOf(
  channels: Record<Platform, PlatformChannels>,
  wrap: <T extends object>(port: T) => T = (port) => port,
): ChannelRegistry {
  const byPlatform = Object.fromEntries(
    Object.entries(channels).map(([platform, ports]) => [
      platform,
      Object.fromEntries(Object.entries(ports).map(([capability, port]) => [capability, wrap(port as object)])),
    ]),
  ) as unknown as Record<Platform, PlatformChannels>;
  return {
    catalog: (platform) => byPlatform[platform].catalog,
    stock: (platform) => byPlatform[platform].stock,
    prices: (platform) => byPlatform[platform].prices,
    orders: (platform) => byPlatform[platform].orders,
    fulfilment: (platform) => byPlatform[platform].fulfilment,
    afterSales: (platform) => byPlatform[platform].afterSales,
    promotions: (platform) => byPlatform[platform].promotions,
  };
}
