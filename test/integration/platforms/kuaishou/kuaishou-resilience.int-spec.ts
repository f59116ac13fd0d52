import { KuaishouCall, KuaishouEnvelope, KuaishouHttpClient } from '@app/platforms/kuaishou/kuaishou-http.client';
import { KuaishouSignMethod } from '@app/platforms/kuaishou/kuaishou-signer';
import { PlatformError } from '@app/platforms/platform-error';
import { KuaishouHarness, seedItem, startKuaishouHarness } from './kuaishou.harness';

const ITEM_GET = 'open.item.get';

/** Records when each request leaves the client. */
class RecordingHttpClient extends KuaishouHttpClient {
  readonly sentAt: number[] = [];
  override call(call: KuaishouCall, signMethod?: KuaishouSignMethod): Promise<KuaishouEnvelope> {
    this.sentAt.push(Date.now());
    return super.call(call, signMethod);
  }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e as PlatformError,
  );

describe('Kuaishou client resilience against the emulator', () => {
  it('opens the breaker under injected failures, fails fast while open, and closes after recovery', async () => {
    const h = await startKuaishouHarness({
      gateway: { retryAttempts: 1, breaker: { errorThresholdPercent: 50, volumeThreshold: 4, resetTimeoutMs: 300 } },
    });
    try {
      const { itemId } = await seedItem(h);
      await h.control.setFaults({ rules: [{ api: ITEM_GET, errorRate: 1, error: 'system' }] });
      const failures: (PlatformError | undefined)[] = [];
      for (let i = 0; i < 8 && h.gateway.breakerState() !== 'open'; i++)
        failures.push(await failure(h.channels.catalog.getItem(h.shop, itemId)));
      expect(h.gateway.breakerState()).toBe('open');
      expect(failures.length).toBeGreaterThanOrEqual(2);
      for (const f of failures)
        expect(f).toMatchObject({ code: 'TEMPORARY', rawCode: '2', rawMessage: '系统繁忙，请稍后重试' });
      const reached = (await h.control.counters()).calls[ITEM_GET];
      const fastFailure = await failure(h.channels.catalog.getItem(h.shop, itemId));
      expect(fastFailure?.message).toContain('circuit breaker is open');
      expect((await h.control.counters()).calls[ITEM_GET]).toBe(reached);

      await h.control.resetFaults();
      expect((await h.control.setFaults({})).rules).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect((await h.channels.catalog.getItem(h.shop, itemId)).itemId).toBe(itemId);
      expect(h.gateway.breakerState()).toBe('closed');
    } finally {
      await h.stop();
    }
  });

  it('holds the configured per-API QPS: calls reaching the platform never exceed it in any second', async () => {
    const emulatorHarness = await startKuaishouHarness({ rateLimits: { [ITEM_GET]: 5 } });
    const http = new RecordingHttpClient(
      { ...emulatorHarness.config },
      { timeoutMs: 2_000, clock: emulatorHarness.emulator.clock },
    );
    const { createKuaishouChannels } = await import('@app/platforms/kuaishou/kuaishou.channels');
    const channel = createKuaishouChannels(emulatorHarness.config, emulatorHarness.gateway, emulatorHarness.tokens, {
      http,
    });
    try {
      const { itemId } = await seedItem(emulatorHarness);
      // The limiter counts fixed 1-second windows, so a sliding second may see up to twice the rate
      // across a window boundary; the emulator throttles only above that.
      await emulatorHarness.control.setFaults({ rules: [{ api: ITEM_GET, maxQps: 10 }] });
      const started = Date.now();
      await Promise.all(Array.from({ length: 15 }, () => channel.catalog.getItem(emulatorHarness.shop, itemId)));
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(1_900);
      // At most 5 calls leave per second: any 6 consecutive calls span about a second. The times are
      // taken when each request is handed to the HTTP client, so a stalled event loop on a loaded
      // machine can bunch them; half a second still fails a limiter that lets the burst through
      // (15 calls within a few ms), and the emulator's own count below is the exact check.
      const sent = [...http.sentAt].sort((x, y) => x - y);
      const spans = sent.slice(5).map((at, i) => at - sent[i]);
      expect(Math.min(...spans)).toBeGreaterThanOrEqual(500);
      const counters = await emulatorHarness.control.counters();
      expect(counters.calls[ITEM_GET]).toBe(15);
      expect(counters.rejected.throttled ?? 0).toBe(0);
    } finally {
      await emulatorHarness.stop();
    }
  });

  describe('injected faults', () => {
    let h: KuaishouHarness;
    let itemId: string;
    beforeAll(async () => {
      h = await startKuaishouHarness({
        gateway: {
          retryAttempts: 3,
          breaker: { errorThresholdPercent: 99, volumeThreshold: 1_000, resetTimeoutMs: 1_000 },
        },
      });
      itemId = (await seedItem(h)).itemId;
    });
    afterAll(() => h.stop());
    beforeEach(async () => {
      await h.control.resetFaults();
      await h.control.resetCounters();
    });

    it('waits out the platform’s QPS throttling (retry-after one second) until every call gets through', async () => {
      await h.control.setFaults({ rules: [{ api: 'open.item.category.config', maxQps: 2 }] });
      const results = await Promise.all(
        Array.from({ length: 6 }, () => failure(h.channels.catalog.getCategoryProperties(h.shop, '1125'))),
      );
      const throttled = results.filter((e): e is PlatformError => e !== undefined);
      // Retried after the 1 s retry-after, every call finally gets through.
      expect(throttled).toEqual([]);
      const counters = await h.control.counters();
      expect(counters.rejected.throttled).toBeGreaterThanOrEqual(4);
    });

    it('answers a throttled call with RATE_LIMITED and a retry-after of one second', async () => {
      const single = await startKuaishouHarness({ gateway: { retryAttempts: 1 } });
      try {
        const { itemId: id } = await seedItem(single);
        await single.control.setFaults({ rules: [{ api: ITEM_GET, throttleRate: 1 }] });
        const error = await failure(single.channels.catalog.getItem(single.shop, id));
        expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1_000 });
        expect(error?.rawMessage).toMatch(
          /^Exceed qps limit, KEY \[apiId:\d+;appkey:ks_sandbox_app\], MAX_QPS \[300\.0\]$/,
        );
      } finally {
        await single.stop();
      }
    });

    it('adds latency without failing the call', async () => {
      await h.control.setFaults({ rules: [{ api: ITEM_GET, latencyMs: 250 }] });
      const started = Date.now();
      await h.channels.catalog.getItem(h.shop, itemId);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('retries reads through HTTP 502 but gives up after the configured attempts', async () => {
      await h.control.setFaults({ rules: [{ api: ITEM_GET, httpErrorRate: 1 }] });
      expect(await failure(h.channels.catalog.getItem(h.shop, itemId))).toMatchObject({
        code: 'TEMPORARY',
        rawCode: 'HTTP_502',
      });
      expect((await h.control.counters()).calls[ITEM_GET]).toBe(3);
      await h.control.setFaults({ rules: [{ api: ITEM_GET, httpErrorRate: 0.5 }], seed: 11 });
      const results = await Promise.all(
        Array.from({ length: 8 }, () => failure(h.channels.catalog.getItem(h.shop, itemId))),
      );
      expect(results.filter(Boolean).length).toBeLessThan(8);
    });

    it('retries a read after a dropped connection (reads are safe to repeat)', async () => {
      await h.control.setFaults({ rules: [{ api: ITEM_GET, dropResponseRate: 0.5 }], seed: 3 });
      const results = await Promise.all(
        Array.from({ length: 6 }, () => failure(h.channels.catalog.getItem(h.shop, itemId))),
      );
      expect(results.filter(Boolean).length).toBeLessThan(3);
      expect((await h.control.counters()).calls[ITEM_GET]).toBeGreaterThan(6);
    });

    it('refreshes and retries once when the platform says the token expired', async () => {
      const refreshesBefore = h.tokens.refreshes;
      await h.control.setFaults({
        rules: [{ api: 'open.item.category.optional.get', errorRate: 1, error: 'token_expired' }],
      });
      await expect(h.channels.catalog.getCategories(h.shop)).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
      expect(h.tokens.refreshes).toBe(refreshesBefore + 1);
      expect((await h.control.counters()).calls['open.item.category.optional.get']).toBe(2);
    });

    it('does not sleep through a daily quota: the error reaches the caller with the wait until reset', async () => {
      await h.control.setFaults({ rules: [{ api: ITEM_GET, errorRate: 1, error: 'quota' }] });
      const started = Date.now();
      const error = await failure(h.channels.catalog.getItem(h.shop, itemId));
      expect(error).toMatchObject({ code: 'RATE_LIMITED' });
      expect(error?.retryAfterMs).toBeGreaterThan(10_000);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect((await h.control.counters()).calls[ITEM_GET]).toBe(1);
    });

    it('lets a reset remove every fault', async () => {
      await h.control.setFaults({ rules: [{ api: '*', errorRate: 1 }], push: { lossRate: 1 } });
      await expect(h.channels.catalog.getItem(h.shop, itemId)).rejects.toBeInstanceOf(PlatformError);
      const cleared = await h.control.resetFaults();
      expect(cleared).toEqual({ rules: [], push: { lossRate: 0, duplicateRate: 0, delayMs: 0 } });
      expect((await h.channels.catalog.getItem(h.shop, itemId)).itemId).toBe(itemId);
    });
  });
});
