import { MerchantSkuService } from '@app/catalog/merchant-sku.service';
import { withinLimit } from '@app/pricing/parity';
import type { SkuPriceOverview } from '@app/pricing/price-overview.service';
import { PricingHarness } from '@test/support/pricing-harness';
import { eventually } from '@test/support/test-app';
import { SkuFixture } from '../inventory/inventory.harness';

/**
 * A newly bound listing's price is observed and brought into line at once, and the price overview
 * (API and page form) shows and sets prices. Platform prices are read from the emulators' state.
 */
describe('price workspace: newly bound listings and the price overview', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    h = await PricingHarness.start('price-workspace');
  });

  afterAll(async () => {
    await h?.close();
  });

  const api = (path: string, method = 'GET', body?: unknown) => h.api(path, method, body);
  const priceQuiet = () => h.quiet();
  const livePrices = (sku: SkuFixture) => h.livePrices(sku);

  /** Lists the code on both platforms at the given prices (as a merchant would in the back offices) and binds them. */
  async function listAndBind(code: string, prices: { kuaishou: number; youzan: number }): Promise<SkuFixture> {
    const ksItem = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: `商品 ${code}`,
      skus: [{ stock: 0, price: prices.kuaishou, skuNick: code }],
    });
    const yzItem = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: `商品 ${code}`,
      skus: [{ itemNo: code, priceFen: prices.youzan, stock: 0 }],
    });
    for (const c of Object.values(h.connections)) {
      const res = await api(`/connections/${c.id}/discover-skus`, 'POST');
      expect(res.status).toBe(200);
    }
    const merchantSku = (await h.stack.t.app.get(MerchantSkuService).findByCode(h.merchantId, code))!;
    return {
      code,
      merchantSkuId: merchantSku.id,
      ks: { itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId },
      yz: { itemId: yzItem.itemId, skuId: yzItem.skus[0].skuId },
    };
  }

  async function sendErpPrice(skuCode: string, priceFen: number, sequence: number): Promise<void> {
    expect((await h.sendErpPrices([{ skuCode, priceFen, sequence }])).status).toBe(200);
  }

  async function overview(code: string): Promise<SkuPriceOverview> {
    const res = await api('/prices');
    expect(res.status).toBe(200);
    const all = (await res.json()) as SkuPriceOverview[];
    return all.find((s) => s.skuCode === code)!;
  }

  it('a pair bound already beyond the limit is corrected at once, from the master platform, without an audit', async () => {
    expect((await api('/price-policy', 'PUT', { master: 'kuaishou' })).status).toBe(200);
    const sku = await listAndBind('BIND-WIDE', { kuaishou: 10_000, youzan: 13_000 });
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_000, youzan: 10_000 });
    const seen = await overview(sku.code);
    expect(seen.listings.map((l) => [l.platform, l.lastSeenFen]).sort()).toEqual([
      ['kuaishou', 10_000],
      ['youzan', 10_000],
    ]);
    expect(seen).toMatchObject({ spreadBp: 0, withinLimit: true, master: 'kuaishou', pendingWrites: [] });
    expect(seen.findings.some((f) => f.platform === 'youzan' && f.observedFen === 13_000)).toBe(true);
  });

  it('a listing bound after the ERP price takes that price at once', async () => {
    expect((await api('/price-policy', 'PUT', { master: 'erp' })).status).toBe(200);
    await sendErpPrice('BIND-ERP-1', 12_000, 1);
    // One platform only, so no pair can be beyond the limit while it binds.
    const ksItem = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '商品 BIND-ERP-1',
      skus: [{ stock: 0, price: 9_900, skuNick: 'BIND-ERP-1' }],
    });
    const res = await api(`/connections/${h.connections.kuaishou.id}/discover-skus`, 'POST');
    expect(res.status).toBe(200);
    await priceQuiet();
    const ks = await h.stack.ksControl.priceHistory({ itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId });
    expect(ks.at(-1)?.priceFen).toBe(12_000);
    expect((await overview('BIND-ERP-1')).listings.map((l) => l.lastSeenFen)).toEqual([12_000]);
  });

  it('with the ERP as master, an ERP price reaches a bound pair in steps within the limit', async () => {
    expect((await api('/price-policy', 'PUT', { master: 'erp' })).status).toBe(200);
    // Both listings are bound (and seen) before the ERP price arrives: the whole history starts at 99 yuan.
    const sku = await listAndBind('BIND-ERP', { kuaishou: 9_900, youzan: 9_900 });
    await priceQuiet();
    await sendErpPrice('BIND-ERP', 12_000, 1);
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 12_000, youzan: 12_000 });
    const [ks, yz] = await Promise.all([
      h.stack.ksControl.priceHistory({ itemId: sku.ks.itemId, skuId: sku.ks.skuId }),
      h.stack.yzControl.priceHistory({ itemId: sku.yz.itemId, skuId: sku.yz.skuId }),
    ]);
    // Replayed in the emulators' order, no intermediate state broke the limit.
    const state = { kuaishou: 9_900, youzan: 9_900 };
    for (const c of [
      ...ks.map((c) => ({ ...c, platform: 'kuaishou' as const })),
      ...yz.map((c) => ({ ...c, platform: 'youzan' as const })),
    ].sort((a, b) => a.seq - b.seq)) {
      state[c.platform] = c.priceFen;
      expect(withinLimit(Object.values(state), 1000)).toBe(true);
    }
    expect(ks.length + yz.length).toBeGreaterThanOrEqual(3);
    expect((await overview(sku.code)).listings.every((l) => l.lastSeenFen === 12_000)).toBe(true);
  });

  it('the prices page form takes yuan, and answers a refusal in words with the numbers', async () => {
    expect((await api('/price-policy', 'PUT', { master: 'kuaishou' })).status).toBe(200);
    const sku = await listAndBind('FORM-YUAN', { kuaishou: 9_900, youzan: 9_900 });
    await priceQuiet();
    const post = (form: Record<string, string>) =>
      fetch(`${h.stack.url}/merchants/${h.merchantId}/prices/${sku.code}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...h.auth },
        body: new URLSearchParams(form).toString(),
      });

    const refused = await post({ priceYuan: '130', platform: 'kuaishou' });
    expect(refused.status).toBe(303);
    const refusedText = new URL(refused.headers.get('location')!, h.stack.url).searchParams.get('error')!;
    expect(refusedText).toContain('The gap between the two platforms would exceed the limit');
    expect(refusedText).toContain('¥99.00');
    expect(refusedText).toContain('¥130.00');
    expect(refusedText).toContain('¥108.90');
    expect(refusedText).not.toContain('PARITY_LIMIT');
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 9_900, youzan: 9_900 });
    expect((await overview(sku.code)).lastRefusal).toMatchObject({ platform: 'kuaishou', priceFen: 13_000 });

    const accepted = await post({ priceYuan: '105.50', platform: '' });
    expect(accepted.status).toBe(303);
    expect(new URL(accepted.headers.get('location')!, h.stack.url).searchParams.get('ok')).toContain('¥105.50');
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_550, youzan: 10_550 });

    const page = await fetch(`${h.stack.url}/merchants/${h.merchantId}/prices`, { headers: h.auth });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('data-testid="merchant-nav"');
    expect(text).toMatch(/data-testid="shown-FORM-YUAN-kuaishou">¥105\.50</);

    const bad = await post({ priceYuan: '12,5' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('priceYuan');
  });

  const audit = () => h.audit();

  async function pageText(): Promise<string> {
    const page = await fetch(`${h.stack.url}/merchants/${h.merchantId}/prices`, { headers: h.auth });
    expect(page.status).toBe(200);
    return page.text();
  }

  it('shows a violation with the listing that is off and what the policy would do, on the API and the page', async () => {
    const sku = await listAndBind('VIOL-SHOW', { kuaishou: 9_900, youzan: 9_900 });
    await priceQuiet();
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    expect((await overview(sku.code)).violation).toBeNull();
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    expect(await livePrices(sku)).toEqual({ kuaishou: 12_375, youzan: 9_900 });
    expect((await overview(sku.code)).violation).toMatchObject({
      spreadBp: 2500,
      limitBp: 1000,
      off: [{ platform: 'kuaishou', priceFen: 12_375, bound: true }],
      wouldDo: 'alert',
      corrections: [],
    });
    let text = await pageText();
    expect(text).toMatch(/data-testid="violation-row-VIOL-SHOW"/);
    expect(text).toMatch(/data-testid="violation-off-VIOL-SHOW">[^<]*快手 Kuaishou ¥123\.75/);
    expect(text).toMatch(/data-testid="violation-action-VIOL-SHOW">[^<]*The audit raises an alert and writes nothing/);

    // With the policy set to correct, the page says what the next audit writes; the audit then does it.
    expect((await api(`/skus/${sku.code}/price-policy`, 'PUT', { auditAction: 'correct' })).status).toBe(200);
    expect((await overview(sku.code)).violation).toMatchObject({
      off: [{ platform: 'kuaishou', priceFen: 12_375 }],
      wouldDo: 'correct',
      corrections: [{ platform: 'kuaishou', fromFen: 12_375, toFen: 9_900 }],
    });
    text = await pageText();
    expect(text).toMatch(
      /data-testid="violation-action-VIOL-SHOW">[^<]*The audit corrects it per policy: 快手 Kuaishou ¥123\.75 → <strong>¥99\.00/,
    );
    await audit();
    expect(await livePrices(sku)).toEqual({ kuaishou: 9_900, youzan: 9_900 });
    expect((await overview(sku.code)).violation).toBeNull();
    expect(await pageText()).not.toMatch(/data-testid="violation-row-VIOL-SHOW"/);
  });

  it('reports the effective spread after merchant-funded discounts beside the list-price spread', async () => {
    // Within the list-price limit (9 %), but a ¥20 coupon from ¥105 only reaches the Youzan price.
    const sku = await listAndBind('EFF-SPREAD', { kuaishou: 10_000, youzan: 10_900 });
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_000, youzan: 10_900 });
    expect((await overview(sku.code)).effectiveSpreadBp).toBe(900);
    const now = Date.now();
    // The service refuses such a campaign (the guard on discounts) ...
    const campaign = await api('/campaigns', 'POST', {
      name: 'Effective 20 off',
      discountFen: 2000,
      thresholdFen: 10_500,
      budget: 10,
      perBuyerLimit: 1,
      startsAt: now - 3_600_000,
      endsAt: now + 86_400_000,
    });
    expect(campaign.status).toBe(422);
    expect(await campaign.json()).toMatchObject({
      error: 'PARITY_LIMIT',
      skus: expect.arrayContaining([expect.objectContaining({ skuCode: 'EFF-SPREAD', spreadAfterBp: 1236 })]),
    });
    // ... but the merchant can still make one in a back office: read from the platform, it is reported.
    await h.stack.yzControl.createCoupon({
      kdtId: Number(h.shops.youzan),
      title: 'Effective 20 off',
      valueFen: 2000,
      atLeastFen: 10_500,
      startAt: now - 3_600_000,
      endAt: now + 86_400_000,
    });
    const seen = await eventually(
      async () => {
        const o = await overview(sku.code);
        return o.effectiveSpreadBp === 1236 ? o : undefined;
      },
      60_000,
      200,
    );
    expect(seen).toMatchObject({ spreadBp: 900, withinLimit: true, effectiveSpreadBp: 1236, violation: null });
    expect(seen.listings.map((l) => [l.platform, l.lastSeenFen, l.effectiveFen]).sort()).toEqual([
      ['kuaishou', 10_000, 10_000],
      ['youzan', 10_900, 8_900],
    ]);
    expect(seen.discounts).toEqual([
      { platform: 'youzan', source: 'platform', name: 'Effective 20 off', discountFen: 2000, thresholdFen: 10_500 },
    ]);
    const text = await pageText();
    expect(text).toMatch(/data-testid="effective-spread-EFF-SPREAD">12\.36%</);
    expect(text).toMatch(/data-testid="effective-EFF-SPREAD-youzan">¥89\.00</);
    // Reported, never corrected on: the prices stay.
    await audit();
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_000, youzan: 10_900 });
  });
});
