import { randomUUID } from 'node:crypto';
import { priceChangedTopic } from '@app/messaging/contracts/price-changed/price-changed.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { ParityAuditJob } from '@app/pricing/jobs/parity-audit.job';
import { PriceChangeAccepted } from '@app/pricing/price-change.service';
import { withinLimit } from '@app/pricing/parity';
import { PriceDriftEntity } from '@app/pricing/price-drift.entity';
import { PriceWriteOpEntity } from '@app/pricing/price-write-op.entity';
import { ListingPriceEntity } from '@app/pricing/listing-price.entity';
import { PricingRepository } from '@app/pricing/pricing.repository';
import { MerchantSkuService } from '@app/catalog/merchant-sku.service';
import { NotFoundDomainException } from '@app/common/errors/domain.exception';
import { PricePolicyService } from '@app/pricing/price-policy.service';
import { createTestMerchant, createTestUser } from '@test/support/access';
import { eventually } from '@test/support/test-app';
import { PricingHarness } from '@test/support/pricing-harness';
import { SkuFixture } from '../inventory/inventory.harness';

const PRICE_API = 'open.item.sku.price.update';

/**
 * Price parity over the real pipeline: emulators over HTTP, the outbox, the price writer, MariaDB.
 * Prices are always read from the emulators' own state and price history.
 */
