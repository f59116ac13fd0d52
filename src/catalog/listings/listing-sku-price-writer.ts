/**
 * The price writer (behind the parity guard) as the catalog asks it about a published listing's SKU price. The pricing
 * context provides it (it depends on the catalog, not the other way round), so the catalog looks it
 * up at call time by this token.
 */
export const LISTING_SKU_PRICE_WRITER = Symbol('LISTING_SKU_PRICE_WRITER');

export interface ListingSkuPriceWriter {
  /**
   * Checks a SKU's new price on one platform against the merchant's parity policy and, unless
   * `dryRun`, hands it to the SKU's price writer (journaled, settled by reading the platform back).
   * A refusal throws a DomainException with the numbers.
   */
  request(
    merchantId: string,
    skuCode: string,
    input: { priceFen: number; platform?: 'kuaishou' | 'youzan' },
    options?: { dryRun?: boolean },
  ): Promise<unknown>;
}
