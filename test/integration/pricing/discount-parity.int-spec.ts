import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { CouponCampaignEntity } from '@app/promotions/coupon-campaign.entity';
import { CampaignView } from '@app/promotions/campaign.service';
import { SkuPriceOverview } from '@app/pricing/price-overview.service';
import { eventually } from '@test/support/test-app';
import { PricingHarness } from '@test/support/pricing-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The parity guard on discounts, over the real pipeline: a coupon that would take what buyers pay
 * on the two platforms too far apart is refused with the numbers (or lowered by policy), and a
 * coupon made in a platform's back office is read from the emulator and seen by the audit.
 * Coupons are counted on the emulators' own state.
 */
describe('price parity after merchant-funded discounts', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    h = await PricingHarness.start('discount-parity');
  });

  afterAll(async () => {
    await h?.close();
  });

  const campaign = (overrides: Record<string, unknown> = {}) => {
    const now = Date.now();
    return h.api('/campaigns', 'POST', {
      name: 'Youzan only 20 off',
      discountFen: 2000,
      thresholdFen: 0,
      budget: 10,
      perBuyerLimit: 1,
      startsAt: now - HOUR,
      endsAt: now + DAY,
      platforms: ['youzan'],
      ...overrides,
    });
  };
  const yzCoupons = () => h.stack.yzControl.listCoupons(Number(h.shops.youzan));
  const ksCoupons = () => h.stack.ksControl.listCoupons(h.shops.kuaishou);
  const overview = async (code: string) =>
    ((await (await h.api('/prices')).json()) as SkuPriceOverview[]).find((s) => s.skuCode === code)!;
  const failuresOf = (merchantSkuId: string, operation: string) =>
    h.db.dataSource.manager.findBy(SyncFailureEntity, { entityRef: merchantSkuId, operation, status: 'open' });

  it('refuses a coupon on one platform that would open the gap, with the numbers; nothing is created', async () => {
    const sku = await h.sku('DISC-REFUSE', { onHand: 5 });
    await h.quiet();
    await eventually(async () => (await overview(sku.code))?.spreadBp === 0, 60_000, 100);
    const [ksBefore, yzBefore] = [(await ksCoupons()).length, (await yzCoupons()).length];
    const res = await campaign();
    expect(res.status).toBe(422);
    const body = (await res.json()) as { message: string };
    expect(body).toMatchObject({
      error: 'PARITY_LIMIT',
      proposed: { platforms: ['youzan'], discountFen: 2000 },
      // 9900 / 9000 = 1.1: the most Youzan may take off alone at a 10 % limit.
      allowed: { discountFen: 900 },
      skuCount: 1,
      skus: [
        {
          skuCode: 'DISC-REFUSE',
          limitBp: 1000,
          prices: { kuaishou: 9900, youzan: 9900 },
          effectiveBefore: { kuaishou: 9900, youzan: 9900 },
          effectiveAfter: { kuaishou: 9900, youzan: 7900 },
          spreadAfterBp: 2532,
        },
      ],
    });
    expect(body.message).toMatch(/DISC-REFUSE/);
    expect(await ksCoupons()).toHaveLength(ksBefore);
    expect(await yzCoupons()).toHaveLength(yzBefore);
    expect(await h.db.dataSource.manager.countBy(CouponCampaignEntity, { merchantId: h.merchantId })).toBe(0);
    // The same discount on both platforms moves both prices alike and stays within the limit.
    const both = await campaign({ name: 'Both 20 off', platforms: undefined });
    expect(both.status).toBe(201);
    expect(((await both.json()) as CampaignView).channels.map((c) => c.status)).toEqual(['created', 'created']);
    // End it so it does not weigh on the next tests.
    const created = await h.db.dataSource.manager.findOneByOrFail(CouponCampaignEntity, { name: 'Both 20 off' });
    expect((await h.api(`/campaigns/${created.id}/end`, 'POST')).status).toBe(200);
  });

  it('lowers the discount to the most the limit allows when the policy says clamp', async () => {
    expect((await h.api('/price-policy', 'PUT', { onBreach: 'clamp' })).status).toBe(200);
    try {
      const res = await campaign({ name: 'Clamped 20 off' });
      expect(res.status).toBe(201);
      const view = (await res.json()) as CampaignView;
      expect(view).toMatchObject({ discountFen: 900, parity: { clampedFrom: { discountFen: 2000 } } });
      const coupon = (await yzCoupons()).find((c) => c.couponId === view.channels[0].couponId)!;
      expect(coupon.valueFen).toBe(900);
      expect((await h.api(`/campaigns/${view.id}/end`, 'POST')).status).toBe(200);
    } finally {
      expect((await h.api('/price-policy', 'PUT', { onBreach: 'refuse' })).status).toBe(200);
    }
  });

  it('checks a later end too: refused when the prices moved so that the discount now breaks the limit', async () => {
    const now = Date.now();
    // ¥9 off on Youzan alone keeps 99.00 against 90.00: exactly the 10 % limit.
    const res = await campaign({ name: 'Youzan 9 off', discountFen: 900, endsAt: now + DAY });
    expect(res.status).toBe(201);
    const view = (await res.json()) as CampaignView;
    try {
      const later = Math.floor((now + 3 * DAY) / 1000) * 1000;
      expect((await h.api(`/campaigns/${view.id}`, 'PATCH', { endsAt: later - DAY })).status).toBe(200);
      // Kuaishou's price goes up 1 % (within the list-price limit), so 100.00 against 90.00 after the coupon.
      const raised = await h.api('/skus/DISC-REFUSE/price', 'PUT', { platform: 'kuaishou', priceFen: 10_000 });
      expect(raised.status).toBe(202);
      await h.quiet();
      const refused = await h.api(`/campaigns/${view.id}`, 'PATCH', { endsAt: later });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toMatchObject({
        error: 'PARITY_LIMIT',
        skus: [expect.objectContaining({ skuCode: 'DISC-REFUSE', effectiveAfter: { kuaishou: 10_000, youzan: 9000 } })],
      });
      const coupon = (await yzCoupons()).find((c) => c.couponId === view.channels[0].couponId)!;
      expect(coupon.endAt).toBe(later - DAY);
    } finally {
      expect((await h.api(`/campaigns/${view.id}/end`, 'POST')).status).toBe(200);
    }
  });

  it('reads a coupon made in the Youzan back office: the overview and the audit see it, and the guard counts it', async () => {
    const sku = await h.sku('DISC-BACKOFFICE', { onHand: 5 });
    await h.quiet();
    const now = Date.now();
    // The merchant makes a ¥15 coupon in Youzan's back office, outside the service.
    const { couponId } = await h.stack.yzControl.createCoupon({
      kdtId: Number(h.shops.youzan),
      title: 'Back-office 15 off',
      valueFen: 1500,
      total: 50,
      startAt: now - HOUR,
      endAt: now + DAY,
    });
    const seen = await eventually(
      async () => {
        const o = await overview(sku.code);
        return o.effectiveSpreadBp === 1786 ? o : undefined;
      },
      60_000,
      200,
    );
    // 9900 against 8400: 17.86 % after the coupon, 0 % on list prices.
    expect(seen).toMatchObject({ spreadBp: 0, withinLimit: true });
    expect(seen.discounts).toEqual(
      expect.arrayContaining([
        { platform: 'youzan', source: 'platform', name: 'Back-office 15 off', discountFen: 1500, thresholdFen: 0 },
      ]),
    );
    // The audit raises it for the merchant (list prices are fine, so nothing is rewritten).
    await h.audit();
    const failures = await eventually(async () => {
      const open = await failuresOf(sku.merchantSkuId, 'price.effective-parity');
      return open.length ? open : undefined;
    }, 60_000);
    expect(failures[0].reason).toMatch(/DISC-BACKOFFICE.*17\.86%.*10% limit/);
    expect(await h.livePrices(sku)).toEqual({ kuaishou: 9900, youzan: 9900 });
    // A service coupon on Kuaishou that narrows the gap is allowed; a bigger one on Youzan is refused.
    const narrowing = await campaign({ name: 'Kuaishou 5 off', discountFen: 500, platforms: ['kuaishou'] });
    expect(narrowing.status).toBe(201);
    const widening = await campaign({ name: 'Youzan 25 off', discountFen: 2500 });
    expect(widening.status).toBe(422);
    expect(await widening.json()).toMatchObject({
      skus: expect.arrayContaining([
        expect.objectContaining({
          skuCode: 'DISC-BACKOFFICE',
          effectiveBefore: { kuaishou: 9400, youzan: 8400 },
          effectiveAfter: { kuaishou: 9400, youzan: 7400 },
        }),
      ]),
    });
    expect((await yzCoupons()).map((c) => c.couponId)).toContain(couponId);
    // A coupon made in Kuaishou's back office is read from open.promotion.coupon.page.list the same way.
    await h.stack.ksControl.createCoupon({ openId: h.shops.kuaishou, name: 'KS back-office 3 off', reduceAmount: 300 });
    const ks = await eventually(
      async () =>
        (await overview(sku.code)).discounts.find((d) => d.platform === 'kuaishou' && d.source === 'platform'),
      60_000,
      200,
    );
    expect(ks).toEqual({
      platform: 'kuaishou',
      source: 'platform',
      name: 'KS back-office 3 off',
      discountFen: 300,
      thresholdFen: 0,
    });
  }, 180_000);
});
