import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { ListingEntity } from '@app/catalog/listings/listing.entity';
import { ListingPriceVerdict } from '@app/catalog/listings/listing-price-guard';
import { CatalogPort } from '@app/platforms/ports/catalog.port';

/** Entity factories and mocks of the catalog's listing unit specs. */
export const connection = (platform: 'kuaishou' | 'youzan', id: string) =>
  Object.assign(new ShopConnectionEntity(), { id, platform, shopId: `${platform}-shop`, status: 'active' });

export const listing = (overrides: Partial<ListingEntity> = {}): ListingEntity =>
  Object.assign(new ListingEntity(), {
    id: 'listing-1',
    merchantId: 'merchant-1',
    sourcePlatform: 'youzan',
    sourceConnectionId: 'yz-1',
    sourceItemId: '100',
    targetPlatform: 'kuaishou',
    targetConnectionId: 'ks-1',
    outerItemId: 'ITEM-1',
    categoryId: '1125',
    draft: {
      title: '收纳盒',
      description: '一个收纳盒',
      imageUrls: ['https://img.example.com/a.jpg'],
      properties: [],
      skus: [{ skuCode: 'ITEM-1-A', specs: [], priceFen: 1000 }],
      sourceSkus: [{ skuCode: 'ITEM-1-A', skuId: '0' }],
    },
    status: 'queued',
    origin: null,
    targetItemId: null,
    auditState: null,
    auditReason: null,
    findings: [],
    errorCode: null,
    reason: null,
    nextAttemptAt: null,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
    publishedAt: null,
    ...overrides,
  });

/** The catalog port calls the listing services make, mocked (no items in the target shop, no properties). */
export type CatalogMock = jest.Mocked<
  Pick<CatalogPort, 'createItem' | 'findItemsByOuterId' | 'getItem' | 'getCategoryProperties'>
>;

export const catalogMock = (): CatalogMock => ({
  createItem: jest.fn(),
  findItemsByOuterId: jest.fn().mockResolvedValue([]),
  getItem: jest.fn(),
  getCategoryProperties: jest.fn().mockResolvedValue([]),
});

/** The parity guard refusing ITEM-1-A at `proposedFen` (Youzan at ¥15.00, limit 10%, ¥13.64 allowed). */
export const refusedAt = (proposedFen: number): ListingPriceVerdict => ({
  skuCode: 'ITEM-1-A',
  verdict: 'refused',
  error: 'PARITY_LIMIT',
  message: 'over the limit',
  proposedFen,
  current: { youzan: 1500 },
  limitBp: 1000,
  spreadBp: 5000,
  allowedFen: 1364,
});
