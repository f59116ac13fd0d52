import { SkuBindingEntity } from '@app/catalog/sku-binding.entity';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { ListingPriceEntity } from '@app/pricing/listing-price.entity';
import { PriceDriftEntity } from '@app/pricing/price-drift.entity';
import { eventually } from '@test/support/test-app';
import { PricingHarness } from '@test/support/pricing-harness';

/**
 * Issue 12 defect: a listing bound alone could be raised beyond the parity limit against its twin
 * on the other platform that the service knows a price for but that is no longer bound. Prices
 * are read from the emulators.
 */
describe('price parity against an unbound twin listing', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    h = await PricingHarness.start('pricing-unbound');
  });

  afterAll(async () => {
    await h?.close();
  });

  const api = (path: string, method = 'GET', body?: unknown) => h.api(path, method, body);
  const quiet = () => h.quiet();
  const audit = () => h.audit();
  const sendErpPrices = (updates: { skuCode: string; priceFen: number; sequence: number }[]) =>
    h.sendErpPrices(updates);

  /** Answers the id the Kuaishou listing was bound under (its `listing_price` row keeps it). */
  async function auditThenUnbindKuaishou(merchantSkuId: string): Promise<string> {
    // The audit sees both listings' prices (9900 fen each).
    await audit();
    const ks = await h.db.dataSource.manager.findOneByOrFail(SkuBindingEntity, { merchantSkuId, platform: 'kuaishou' });
    expect((await api(`/sku-bindings/${ks.id}`, 'DELETE')).status).toBe(204);
    return ks.id;
  }

  it('refuses raising the bound Youzan listing beyond 10 % over the unbound Kuaishou twin it knows a price for', async () => {
    const sku = await h.sku('PRICE-TWIN', { onHand: 5 });
    await auditThenUnbindKuaishou(sku.merchantSkuId);

    const res = await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'youzan', priceFen: 13_000 });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: 'PARITY_LIMIT',
      current: { kuaishou: 9900, youzan: 9900 },
      proposed: { youzan: 13_000 },
      limitBp: 1000,
      allowed: { youzan: 10_890 },
    });
    // A price within the limit against the twin still goes through.
    const ok = await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'youzan', priceFen: 10_890 });
    expect(ok.status).toBe(202);
    await quiet();
    expect(await h.livePrices(sku)).toEqual({ kuaishou: 9900, youzan: 10_890 });

    // The master-price form counts the twin too: 13,000 fen derived for Youzan alone breaks the limit.
    const master = await api(`/skus/${sku.code}/price`, 'PUT', { priceFen: 13_000 });
    expect(master.status).toBe(409);
    expect(await master.json()).toMatchObject({ error: 'PARITY_LIMIT', current: { kuaishou: 9900 } });
    await quiet();
    expect((await h.stack.yzControl.getSku(sku.yz.itemId, sku.yz.skuId)).priceFen).toBe(10_890);
  }, 180_000);

  it('refuses an ERP price (master ERP) whose derived Youzan price breaks the limit against the unbound Kuaishou twin', async () => {
    const sku = await h.sku('PRICE-TWIN-ERP', { onHand: 5 });
    await auditThenUnbindKuaishou(sku.merchantSkuId);
    const refused = await sendErpPrices([{ skuCode: sku.code, priceFen: 13_000, sequence: 1 }]);
    expect(refused.status).toBe(200);
    expect(refused.body.results).toEqual([
      expect.objectContaining({ skuCode: sku.code, outcome: 'refused', proposed: { youzan: 13_000 }, limitBp: 1000 }),
    ]);
    const applied = await sendErpPrices([{ skuCode: sku.code, priceFen: 10_500, sequence: 2 }]);
    expect(applied.body.results).toEqual([{ skuCode: sku.code, outcome: 'applied' }]);
    await quiet();
    expect(await h.livePrices(sku)).toEqual({ kuaishou: 9900, youzan: 10_500 });
  }, 180_000);

  it('audits the unbound twin: reads its live price, keeps it, and alerts on the spread over it', async () => {
    const sku = await h.sku('PRICE-TWIN-AUDIT', { onHand: 5 });
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    const twin = await auditThenUnbindKuaishou(sku.merchantSkuId);
    // The merchant raises the unbound Kuaishou listing by 25 % in the back office.
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    const stored = await h.db.dataSource.manager.findOneByOrFail(ListingPriceEntity, { bindingId: twin });
    expect(stored.priceFen).toBe(12_375);
    const failure = await eventually(
      () =>
        h.db.dataSource.manager.findOneBy(SyncFailureEntity, {
          entityRef: sku.merchantSkuId,
          operation: 'price.parity',
        }),
      30_000,
    );
    expect(failure.reason).toContain('25%');
    const drifts = await h.db.dataSource.manager.findBy(PriceDriftEntity, { merchantSkuId: sku.merchantSkuId });
    expect(drifts.find((d) => d.bindingId === twin)).toMatchObject({ observedFen: 12_375, spreadBp: 2500 });
    expect(await h.livePrices(sku)).toEqual({ kuaishou: 12_375, youzan: 9900 });
  }, 180_000);

  it('with the unbound twin as the price master, corrects the bound listing to its live price', async () => {
    const sku = await h.sku('PRICE-TWIN-MASTER', { onHand: 5 });
    expect((await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'kuaishou' })).status).toBe(200);
    await auditThenUnbindKuaishou(sku.merchantSkuId);
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    expect(await h.livePrices(sku)).toEqual({ kuaishou: 12_375, youzan: 12_375 });
    const yzHistory = await h.stack.yzControl.priceHistory({ itemId: sku.yz.itemId, skuId: sku.yz.skuId });
    // Written in steps within the limit, none to the unbound listing.
    expect(yzHistory.at(-1)).toMatchObject({ source: 'api', priceFen: 12_375 });
    expect(await h.stack.ksControl.priceHistory({ itemId: sku.ks.itemId, skuId: sku.ks.skuId })).toEqual([
      expect.objectContaining({ source: 'control', priceFen: 12_375 }),
    ]);
  }, 180_000);
});
