import { effectivePrice, effectiveSpread } from './effective-price';

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
