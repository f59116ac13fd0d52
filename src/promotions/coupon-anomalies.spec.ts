import type { ChannelOrder, ChannelPromotion } from '../platforms/ports/orders.port';
import { CampaignCoupon, matchOrder, splitBudget } from './coupon-anomalies';
import { breakDown } from './discount-breakdown';

const promo = (overrides: Partial<ChannelPromotion> = {}): ChannelPromotion => ({
  kind: 'coupon',
  name: '优惠券',
  discountFen: 1000,
  bearer: 'merchant',
  couponId: 'C1',
  rawType: '1000:1001',
  ...overrides,
});

function order(overrides: Partial<ChannelOrder> = {}): ChannelOrder {
  const promotions = overrides.promotions ?? [promo()];
  const discountFen = promotions.reduce((s, p) => s + p.discountFen, 0);
  return {
    platform: 'kuaishou',
    orderId: 'O1',
    status: 'paid',
    rawStatus: '30',
    createdAt: 5_000,
    updatedAt: 5_000,
    shipHolds: [],
    lines: [],
    goodsTotalFen: 9900,
    discountFen,
    shippingFeeFen: 800,
    paidFen: 9900 - discountFen + 800,
    promotions,
    ...overrides,
  };
}

const coupon = (overrides: Partial<CampaignCoupon> = {}): CampaignCoupon => ({
  campaignId: 'K1',
  platform: 'kuaishou',
  couponId: 'C1',
  maxMerchantDiscountFen: 1000,
  startsAt: 1_000,
  endsAt: 10_000,
  ...overrides,
});

const kinds = (o: ChannelOrder, coupons: CampaignCoupon[] = [coupon()]) =>
  matchOrder(breakDown(o), coupons).anomalies.map((a) => a.kind);

describe('breakDown', () => {
  it('splits stacked merchant, platform and streamer discounts by funder and reconciles them', () => {
    const b = breakDown(
      order({
        promotions: [
          promo(),
          promo({ kind: 'platform_subsidy', bearer: 'platform', discountFen: 500, couponId: undefined }),
          promo({ kind: 'discount', bearer: 'anchor', discountFen: 200, couponId: undefined, rawType: '1000:1003' }),
        ],
      }),
    );
    expect(b.byFunder).toEqual({ merchant: 1000, platform: 500, anchor: 200, other: 0, unknown: 0 });
    expect(b.mismatches).toEqual([]);
    expect(b.unknownParts).toBe(0);
  });

  it('keeps an unknown subtype raw and counts it, with an unknown funder when no bearer came', () => {
    const b = breakDown(
      order({ promotions: [promo({ kind: 'other', bearer: undefined, rawType: '11000:11001', couponId: undefined })] }),
    );
    expect(b.parts[0]).toMatchObject({ rawType: '11000:11001', funder: 'unknown', known: false });
    expect(b.unknownParts).toBe(1);
    expect(b.byFunder.unknown).toBe(1000);
  });

  it('reports totals that do not add up instead of rounding them away', () => {
    const b = breakDown(order({ paidFen: 9701 }));
    expect(b.mismatches).toHaveLength(1);
    expect(b.mismatches[0]).toContain('9700');
    const parts = breakDown(order({ discountFen: 1200, paidFen: 9900 - 1200 + 800 }));
    expect(parts.mismatches).toEqual(["the discount parts add up to 1000, the order's discount is 1200"]);
  });
});

describe('matchOrder', () => {
  it('counts a campaign coupon with what the merchant and the others paid, and finds nothing wrong', () => {
    const o = order({
      promotions: [
        promo(),
        promo({ kind: 'platform_subsidy', bearer: 'platform', discountFen: 300, couponId: undefined }),
      ],
    });
    const found = matchOrder(breakDown(o), [coupon()]);
    expect(found.redemptions).toEqual([{ campaignId: 'K1', couponId: 'C1', merchantFen: 1000, platformFen: 300 }]);
    expect(found.anomalies).toEqual([]);
  });

  it('flags the totals mismatch', () => {
    expect(kinds(order({ paidFen: 1 }))).toEqual(['totals_mismatch']);
  });

  it('flags a merchant coupon that matches no campaign, but not a platform-funded one', () => {
    expect(kinds(order({ promotions: [promo({ couponId: 'X9' })] }))).toEqual(['unknown_discount']);
    expect(kinds(order({ promotions: [promo({ couponId: 'X9', bearer: 'platform' })] }))).toEqual([]);
  });

  it("flags a campaign's coupon id showing up on the other platform", () => {
    const found = matchOrder(breakDown(order({ platform: 'youzan' })), [coupon()]);
    expect(found.anomalies.map((a) => [a.kind, a.campaignId])).toEqual([['wrong_platform', 'K1']]);
    expect(found.redemptions).toEqual([]);
  });

  it('flags a campaign coupon stacked with another merchant coupon', () => {
    const o = order({ promotions: [promo(), promo({ couponId: 'C2', discountFen: 500 })] });
    expect(kinds(o, [coupon(), coupon({ campaignId: 'K2', couponId: 'C2', maxMerchantDiscountFen: 500 })])).toEqual([
      'stacked',
    ]);
    expect(kinds(o)).toEqual(['unknown_discount', 'stacked']);
  });

  it('flags a merchant-funded discount beyond what the campaign allows', () => {
    expect(kinds(order({ promotions: [promo({ discountFen: 1500 })] }))).toEqual(['beyond_max']);
    expect(kinds(order(), [coupon({ maxMerchantDiscountFen: 1000 })])).toEqual([]);
  });

  it('flags a use outside the campaign window, on either side', () => {
    expect(kinds(order({ createdAt: 10_001 }))).toEqual(['expired_use']);
    expect(kinds(order({ createdAt: 999 }))).toEqual(['expired_use']);
    expect(kinds(order({ createdAt: 10_000 }))).toEqual([]);
  });

  it('does not flag an order placed in the campaign’s first second (Youzan reports whole seconds)', () => {
    // Campaign from 1.5 s; a Youzan order at 1.7 s reads back as "…:01", i.e. 1,000 ms.
    expect(kinds(order({ createdAt: 1_000 }), [coupon({ startsAt: 1_500 })])).toEqual([]);
    expect(kinds(order({ createdAt: 999 }), [coupon({ startsAt: 1_500 })])).toEqual(['expired_use']);
  });
});

describe('splitBudget', () => {
  it('splits evenly, the odd coupon to the first platform, never more than the budget', () => {
    expect([...splitBudget(21, ['kuaishou', 'youzan'])]).toEqual([
      ['kuaishou', 11],
      ['youzan', 10],
    ]);
    expect([...splitBudget(7, ['youzan'])]).toEqual([['youzan', 7]]);
    for (let b = 1; b < 50; b++)
      expect([...splitBudget(b, ['kuaishou', 'youzan']).values()].reduce((s, n) => s + n, 0)).toBe(b);
  });
});
