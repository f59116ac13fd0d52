import { ShopRef, SkuRef } from '../ports/platform.types';
import { PricesPort } from '../ports/prices.port';
import { KuaishouApi } from './kuaishou-api.client';
import { toKuaishouLong } from './kuaishou-ids';

/**
 * Kuaishou prices: `open.item.sku.price.update` takes fen. Sent once (not repeated by the gateway):
 * the price writer settles an unknown answer by reading the price back.
 */
export class KuaishouPricesChannel implements PricesPort {
  readonly platform = 'kuaishou' as const;

  constructor(private readonly api: KuaishouApi) {}

  async setSkuPrice(shop: ShopRef, sku: SkuRef, priceFen: number): Promise<void> {
    const param = { itemId: toKuaishouLong(sku.itemId), skuId: toKuaishouLong(sku.skuId), price: priceFen };
    await this.api.call(shop, 'open.item.sku.price.update', param, false);
  }
}
