import { ShopRef, SkuRef } from '@app/platforms/ports/platform.types';
import { PlatformError } from '@app/platforms/platform-error';
import { createYouzanChannels } from '@app/platforms/youzan/youzan.channels';
import { PlatformGateway } from '@app/platforms/shared/platform-gateway';
import { startYouzanHarness, testGatewayOptions, YouzanHarness, failure } from './youzan-harness';

async function setup(h: YouzanHarness, stock = 10): Promise<{ shop: ShopRef; sku: SkuRef }> {
  const shop = await h.connectShop();
  const item = await h.control.createItem({
    kdtId: Number(shop.shopId),
    title: '韧性测试',
    skus: [{ itemNo: 'R-1', priceFen: 500, stock }],
  });
  return { shop, sku: { itemId: item.itemId, skuId: item.skus[0].skuId } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Youzan channels resilience against injected faults', () => {
  describe('stock writes with a dropped response', () => {
    let h: YouzanHarness;
    let shop: ShopRef;
    let sku: SkuRef;

    beforeAll(async () => {
      h = await startYouzanHarness();
    });
    afterAll(() => h.close());
    beforeEach(async () => {
      ({ shop, sku } = await setup(h));
      await h.control.resetFaults();
      await h.control.resetCounters();
    });

    it('returns outcome unknown for an incremental write whose answer was dropped: applied once, never retried', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.quantity.update', dropResponseRate: 1 }] });
      const result = await h.channels.stock.adjustSkuStock(shop, sku, 3, 'op-drop-1');
      expect(result.outcome).toBe('unknown');
      const counters = await h.control.counters();
      expect(counters.calls['youzan.item.quantity.update']).toBe(1);
      expect(counters.writesApplied['youzan.item.quantity.update']).toBe(1);
      expect(counters.duplicateOperationIds).toBe(0);
      // The caller settles by reading back: the delta landed exactly once.
      await h.control.resetFaults();
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(13);
    });

    it('counts a double apply when the same incremental operation is sent again', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.quantity.update', dropResponseRate: 1, times: 1 }] });
      expect((await h.channels.stock.adjustSkuStock(shop, sku, 2, 'op-naive')).outcome).toBe('unknown');
      // A naive caller that retries blindly applies the delta twice — what the counter exists to catch.
      expect(await h.channels.stock.adjustSkuStock(shop, sku, 2, 'op-naive')).toEqual({ outcome: 'applied' });
      expect((await h.control.counters()).duplicateOperationIds).toBe(1);
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(14);
    });

    it('sends the emulator-only operation id header only when configured to (the real gateway never sees it)', async () => {
      const real = await startYouzanHarness({ channel: { http: { timeoutMs: 5_000, sendOperationId: false } } });
      try {
        const target = await setup(real);
        await real.control.resetCounters();
        expect(await real.channels.stock.adjustSkuStock(target.shop, target.sku, 2, 'op-same')).toEqual({
          outcome: 'applied',
        });
        expect(await real.channels.stock.adjustSkuStock(target.shop, target.sku, 2, 'op-same')).toEqual({
          outcome: 'applied',
        });
        // The emulator counts repeats of the header; without it there is nothing to count.
        expect((await real.control.counters()).duplicateOperationIds).toBe(0);
        expect(await real.channels.stock.getSkuStock(target.shop, target.sku)).toBe(14);
      } finally {
        await real.close();
      }
    });

    it('retries an absolute write after a dropped answer and lands on the target', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.quantity.update', dropResponseRate: 1, times: 1 }] });
      expect(await h.channels.stock.setSkuStock(shop, sku, 42, 'op-abs-1')).toEqual({ outcome: 'applied' });
      const counters = await h.control.counters();
      expect(counters.calls['youzan.item.quantity.update']).toBe(2);
      expect(counters.writesApplied['youzan.item.quantity.update']).toBe(2);
      expect(counters.duplicateOperationIds).toBe(0);
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(42);
    });

    it('returns outcome unknown when the answer is slower than the client timeout, and the write still lands', async () => {
      const impatient = createYouzanChannels(h.config, h.gateway, h.tokens, { http: { timeoutMs: 100 } });
      await h.control.setFaults({ rules: [{ api: 'youzan.item.quantity.update', latencyMs: 300 }] });
      const started = Date.now();
      const result = await impatient.stock.adjustSkuStock(shop, sku, -4, 'op-slow');
      expect(result.outcome).toBe('unknown');
      expect(Date.now() - started).toBeLessThan(300);
      await sleep(350);
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(6);
      expect((await h.control.counters()).calls['youzan.item.quantity.update']).toBe(1);
    });

    it('adds latency to reads', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.get', latencyMs: 250 }] });
      const started = Date.now();
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(10);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('treats an HTTP 502 from the gateway as TEMPORARY; on an incremental write the outcome is unknown', async () => {
      await h.control.setFaults({ rules: [{ api: '*', httpErrorRate: 1 }] });
      expect(await failure(h.channels.stock.getSkuStock(shop, sku))).toMatchObject({
        code: 'TEMPORARY',
        rawCode: 'HTTP_502',
      });
      expect((await h.channels.stock.adjustSkuStock(shop, sku, 1, 'op-502')).outcome).toBe('unknown');
      const counters = await h.control.counters();
      expect(counters.rejected['http:502']).toBe(4);
      expect(counters.writesApplied).toEqual({});
      await h.control.resetFaults();
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(10);
    });
  });

  describe('injected errors and throttling', () => {
    let h: YouzanHarness;
    let shop: ShopRef;
    let sku: SkuRef;

    beforeAll(async () => {
      h = await startYouzanHarness();
      ({ shop, sku } = await setup(h));
    });
    afterAll(() => h.close());
    beforeEach(async () => {
      await h.control.resetFaults();
      await h.control.resetCounters();
    });

    it('retries a read through transient errors that carry the real body', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.get', errorRate: 1, times: 2 }] });
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(10);
      const counters = await h.control.counters();
      expect(counters.rejected).toEqual({ 'business:106000001': 2 });
      expect(counters.calls['youzan.item.get']).toBe(3);
    });

    it.each([
      ['no_permission', 'INSUFFICIENT_SCOPE', '4204'],
      ['gateway_system', 'INVALID_REQUEST', '5001'],
      ['throttle_legacy', 'RATE_LIMITED', '500100004'],
      ['throttle_business', 'RATE_LIMITED', '123000042'],
      ['legacy', 'INVALID_REQUEST', '50000'],
      ['not_found', 'NOT_FOUND', '5000'],
      ['plugin', 'UNKNOWN', '5003'],
    ])('normalizes the injected %s error to %s', async (kind, code, rawCode) => {
      await h.control.setFaults({ rules: [{ api: 'youzan.itemcategories.get', errorRate: 1, error: kind }] });
      expect(await failure(h.channels.catalog.getCategories(shop))).toMatchObject({ code, rawCode });
    });

    it('backs off through gateway throttling (4101) and then succeeds', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.get', throttleRate: 1, times: 2 }] });
      const started = Date.now();
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(10);
      // Throttle backoff configured as 20 ms, then 40 ms (production: the doc's 3 s, 6 s, 12 s…).
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
      expect((await h.control.counters()).rejected).toEqual({ 'gateway:4101': 2 });
    });

    it('does not retry a throttled incremental write and reports RATE_LIMITED with a growing retry-after', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.quantity.update', throttleRate: 1 }] });
      const first = await failure(h.channels.stock.adjustSkuStock(shop, sku, 1, 'op-t1'));
      const second = await failure(h.channels.stock.adjustSkuStock(shop, sku, 1, 'op-t2'));
      expect([first.code, first.retryAfterMs, second.retryAfterMs]).toEqual(['RATE_LIMITED', 20, 40]);
      expect((await h.control.counters()).calls['youzan.item.quantity.update']).toBe(2);
      await h.control.resetFaults();
      expect(await h.channels.stock.adjustSkuStock(shop, sku, 1, 'op-t3')).toEqual({ outcome: 'applied' });
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(11);
    });

    it('throttles calls above the emulated per-API QPS', async () => {
      await h.control.setFaults({ rules: [{ api: 'youzan.item.get', maxQps: 3 }] });
      const gateway = new PlatformGateway(testGatewayOptions({ retryAttempts: 1 }), h.metrics);
      const noRetry = createYouzanChannels(h.config, gateway, h.tokens);
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => noRetry.stock.getSkuStock(shop, sku)));
      gateway.shutdown();
      const limited = results.filter(
        (r) => r.status === 'rejected' && (r.reason as PlatformError).code === 'RATE_LIMITED',
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(limited).toHaveLength(3);
    });

    it('stops injecting after the faults are reset', async () => {
      await h.control.setFaults({ rules: [{ api: '*', errorRate: 1 }], push: { lossRate: 1 } });
      expect((await h.control.getFaults()).rules).toHaveLength(1);
      await h.control.resetFaults();
      expect(await h.control.getFaults()).toEqual({ rules: [], push: { lossRate: 0, duplicateRate: 0, delayMs: 0 } });
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(11);
    });
  });

  describe('circuit breaker', () => {
    let h: YouzanHarness;

    beforeAll(async () => {
      h = await startYouzanHarness({
        gateway: { retryAttempts: 1, breaker: { errorThresholdPercent: 50, volumeThreshold: 4, resetTimeoutMs: 300 } },
      });
    });
    afterAll(() => h.close());

    it('opens under repeated outages, fails fast without calling Youzan, and closes after recovery', async () => {
      const { shop, sku } = await setup(h);
      await h.control.setFaults({ rules: [{ api: 'youzan.item.get', errorRate: 1 }] });
      await h.control.resetCounters();
      for (let i = 0; i < 5; i++)
        expect(await failure(h.channels.stock.getSkuStock(shop, sku))).toMatchObject({ code: 'TEMPORARY' });
      expect(h.gateway.breakerState()).toBe('open');
      const metrics = await h.metrics.render();
      expect(metrics.body).toContain('kwaizan_platform_breaker_state{platform="youzan",group="youzan"} 2');

      const callsWhileOpen = (await h.control.counters()).calls['youzan.item.get'];
      const fastFail = await failure(h.channels.stock.getSkuStock(shop, sku));
      expect(fastFail.message).toContain('circuit breaker is open');
      expect((await h.control.counters()).calls['youzan.item.get']).toBe(callsWhileOpen);

      await h.control.resetFaults();
      await sleep(350);
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(10);
      expect(h.gateway.breakerState()).toBe('closed');
    });

    it('does not open for business rejections (the platform answered)', async () => {
      const { shop, sku } = await setup(h);
      for (let i = 0; i < 6; i++)
        expect(await failure(h.channels.stock.adjustSkuStock(shop, sku, -100, `op-neg-${i}`))).toMatchObject({
          code: 'INVALID_REQUEST',
        });
      expect(h.gateway.breakerState()).toBe('closed');
    });
  });

  describe('rate limiter', () => {
    let h: YouzanHarness;

    beforeAll(async () => {
      h = await startYouzanHarness({ gateway: { apiQps: { 'youzan.item.get': 5 } } });
    });
    afterAll(() => h.close());

    it('holds the configured per-API QPS', async () => {
      const { shop, sku } = await setup(h);
      await h.control.resetCounters();
      const started = Date.now();
      const all = Promise.all(Array.from({ length: 12 }, () => h.channels.stock.getSkuStock(shop, sku)));
      await sleep(400);
      expect((await h.control.counters()).calls['youzan.item.get']).toBe(5);
      const results = await all;
      expect(results.every((r) => r === 10)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      expect((await h.control.counters()).calls['youzan.item.get']).toBe(12);
    });
  });
});
