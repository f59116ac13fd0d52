import { PlatformError } from '../platform-error';
import { ShopRef, SkuRef } from '../ports/platform.types';
import { StockPort, StockWriteResult } from '../ports/stock.port';
import { KuaishouApi } from './kuaishou-api.client';
import { toKuaishouLong } from './kuaishou-ids';

const MAX_STOCK = 9_999_999;

/**
 * Kuaishou stock: the incremental `open.item.sku.stock.update` and the absolute set through an item
 * edit. Reads and absolute writes are idempotent and retried by the gateway; the increment never is.
 */
export class KuaishouStockChannel implements StockPort {
  readonly platform = 'kuaishou' as const;
  readonly absoluteStockWrite = false;

  constructor(private readonly api: KuaishouApi) {}

  async getSkuStock(shop: ShopRef, sku: SkuRef): Promise<number> {
    const item = await this.api.rawItem(shop, sku.itemId);
    return this.api.skuOf(item, sku.skuId, 'open.item.get').skuStock;
  }

  /**
   * open.item.sku.stock.update is incremental: a repeat of a call that was applied applies twice.
   * So it is sent once; after an ambiguous failure the caller settles by reading the stock back.
   */
  async adjustSkuStock(shop: ShopRef, sku: SkuRef, delta: number, operationId: string): Promise<StockWriteResult> {
    const api = 'open.item.sku.stock.update';
    if (delta === 0) return { outcome: 'applied' };
    if (!Number.isSafeInteger(delta) || Math.abs(delta) >= MAX_STOCK) {
      const message = `${api}: a change must be a whole number below ${MAX_STOCK} (got ${delta})`;
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message });
    }
    const param = {
      kwaiItemId: toKuaishouLong(sku.itemId),
      skuId: toKuaishouLong(sku.skuId),
      skuChangeStock: Math.abs(delta),
      changeType: delta > 0 ? 1 : 2,
    };
    return settle(this.api.call(shop, api, param, false, this.api.operationHeader(operationId)));
  }

  /** Absolute set through open.item.edit (skuStockChangeType 3): an edit, which may go through audit. */
  async setSkuStock(shop: ShopRef, sku: SkuRef, quantity: number, operationId: string): Promise<StockWriteResult> {
    const api = 'open.item.edit';
    if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_STOCK) {
      const message = `${api}: stock must be 0..${MAX_STOCK} (got ${quantity})`;
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message });
    }
    const current = this.api.skuOf(await this.api.rawItem(shop, sku.itemId), sku.skuId, api);
    const change = { skuStockChangeType: 3, skuChangeStock: quantity };
    const param = {
      itemId: toKuaishouLong(sku.itemId),
      skuList: [{ skuId: toKuaishouLong(sku.skuId), skuSalePrice: current.skuSalePrice, ...change }],
    };
    return settle(this.api.call(shop, api, param, true, this.api.operationHeader(operationId)));
  }
}

/** Applied, or unknown after an ambiguous failure (the caller settles by reading back); other failures throw. */
async function settle(write: Promise<unknown>): Promise<StockWriteResult> {
  try {
    await write;
    return { outcome: 'applied' };
  } catch (error) {
    if (error instanceof PlatformError && error.ambiguous) return { outcome: 'unknown', reason: error.message };
    throw error;
  }
}
