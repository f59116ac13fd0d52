import { ShopRef, SkuRef } from '../ports/platform.types';
import { PricesPort } from '../ports/prices.port';
import { WRITE_ONCE, youzanInvalid } from './youzan-channel.helpers';
import { YouzanHttpClient } from './youzan-http.client';
import { fenToYuanString, longParam } from './youzan-values';

/**
 * Youzan prices: `item.sku.update` takes yuan with two decimals; an item without specs takes fen
 * through item.update. Sent once (not repeated by the gateway): the price writer settles an unknown
 * answer by reading the price back.
 */
export class YouzanPricesChannel implements PricesPort {
  readonly platform = 'youzan' as const;

  constructor(private readonly http: YouzanHttpClient) {}

  async setSkuPrice(shop: ShopRef, sku: SkuRef, priceFen: number): Promise<void> {
    if (!Number.isInteger(priceFen) || priceFen < 1) {
      throw youzanInvalid('youzan.item.sku.update', `price must be at least 1 fen, got ${priceFen}`);
    }
    if (sku.skuId === '0') {
      const whole = { item_id: longParam(sku.itemId), price: priceFen };
      await this.http.call(shop, 'youzan.item.update', '3.0.1', whole, WRITE_ONCE);
      return;
    }
    const params = { item_id: longParam(sku.itemId), sku_id: longParam(sku.skuId), price: fenToYuanString(priceFen) };
    await this.http.call(shop, 'youzan.item.sku.update', '3.0.0', params, WRITE_ONCE);
  }
}
