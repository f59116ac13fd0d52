/**
 * Types every capability port shares. The ports say what the domain may ask of a platform, in
 * domain terms: money in integer fen, ids as strings, times as epoch ms. Platform field names
 * never leave src/platforms/.
 */
export type Platform = 'kuaishou' | 'youzan';
export const PLATFORMS: readonly Platform[] = ['kuaishou', 'youzan'];

/** The shop a call is made for. */
export interface ShopRef {
  platform: Platform;
  /** Our shop-connection id: the token provider's key. */
  connectionId: string;
  /** Kuaishou open_id / Youzan kdt_id. */
  shopId: string;
}

/** One platform SKU of one platform item. */
export interface SkuRef {
  itemId: string;
  skuId: string;
}

/** A numbered page (first page = 1). */
export interface PageRequest {
  page: number;
  pageSize: number;
}
