import { effectivePrice, effectiveSpread, guardDiscount } from './effective-price';

describe('effectivePrice', () => {
  const coupon = (discountFen: number, thresholdFen: number) => ({ name: 'c', discountFen, thresholdFen });

  it('takes the best discount whose threshold the price reaches; none below every threshold', () => {
    expect(effectivePrice(10_900, [coupon(2_000, 10_500), coupon(500, 0)])).toBe(8_900);
    expect(effectivePrice(10_000, [coupon(2_000, 10_500), coupon(500, 0)])).toBe(9_500);
    expect(effectivePrice(10_000, [coupon(2_000, 10_500)])).toBe(10_000);
    expect(effectivePrice(10_500, [coupon(2_000, 10_500)])).toBe(8_500);
  });

  it('never goes below 1 fen', () => {
    expect(effectivePrice(300, [coupon(500, 0)])).toBe(1);
  });
});

describe('effectiveSpread', () => {
  it('reports the spread after discounts beside prices within the list-price limit', () => {
    const answer = effectiveSpread(
      [
        { id: 'ks', platform: 'kuaishou', priceFen: 10_000 },
        { id: 'yz', platform: 'youzan', priceFen: 10_900 },
      ],
      { youzan: [{ name: 'c', discountFen: 2_000, thresholdFen: 10_500 }], kuaishou: [] },
    );
    expect(answer).toEqual({ prices: { ks: 10_000, yz: 8_900 }, spreadBp: 1_236 });
  });
});

describe('discounts limited to items or by rate', () => {
  it('applies an item coupon only to its items, and a rate coupon as a percent capped by its most', () => {
    const item = { name: 'i', discountFen: 1_000, thresholdFen: 0, itemIds: ['42'] };
    expect(effectivePrice(10_000, [item], '42')).toBe(9_000);
    expect(effectivePrice(10_000, [item], '43')).toBe(10_000);
    expect(effectivePrice(10_000, [item])).toBe(10_000);
    const rate = { name: 'r', discountFen: 0, thresholdFen: 0, payPercent: 88 };
    expect(effectivePrice(10_000, [rate])).toBe(8_800);
    expect(effectivePrice(10_000, [{ ...rate, maxDiscountFen: 500 }])).toBe(9_500);
  });
});

describe('guardDiscount', () => {
  const sku = (ks: number, yz: number, limitBp = 1000) => ({
    merchantSkuId: `sku-${ks}-${yz}`,
    skuCode: `S${ks}-${yz}`,
    limitBp,
    listings: [
      { id: 'ks', platform: 'kuaishou', priceFen: ks },
      { id: 'yz', platform: 'youzan', priceFen: yz },
    ],
  });
  const coupon = (discountFen: number, thresholdFen = 0) => ({ name: 'new', discountFen, thresholdFen });

  it('allows a discount that keeps every effective spread within the limit', () => {
    expect(guardDiscount([sku(10_000, 10_000)], {}, ['kuaishou', 'youzan'], coupon(2_000))).toEqual({
      verdict: 'allowed',
    });
  });

  it('refuses a discount on one platform that opens the gap, with the numbers and the most it may take off', () => {
    const answer = guardDiscount([sku(10_000, 10_000)], {}, ['youzan'], coupon(2_000));
    expect(answer).toMatchObject({
      verdict: 'breaks',
      breaches: [
        {
          skuCode: 'S10000-10000',
          limitBp: 1000,
          prices: { kuaishou: 10_000, youzan: 10_000 },
          effectiveAfter: { kuaishou: 10_000, youzan: 8_000 },
          spreadAfterBp: 2_500,
        },
      ],
      // 10000 / 9091 = 1.09999: the most that stays within 10 %.
      allowed: { discountFen: 909 },
    });
  });

  it('counts a same discount on both platforms: it widens a gap already near the limit', () => {
    const answer = guardDiscount([sku(10_000, 10_900)], {}, ['kuaishou', 'youzan'], coupon(2_000));
    expect(answer.verdict).toBe('breaks');
    // (10900 − d) / (10000 − d) ≤ 1.1 ⇔ d ≤ 1000.
    expect(answer).toMatchObject({ allowed: { discountFen: 1_000 } });
  });

  it('counts the discounts already running; a SKU already beyond its limit may not get wider', () => {
    const running = { kuaishou: [coupon(1_500)] };
    // Kuaishou already 85.00 against 100.00 (17.6 %): a Youzan coupon that narrows it is allowed.
    expect(guardDiscount([sku(10_000, 10_000)], running, ['youzan'], coupon(500)).verdict).toBe('allowed');
    expect(guardDiscount([sku(10_000, 10_000)], running, ['kuaishou'], coupon(2_000)).verdict).toBe('breaks');
  });

  it('answers the highest pay percent that breaks and the lowest that does not for a rate coupon', () => {
    const rate = { name: 'r', discountFen: 0, thresholdFen: 0, payPercent: 80 };
    expect(guardDiscount([sku(10_000, 10_000)], {}, ['youzan'], rate)).toMatchObject({
      verdict: 'breaks',
      allowed: { payPercent: 91 },
    });
  });
});
