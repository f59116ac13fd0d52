import { PriceDriftEntity } from '@app/pricing/price-drift.entity';
import { PricingRepository } from '@app/pricing/pricing.repository';
import { PricingHarness } from '@test/support/pricing-harness';

/**
 * The hourly parity audit over the real pipeline (own merchant, so the emulators' call counters
 * count this file's SKUs only). Prices and calls come from the emulators.
 */
describe('price parity audit', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    h = await PricingHarness.start('pricing-audit');
  });

  afterAll(async () => {
    await h?.close();
  });

  const api = (path: string, method = 'GET', body?: unknown) => h.api(path, method, body);
  const audit = () => h.audit();

  it('does not read an unchanged, never-written SKU live every hour', async () => {
    await h.sku('AUDIT-QUIET', { onHand: 5 });
    await audit();
    await h.stack.ksControl.resetCounters();
    await h.stack.yzControl.resetCounters();
    await audit();
    expect((await h.stack.ksControl.counters()).calls['open.item.get'] ?? 0).toBe(0);
  });

  it('records a drift once per listing and observed price, not again at every audit', async () => {
    const sku = await h.sku('AUDIT-ONCE', { onHand: 5 });
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    await audit();
    await audit();
    const drifts = await h.db.dataSource.manager.findBy(PriceDriftEntity, { merchantSkuId: sku.merchantSkuId });
    // The spread is broken: each listing's observation is recorded, once.
    expect(drifts.map((d) => [d.platform, d.observedFen]).sort()).toEqual([
      ['kuaishou', 12_375],
      ['youzan', 9900],
    ]);
    const ks = await h.stack.ksControl.getSku(sku.ks.itemId, sku.ks.skuId);
    expect(ks.price).toBe(12_375);
  });

  it('leaves listings of a disconnected shop out of the spread check (their last seen prices are stale)', async () => {
    const sku = await h.sku('AUDIT-STALE', { onHand: 5 });
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    const repo = h.stack.t.app.get(PricingRepository);
    const flagged = async () =>
      (await repo.spreadViolations(1000, { merchantId: h.merchantId })).map((v) => v.merchantSkuId);
    expect(await flagged()).toContain(sku.merchantSkuId);
    expect((await api(`/connections/${h.connections.kuaishou.id}`, 'DELETE')).status).toBeLessThan(300);
    expect(await flagged()).not.toContain(sku.merchantSkuId);
  });
});