describe('price parity between Kuaishou and Youzan', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    h = await PricingHarness.start('pricing');
  });

  afterAll(async () => {
    await h?.close();
  });

  const api = (path: string, method = 'GET', body?: unknown) => h.api(path, method, body);
  const livePrices = (sku: SkuFixture) => h.livePrices(sku);
  const priceQuiet = () => h.quiet();
  const ops = (sku: SkuFixture) => h.ops(sku);
  const history = (sku: SkuFixture) => h.history(sku);

  it('the policy service itself finds no SKU of another merchant by code, and writes no policy row', async () => {
    const other = await createTestMerchant(h.stack.t.app, 'Other merchant');
    const code = `OWN-${randomUUID().slice(0, 8)}`;
    await h.stack.t.app.get(MerchantSkuService).ensure(h.merchantId, code);
    const policies = h.stack.t.app.get(PricePolicyService);
    await expect(policies.putForSku(other.merchantId, code, { ceilingFen: 5_000 })).rejects.toBeInstanceOf(
      NotFoundDomainException,
    );
    await expect(policies.effectiveForSku(other.merchantId, code)).rejects.toBeInstanceOf(NotFoundDomainException);
    const rows = await h.db.dataSource.query('SELECT COUNT(*) AS n FROM price_policy WHERE merchant_id = ?', [
      other.merchantId,
    ]);
    expect(Number(rows[0].n)).toBe(0);
  });

  it('refuses a write beyond the limit with the current prices, the proposed one, the limit and the allowed price', async () => {
    const sku = await h.sku('PRICE-REFUSE', { onHand: 5 });
    const res = await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'kuaishou', priceFen: 13_000 });
    expect(res.status).toBe(409);
    const body = await res.json();
    expect(body).toMatchObject({
      error: 'PARITY_LIMIT',
      current: { kuaishou: 9900, youzan: 9900 },
      proposed: { kuaishou: 13_000 },
      limitBp: 1000,
      allowed: { kuaishou: 10_890 },
    });
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 9900, youzan: 9900 });
    expect(await history(sku)).toEqual([]);
    // Nothing written, but the refusal is kept and shown in the price history.
    expect((await ops(sku)).map((op) => [op.platform, op.status, op.priceFen, op.previousFen])).toEqual([
      ['kuaishou', 'refused', 13_000, 9900],
    ]);
    const shown = (await (await api(`/skus/${sku.code}/price-history`)).json()) as { writes: { status: string }[] };
    expect(shown.writes.map((w) => w.status)).toEqual(['refused']);

    // Floor and ceiling are a 422 with the allowed price.
    expect((await api(`/skus/${sku.code}/price-policy`, 'PUT', { ceilingFen: 10_000 })).status).toBe(200);
    const high = await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'youzan', priceFen: 10_500 });
    expect(high.status).toBe(422);
    expect(await high.json()).toMatchObject({ error: 'PRICE_OUT_OF_BOUNDS', allowed: { youzan: 10_000 } });
    // The master-price form too: a derived price beyond the ceiling is a 422, never clamped silently.
    const master = await api(`/skus/${sku.code}/price`, 'PUT', { priceFen: 10_500 });
    expect(master.status).toBe(422);
    expect(await master.json()).toMatchObject({
      error: 'PRICE_OUT_OF_BOUNDS',
      proposed: { kuaishou: 10_500, youzan: 10_500 },
      allowed: { kuaishou: 10_000, youzan: 10_000 },
    });
    await priceQuiet();
    expect(await history(sku)).toEqual([]);
    // Bad input is a 400 with field messages and changes nothing.
    const bad = await api(`/skus/${sku.code}/price`, 'PUT', { priceFen: -1, platform: 'taobao' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: { field: string }[] }).fields.map((f) => f.field).sort()).toEqual([
      'platform',
      'priceFen',
    ]);
    expect((await api('/price-policy', 'PUT', { parityLimitBp: 1500 })).status).toBe(400);
    expect(await livePrices(sku)).toEqual({ kuaishou: 9900, youzan: 9900 });
  });

  it('raises both platforms by 30 % in steps; no intermediate state seen by the emulators breaks the limit', async () => {
    const sku = await h.sku('PRICE-STEP', { onHand: 5 });
    const res = await api(`/skus/${sku.code}/price`, 'PUT', { priceFen: 12_870 });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as PriceChangeAccepted;
    expect(accepted.targets).toEqual({ kuaishou: 12_870, youzan: 12_870 });
    expect(accepted.steps.length).toBeGreaterThan(2);
    await priceQuiet();
    const changes = await history(sku);
    expect(changes.length).toBe(accepted.steps.length);
    const state = { kuaishou: 9900, youzan: 9900 };
    for (const change of changes) {
      state[change.platform] = change.priceFen;
      expect(withinLimit([state.kuaishou, state.youzan], 1000)).toBe(true);
    }
    expect(await livePrices(sku)).toEqual({ kuaishou: 12_870, youzan: 12_870 });
    expect((await ops(sku)).map((op) => op.status)).toEqual(accepted.steps.map(() => 'applied'));
    const hist = (await (await api(`/skus/${sku.code}/price-history`)).json()) as { writes: unknown[] };
    expect(hist.writes).toHaveLength(accepted.steps.length);
  });

  it('finds a 25 % back-office edit and corrects it per policy (master Youzan), recording the drift', async () => {
    const sku = await h.sku('PRICE-AUDIT', { onHand: 5 });
    expect((await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan' })).status).toBe(200);
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    const audit = await api('/price-audit', 'POST');
    expect(audit.status).toBe(202);
    expect(await audit.json()).toEqual({ shops: 2 });
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 9900, youzan: 9900 });
    const changes = await history(sku);
    expect(changes.map((c) => [c.platform, c.source, c.priceFen])).toEqual([
      ['kuaishou', 'control', 12_375],
      ['kuaishou', 'api', 9900],
    ]);
    const drifts = await h.db.dataSource.manager.findBy(PriceDriftEntity, { merchantSkuId: sku.merchantSkuId });
    expect(drifts.find((d) => d.platform === 'kuaishou')).toMatchObject({ observedFen: 12_375, spreadBp: 2500 });
    expect((await ops(sku)).map((op) => [op.platform, op.reason, op.status, op.priceFen])).toEqual([
      ['kuaishou', 'correction', 'applied', 9900],
    ]);
  });

  it('only alerts when the policy says so: a sync failure with the numbers, the price left as the merchant set it', async () => {
    const sku = await h.sku('PRICE-ALERT', { onHand: 5 });
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await h.stack.t.app.get(ParityAuditJob).enqueue();
    await priceQuiet();
    const failure = await eventually(
      () =>
        h.db.dataSource.manager.findOneBy(SyncFailureEntity, {
          entityRef: sku.merchantSkuId,
          operation: 'price.parity',
        }),
      30_000,
    );
    expect(failure.reason).toContain('25%');
    expect(await livePrices(sku)).toEqual({ kuaishou: 12_375, youzan: 9900 });
    expect(await ops(sku)).toEqual([]);
  });

  it('settles a write whose answer was lost after it was applied by reading the price back, without a second write', async () => {
    const sku = await h.sku('PRICE-LOST', { onHand: 5 });
    await h.stack.ksControl.resetCounters();
    await h.stack.ksControl.setFaults({ rules: [{ api: PRICE_API, dropResponseRate: 1 }] });
    try {
      const res = await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'kuaishou', priceFen: 10_500 });
      expect(res.status).toBe(202);
      await priceQuiet();
    } finally {
      await h.stack.ksControl.resetFaults();
    }
    const counters = await h.stack.ksControl.counters();
    expect(counters.faultsFired.response_dropped_after_apply).toBe(1);
    expect(counters.calls[PRICE_API]).toBe(1);
    expect(counters.writesApplied[PRICE_API]).toBe(1);
    expect((await history(sku)).map((c) => c.priceFen)).toEqual([10_500]);
    const [op] = await ops(sku);
    expect(op).toMatchObject({ status: 'applied', priceFen: 10_500, previousFen: 9900 });
    expect(op.note).toContain('read back');
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_500, youzan: 9900 });
  });
  it('settles a lost Youzan answer the same way (yuan on the wire, fen in the journal)', async () => {
    const sku = await h.sku('PRICE-LOST-YZ', { onHand: 5 });
    await h.stack.yzControl.resetCounters();
    await h.stack.yzControl.setFaults({ rules: [{ api: 'youzan.item.sku.update', dropResponseRate: 1 }] });
    try {
      expect((await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'youzan', priceFen: 9_490 })).status).toBe(202);
      await priceQuiet();
    } finally {
      await h.stack.yzControl.resetFaults();
    }
    const counters = await h.stack.yzControl.counters();
    expect(counters.faultsFired.response_dropped_after_apply).toBe(1);
    expect(counters.writesApplied['youzan.item.sku.update']).toBe(1);
    expect((await history(sku)).map((c) => [c.platform, c.priceFen])).toEqual([['youzan', 9_490]]);
    expect(await ops(sku)).toEqual([expect.objectContaining({ status: 'applied', priceFen: 9_490 })]);
  });

  it('keeps the parity limit at 10 % unless an admin allows more, and lets a SKU override fall back to the defaults', async () => {
    expect((await api('/price-policy', 'PUT', { parityLimitBp: 1500 })).status).toBe(400);
    const admin = await createTestUser(h.stack.t.app, 'admin');
    const allow = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/price-policy/allowance`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: admin.bearer },
      body: JSON.stringify({ parityAllowanceBp: 1500 }),
    });
    expect(allow.status).toBe(200);
    expect((await api('/price-policy', 'PUT', { parityLimitBp: 1500, roundingEndingFen: 90 })).status).toBe(200);
    const sku = await h.sku('PRICE-POLICY', { onHand: 5 });
    expect((await api(`/skus/${sku.code}/price-policy`, 'PUT', { parityLimitBp: 500 })).status).toBe(200);
    expect(await (await api(`/skus/${sku.code}/price-policy`)).json()).toMatchObject({
      parityLimitBp: 500,
      roundingEndingFen: 90,
      master: 'erp',
    });
    expect((await api(`/skus/${sku.code}/price-policy`, 'PUT', { parityLimitBp: null })).status).toBe(200);
    // A floor above the effective ceiling (from the defaults) is refused and nothing is kept.
    expect((await api('/price-policy', 'PUT', { ceilingFen: 20_000 })).status).toBe(200);
    const clash = await api(`/skus/${sku.code}/price-policy`, 'PUT', { floorFen: 25_000, parityLimitBp: 200 });
    expect(clash.status).toBe(400);
    expect(await (await api(`/skus/${sku.code}/price-policy`)).json()).toMatchObject({
      floorFen: null,
      parityLimitBp: 1500,
    });
    expect((await api('/price-policy', 'PUT', { ceilingFen: null })).status).toBe(200);
    expect(await (await api(`/skus/${sku.code}/price-policy`)).json()).toMatchObject({ parityLimitBp: 1500 });
    // Back to the default for the tests after this one.
    expect((await api('/price-policy', 'PUT', { parityLimitBp: 1000, roundingEndingFen: null })).status).toBe(200);
  });
  it('settles a write its writer never saw answered (a crash) by reading it back, never by writing again', async () => {
    const sku = await h.sku('PRICE-CRASH', { onHand: 5 });
    const binding = await bindingOf(sku, 'kuaishou');
    // The writer journaled 10 200 fen, the platform applied it, then the process died before the answer.
    await h.db.dataSource.manager.insert(PriceWriteOpEntity, {
      id: randomUUID(),
      bindingId: binding,
      merchantSkuId: sku.merchantSkuId,
      platform: 'kuaishou',
      priceFen: 10_200,
      previousFen: 9900,
      reason: 'api',
      status: 'pending',
      note: null,
      createdAt: Date.now() - 60_000,
      settledAt: null,
    });
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 10_200 });
    await h.stack.ksControl.resetCounters();
    expect(await h.stack.t.app.get(ParityAuditJob).enqueueSettlement()).toBe(1);
    await priceQuiet();
    const [op] = await ops(sku);
    expect(op).toMatchObject({ status: 'applied', priceFen: 10_200 });
    expect(op.note).toContain('writer gone before the answer; read back');
    expect((await h.stack.ksControl.counters()).calls[PRICE_API] ?? 0).toBe(0);
  });
  const sendErpPrices = (updates: { skuCode: string; priceFen: number; sequence: number }[], deliveryId?: string) =>
    h.sendErpPrices(updates, deliveryId);

  it('takes signed ERP prices (master ERP): derived per platform, written in steps, stale and repeated deliveries ignored', async () => {
    const sku = await h.sku('PRICE-ERP', { onHand: 5 });
    expect(
      (
        await api(`/skus/${sku.code}/price-policy`, 'PUT', {
          adjustments: { youzan: { percentBp: 500 } },
          roundingEndingFen: 90,
        })
      ).status,
    ).toBe(200);
    const delivery = randomUUID();
    const first = await sendErpPrices([{ skuCode: sku.code, priceFen: 12_000, sequence: 5 }], delivery);
    expect(first).toEqual({
      status: 200,
      body: { deliveryId: delivery, duplicate: false, results: [{ skuCode: sku.code, outcome: 'applied' }] },
    });
    expect((await sendErpPrices([{ skuCode: sku.code, priceFen: 12_000, sequence: 5 }], delivery)).body.duplicate).toBe(
      true,
    );
    // The delivery is claimed under the whole merchant id (never a cut one another merchant could share).
    const claimed = await h.db.dataSource.query('SELECT source FROM webhook_delivery WHERE delivery_id = ?', [
      delivery,
    ]);
    expect(claimed).toEqual([{ source: `prc:${h.merchantId}` }]);
    expect((await sendErpPrices([{ skuCode: sku.code, priceFen: 5_000, sequence: 4 }])).body.results).toEqual([
      { skuCode: sku.code, outcome: 'stale' },
    ]);
    await priceQuiet();
    // 12 000 → ¥119.90 on Kuaishou; +5 % = 12 600 → ¥125.90 on Youzan.
    expect(await livePrices(sku)).toEqual({ kuaishou: 11_990, youzan: 12_590 });
    const state = { kuaishou: 9900, youzan: 9900 };
    for (const change of await history(sku)) {
      state[change.platform] = change.priceFen;
      expect(withinLimit([state.kuaishou, state.youzan], 1000)).toBe(true);
    }
    expect((await ops(sku)).every((op) => op.reason === 'erp' && op.status === 'applied')).toBe(true);
    // Derived prices that break the limit among themselves are refused with the numbers.
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { adjustments: { youzan: { percentBp: 2000 } } })).status,
    ).toBe(200);
    const refused = await sendErpPrices([{ skuCode: sku.code, priceFen: 12_000, sequence: 6 }]);
    expect(refused.body.results).toEqual([
      {
        skuCode: sku.code,
        outcome: 'refused',
        proposed: { kuaishou: 11_990, youzan: 14_390 },
        limitBp: 1000,
        spreadBp: 2002,
      },
    ]);
    expect(
      (await ops(sku)).filter((op) => op.status === 'refused').map((op) => [op.platform, op.reason, op.priceFen]),
    ).toEqual(
      expect.arrayContaining([
        ['kuaishou', 'erp', 11_990],
        ['youzan', 'erp', 14_390],
      ]),
    );
  });
  const bindingOf = (sku: SkuFixture, platform: 'kuaishou' | 'youzan') => h.bindingOf(sku, platform);

  /** A price event handed to the writer again (a retried or dead-lettered event replayed later). */
  const replay = (payload: {
    merchantSkuId: string;
    reason: 'api' | 'erp';
    targets: Record<string, number>;
    requestedAt: number;
    sequence?: number;
  }) => h.db.transaction(() => h.stack.t.app.get(OutboxService).enqueue(priceChangedTopic, payload));

  it('drops a replayed ERP price event older than the kept ERP price: seq 7 replayed after seq 8 writes nothing', async () => {
    const sku = await h.sku('PRICE-REPLAY-ERP', { onHand: 5 });
    const [ks, yz] = [await bindingOf(sku, 'kuaishou'), await bindingOf(sku, 'youzan')];
    const before7 = Date.now();
    expect((await sendErpPrices([{ skuCode: sku.code, priceFen: 10_000, sequence: 7 }])).body.results).toEqual([
      { skuCode: sku.code, outcome: 'applied' },
    ]);
    await priceQuiet();
    const at7 = await livePrices(sku);
    expect((await sendErpPrices([{ skuCode: sku.code, priceFen: 10_500, sequence: 8 }])).body.results).toEqual([
      { skuCode: sku.code, outcome: 'applied' },
    ]);
    await priceQuiet();
    const at8 = await livePrices(sku);
    expect(at8).not.toEqual(at7);
    const changes = (await history(sku)).length;
    await replay({
      merchantSkuId: sku.merchantSkuId,
      reason: 'erp',
      targets: { [ks]: at7.kuaishou, [yz]: at7.youzan },
      requestedAt: before7,
      sequence: 7,
    });
    await priceQuiet();
    expect(await livePrices(sku)).toEqual(at8);
    expect(await history(sku)).toHaveLength(changes);
  });

  it('drops a replayed API price event when a newer change was written after it was requested', async () => {
    const sku = await h.sku('PRICE-REPLAY-API', { onHand: 5 });
    const ks = await bindingOf(sku, 'kuaishou');
    const first = Date.now();
    expect((await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'kuaishou', priceFen: 10_200 })).status).toBe(202);
    await priceQuiet();
    expect((await api(`/skus/${sku.code}/price`, 'PUT', { platform: 'kuaishou', priceFen: 10_400 })).status).toBe(202);
    await priceQuiet();
    await replay({ merchantSkuId: sku.merchantSkuId, reason: 'api', targets: { [ks]: 10_200 }, requestedAt: first });
    await priceQuiet();
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_400, youzan: 9900 });
    expect((await history(sku)).map((c) => c.priceFen)).toEqual([10_200, 10_400]);
  });

  it('resolves a refused price plan once a later plan for the SKU works', async () => {
    const sku = await h.sku('PRICE-PLAN-RESOLVE', { onHand: 5 });
    expect((await sendErpPrices([{ skuCode: sku.code, priceFen: 10_000, sequence: 1 }])).status).toBe(200);
    await priceQuiet();
    // The policy changes before the writer gets the event again: the derived prices break the limit.
    const policy = (adjustments: unknown) => api(`/skus/${sku.code}/price-policy`, 'PUT', { adjustments });
    expect((await policy({ youzan: { percentBp: 2000 } })).status).toBe(200);
    await replay({
      merchantSkuId: sku.merchantSkuId,
      reason: 'erp',
      targets: {},
      requestedAt: Date.now(),
      sequence: 1,
    });
    await priceQuiet();
    const refused = () =>
      h.db.dataSource.manager.findOneBy(SyncFailureEntity, {
        entityRef: sku.merchantSkuId,
        operation: 'price.plan',
      });
    expect(await refused()).toMatchObject({ status: 'open', errorCode: 'PARITY_REFUSED' });
    expect((await policy({ youzan: { percentBp: 500 } })).status).toBe(200);
    await replay({
      merchantSkuId: sku.merchantSkuId,
      reason: 'erp',
      targets: {},
      requestedAt: Date.now(),
      sequence: 1,
    });
    await priceQuiet();
    expect((await refused())?.status).toBe('resolved');
    expect(await livePrices(sku)).toEqual({ kuaishou: 10_000, youzan: 10_500 });
  });

  it('finds spreads beyond the limit DB-side in one grouped query, exact at the limit', async () => {
    const repo = h.stack.t.app.get(PricingRepository);
    const skus = [await h.sku('PRICE-DB-A', { onHand: 1 }), await h.sku('PRICE-DB-B', { onHand: 1 })];
    const row = async (sku: SkuFixture, platform: 'kuaishou' | 'youzan', priceFen: number) =>
      Object.assign(new ListingPriceEntity(), {
        bindingId: await bindingOf(sku, platform),
        merchantId: h.merchantId,
        merchantSkuId: sku.merchantSkuId,
        platform,
        priceFen,
        observedAt: Date.now(),
      });
    const rows = [
      await row(skus[0], 'kuaishou', 10_000),
      await row(skus[0], 'youzan', 11_000), // exactly 10 %: within
      await row(skus[1], 'kuaishou', 10_000),
      await row(skus[1], 'youzan', 11_001), // just over
    ];
    await h.db.transaction(() => repo.observe(rows));
    const ids = skus.map((s) => s.merchantSkuId);
    expect(
      (await repo.spreadViolations(1000, { merchantId: h.merchantId }))
        .filter((v) => ids.includes(v.merchantSkuId))
        .map((v) => [v.merchantSkuId, v.minFen, v.maxFen]),
    ).toEqual([[skus[1].merchantSkuId, 10_000, 11_001]]);
  });
});
