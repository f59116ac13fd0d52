import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { MerchantSkuEntity } from '@app/catalog/merchant-sku.entity';
import { SkuBindingEntity } from '@app/catalog/sku-binding.entity';
import { ListingPriceEntity } from '@app/pricing/listing-price.entity';
import { PriceDriftEntity } from '@app/pricing/price-drift.entity';
import { PriceOverviewService } from '@app/pricing/price-overview.service';
import { PriceWriteOpEntity } from '@app/pricing/price-write-op.entity';
import { PricingHarness } from '@test/support/pricing-harness';

/**
 * The prices overview reads a page of SKUs in a fixed number of queries, however many SKUs the page
 * holds. Queries are counted at the TypeORM logger, only those issued by the overview call itself
 * (the app's background work runs beside it).
 */
describe('prices overview queries', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    h = await PricingHarness.start('overview-queries');
  });

  afterAll(async () => {
    await h?.close();
  });

  async function addSkus(n: number, from: number): Promise<void> {
    const m = h.db.dataSource.manager;
    const now = Date.now();
    for (let i = from; i < from + n; i++) {
      const skuId = randomUUID();
      await m.insert(MerchantSkuEntity, {
        id: skuId,
        merchantId: h.merchantId,
        skuCode: `Q-${String(i).padStart(3, '0')}`,
        title: null,
        createdAt: now,
        updatedAt: now,
      });
      for (const c of Object.values(h.connections)) {
        const bindingId = randomUUID();
        const itemId = `${9_000_000 + i}`;
        await m.insert(SkuBindingEntity, {
          id: bindingId,
          merchantId: h.merchantId,
          merchantSkuId: skuId,
          platform: c.platform,
          connectionId: c.id,
          platformItemId: itemId,
          platformSkuId: `${itemId}1`,
          outerSkuId: null,
          boundBy: 'manual',
          createdAt: now,
        });
        const priceFen = c.platform === 'kuaishou' ? 10_000 : 12_000;
        await m.insert(ListingPriceEntity, {
          bindingId,
          merchantId: h.merchantId,
          merchantSkuId: skuId,
          platform: c.platform,
          connectionId: c.id,
          platformItemId: itemId,
          platformSkuId: `${itemId}1`,
          priceFen,
          observedAt: now,
        });
        for (const [status, at] of [
          ['applied', now - 2_000],
          ['refused', now - 1_000],
        ] as const)
          await m.insert(PriceWriteOpEntity, {
            id: randomUUID(),
            bindingId,
            merchantSkuId: skuId,
            platform: c.platform,
            priceFen: 10_000,
            previousFen: null,
            reason: 'api',
            status,
            note: null,
            requestedAt: at,
            mayLandUntil: null,
            createdAt: at,
            settledAt: at,
          });
        await m.insert(PriceDriftEntity, {
          bindingId,
          merchantSkuId: skuId,
          platform: c.platform,
          expectedFen: 10_000,
          observedFen: priceFen,
          spreadBp: 2000,
          effectiveSpreadBp: null,
          action: 'alert',
          createdAt: now,
        });
      }
    }
  }

  /** Runs the overview and counts the queries it issued. */
  async function counted(): Promise<{ queries: number; skus: number }> {
    const marker = new AsyncLocalStorage<{ n: number }>();
    const dataSource = h.db.dataSource;
    const original = dataSource.logger;
    const counter: TypeOrmLogger = {
      logQuery: (...args) => {
        const store = marker.getStore();
        if (store) store.n++;
        original.logQuery(...args);
      },
      logQueryError: (...args) => original.logQueryError(...args),
      logQuerySlow: (...args) => original.logQuerySlow(...args),
      logSchemaBuild: (...args) => original.logSchemaBuild(...args),
      logMigration: (...args) => original.logMigration(...args),
      log: (...args) => original.log(...args),
    };
    Object.assign(dataSource, { logger: counter });
    try {
      const store = { n: 0 };
      const skus = await marker.run(store, () => h.stack.t.app.get(PriceOverviewService).forMerchant(h.merchantId));
      return { queries: store.n, skus: skus.length };
    } finally {
      Object.assign(dataSource, { logger: original });
    }
  }

  it('reads 1 SKU and 50 SKUs in the same number of queries, a small fixed one', async () => {
    await addSkus(1, 0);
    const one = await counted();
    expect(one.skus).toBe(1);
    await addSkus(49, 1);
    const fifty = await counted();
    expect(fifty.skus).toBe(50);
    expect(fifty.queries).toBe(one.queries);
    expect(one.queries).toBeLessThanOrEqual(16);
    // The batched reads still answer per SKU: its findings, its last refusal, its violation.
    const page = await h.stack.t.app.get(PriceOverviewService).forMerchant(h.merchantId);
    for (const sku of page) {
      expect(sku.findings).toHaveLength(2);
      expect(sku.lastRefusal).toMatchObject({ priceFen: 10_000 });
      expect(sku.spreadBp).toBe(2000);
      expect(sku.violation).not.toBeNull();
    }
  });

  it('pages the API by SKU code, and answers a bad page with a 400 naming the field', async () => {
    const second = (await (await h.api('/prices?page=2&pageSize=20')).json()) as { skuCode: string }[];
    expect(second.map((s) => s.skuCode)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Q-${String(20 + i).padStart(3, '0')}`),
    );
    const bad = await h.api('/prices?pageSize=0');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(['pageSize']);
  });
});
