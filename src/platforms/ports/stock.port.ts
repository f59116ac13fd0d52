import { Platform, ShopRef, SkuRef } from './platform.types';

/** A stock write either applied, or its outcome is unknown and must be settled by reading back. */
export type StockWriteResult = { outcome: 'applied' } | { outcome: 'unknown'; reason: string };

/** Stock of platform SKUs: read, relative change, absolute set. */
export interface StockPort {
  readonly platform: Platform;
  /** Absolute stock writes exist (Youzan natively; Kuaishou only through an audited item edit). */
  readonly absoluteStockWrite: boolean;
  getSkuStock(shop: ShopRef, sku: SkuRef): Promise<number>;
  /** Relative change; never blindly retried after an ambiguous failure. */
  adjustSkuStock(shop: ShopRef, sku: SkuRef, delta: number, operationId: string): Promise<StockWriteResult>;
  setSkuStock(shop: ShopRef, sku: SkuRef, quantity: number, operationId: string): Promise<StockWriteResult>;
}
