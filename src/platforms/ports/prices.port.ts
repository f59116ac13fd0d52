import { Platform, ShopRef, SkuRef } from './platform.types';

/** Prices of platform SKUs (read them through the catalog port's items). */
export interface PricesPort {
  readonly platform: Platform;
  /** Absolute, so repeating it is safe. */
  setSkuPrice(shop: ShopRef, sku: SkuRef, priceFen: number): Promise<void>;
}
