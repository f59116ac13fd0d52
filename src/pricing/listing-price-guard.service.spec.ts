import type { Mocked } from '@suites/unit';
import { MerchantSkuEntity } from '@app/catalog/merchant-sku.entity';
import { MerchantSkuService } from '@app/catalog/merchant-sku.service';
import { SkuBindingEntity } from '@app/catalog/sku-binding.entity';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ListingPriceGuardService } from './listing-price-guard.service';
import { PriceLane, PriceListingsService } from './price-listings.service';
import { BUILT_IN_POLICY, EffectivePolicy, PricePolicyService } from './price-policy.service';

const SOURCE = { connectionId: 'yz-1', itemId: '100', skuId: '200' };
const yzShop = { platform: 'youzan' as const, connectionId: 'yz-1', shopId: '1' };

const lane = (overrides: Partial<SkuBindingEntity> = {}): PriceLane => ({
  binding: Object.assign(new SkuBindingEntity(), {
    id: 'binding-yz',
    connectionId: 'yz-1',
    platformItemId: '100',
    platformSkuId: '200',
    ...overrides,
  }),
  shop: yzShop,
});

describe(ListingPriceGuardService.name, () => {
  let t: TestService<ListingPriceGuardService>;
  let listings: Mocked<PriceListingsService>;
  let policy: EffectivePolicy;

  beforeEach(async () => {
    t = await newTestService(ListingPriceGuardService);
    listings = t.mocks.get(PriceListingsService);
    policy = { ...BUILT_IN_POLICY, adjustments: {} };
    t.mocks.get(PricePolicyService).effective.mockImplementation(async () => policy);
    t.mocks
      .get(MerchantSkuService)
      .findByCode.mockResolvedValue(Object.assign(new MerchantSkuEntity(), { id: 'sku-1' }));
    listings.lanes.mockResolvedValue([]);
    listings.livePrices.mockResolvedValue({});
    listings.unboundPrices.mockResolvedValue({ prices: {}, byPlatform: {} });
    listings.activeShop.mockResolvedValue(yzShop);
    listings.skuPrice.mockResolvedValue(25_900);
  });

  const check = (priceFen: number) =>
    t.sut.check('merchant-1', 'kuaishou', [{ skuCode: 'A1', priceFen, source: SOURCE }]);

  it('refuses a price that breaks the limit against the unbound source SKU, with the numbers', async () => {
    const [verdict] = await check(19_900);
    expect(verdict).toMatchObject({
      verdict: 'refused',
      error: 'PARITY_LIMIT',
      proposedFen: 19_900,
      current: { youzan: 25_900 },
      limitBp: 1000,
      allowedFen: 23_546,
    });
  });

  it('clamps to the nearest allowed price when the policy clamps', async () => {
    policy = { ...policy, onBreach: 'clamp' };
    expect(await check(19_900)).toEqual([
      { skuCode: 'A1', verdict: 'clamped', priceFen: 23_546, proposedFen: 19_900, limitBp: 1000 },
    ]);
  });

  it('reads a bound source through its lane, not twice', async () => {
    listings.lanes.mockResolvedValue([lane()]);
    listings.livePrices.mockResolvedValue({ 'binding-yz': 20_000 });
    expect(await check(19_900)).toEqual([{ skuCode: 'A1', verdict: 'allowed', priceFen: 19_900 }]);
    expect(listings.skuPrice).not.toHaveBeenCalled();
  });

  it('refuses a price outside the floor and ceiling even within the limit', async () => {
    policy = { ...policy, ceilingFen: 25_000 };
    listings.skuPrice.mockResolvedValue(25_900);
    const [verdict] = await check(25_500);
    expect(verdict).toMatchObject({ verdict: 'refused', error: 'PRICE_OUT_OF_BOUNDS', allowedFen: 25_000 });
  });

  it('allows any price when nothing else of the SKU is known (its source shop gone)', async () => {
    t.mocks.get(MerchantSkuService).findByCode.mockResolvedValue(null);
    listings.activeShop.mockResolvedValue(undefined);
    expect(await check(1)).toEqual([{ skuCode: 'A1', verdict: 'allowed', priceFen: 1 }]);
  });
});
