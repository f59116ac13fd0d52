import { PlatformError } from '../platform-error';
import { ShopRef, SkuRef } from '../ports/platform.types';
import { StockPort, StockWriteResult } from '../ports/stock.port';
import { readRawItem, youzanInvalid } from './youzan-channel.helpers';
import { YouzanHttpClient, YouzanParams } from './youzan-http.client';
import { longParam } from './youzan-values';
import { mapItem } from './youzan.mapper';

const QUANTITY_UPDATE = 'youzan.item.quantity.update';

/** Youzan stock: `item.quantity.update`, incremental (type 1) or absolute (type 0). */
export class YouzanStockChannel implements StockPort {
  readonly platform = 'youzan' as const;
  /** Absolute stock writes exist (item.quantity.update type 0). */
  readonly absoluteStockWrite = true;

  constructor(private readonly http: YouzanHttpClient) {}

  async getSkuStock(shop: ShopRef, sku: SkuRef): Promise<number> {
    const item = mapItem(await readRawItem(this.http, shop, sku.itemId));
    const found = item.skus.find((s) => s.skuId === sku.skuId);
    if (!found) {
      const message = `SKU ${sku.skuId} not found on item ${sku.itemId}`;
      throw new PlatformError({ platform: 'youzan', api: 'youzan.item.get', code: 'NOT_FOUND', message });
    }
    return found.stock;
  }

  /**
   * Incremental (type=1). Never retried after an ambiguous failure: a retry of a write that
   * did land would apply the delta twice. The caller settles an unknown outcome by reading back.
   */
  async adjustSkuStock(shop: ShopRef, sku: SkuRef, delta: number, operationId: string): Promise<StockWriteResult> {
    if (!Number.isInteger(delta)) throw youzanInvalid(QUANTITY_UPDATE, `stock delta must be an integer, got ${delta}`);
    return this.stockWrite(shop, sku, delta, 1, operationId, false);
  }

  /** Absolute (type=0): repeating it lands on the same value, so the gateway may retry it. */
  async setSkuStock(shop: ShopRef, sku: SkuRef, quantity: number, operationId: string): Promise<StockWriteResult> {
    if (!Number.isInteger(quantity) || quantity < 0) {
      throw youzanInvalid(QUANTITY_UPDATE, `stock must be a non-negative integer, got ${quantity}`);
    }
    return this.stockWrite(shop, sku, quantity, 0, operationId, true);
  }

  private async stockWrite(
    shop: ShopRef,
    sku: SkuRef,
    quantity: number,
    type: 0 | 1,
    operationId: string,
    idempotent: boolean,
  ): Promise<StockWriteResult> {
    const skuId = sku.skuId === '0' ? undefined : longParam(sku.skuId);
    const params: YouzanParams = { item_id: longParam(sku.itemId), sku_id: skuId, quantity, type };
    try {
      await this.http.call(shop, QUANTITY_UPDATE, '3.0.0', params, { idempotent, operationId });
      return { outcome: 'applied' };
    } catch (error) {
      if (error instanceof PlatformError && (error.ambiguous || error.code === 'UNKNOWN')) {
        return { outcome: 'unknown', reason: error.message };
      }
      throw error;
    }
  }
}
