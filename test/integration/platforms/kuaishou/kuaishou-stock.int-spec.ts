import { PlatformError } from '@app/platforms/platform-error';
import { KuaishouHarness, rawGatewayCall, seedItem, startKuaishouHarness, waitFor } from './kuaishou.harness';

const STOCK_API = 'open.item.sku.stock.update';

describe('Kuaishou stock against the emulator', () => {
  let h: KuaishouHarness;
  beforeAll(async () => {
    h = await startKuaishouHarness();
  });
  afterAll(() => h.stop());
  afterEach(async () => {
    await h.control.resetFaults();
  });

  it('applies increments and decrements, and makes no call for a zero delta', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 10 }]);
    const sku = { itemId, skuId: skuIds[0] };
    expect(await h.channels.stock.adjustSkuStock(h.shop, sku, 5, 'op-a1')).toEqual({ outcome: 'applied' });
    expect(await h.channels.stock.adjustSkuStock(h.shop, sku, -3, 'op-a2')).toEqual({ outcome: 'applied' });
    const before = (await h.control.counters()).calls[STOCK_API] ?? 0;
    expect(await h.channels.stock.adjustSkuStock(h.shop, sku, 0, 'op-a3')).toEqual({ outcome: 'applied' });
    expect((await h.control.counters()).calls[STOCK_API] ?? 0).toBe(before);
    expect(await h.channels.stock.getSkuStock(h.shop, sku)).toBe(12);
  });

  it('sends the emulator-only operation id header only when configured to (the real gateway never sees it)', async () => {
    const real = await startKuaishouHarness({ channel: { sendOperationId: false } });
    try {
      const { itemId, skuIds } = await seedItem(real, [{ stock: 10 }]);
      const sku = { itemId, skuId: skuIds[0] };
      await real.control.resetCounters();
      expect(await real.channels.stock.adjustSkuStock(real.shop, sku, 4, 'op-same')).toEqual({ outcome: 'applied' });
      expect(await real.channels.stock.adjustSkuStock(real.shop, sku, 4, 'op-same')).toEqual({ outcome: 'applied' });
      // The emulator counts repeats of the header; without it there is nothing to count.
      expect((await real.control.counters()).duplicateOperationIds).toBe(0);
      expect(await real.channels.stock.getSkuStock(real.shop, sku)).toBe(18);
    } finally {
      await real.stop();
    }
  });

  it('refuses to go below the activity reserve with result 21, leaving the stock alone', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 10, reserveStock: 8 }]);
    const error = (await h.channels.stock
      .adjustSkuStock(h.shop, { itemId, skuId: skuIds[0] }, -3, 'op-r1')
      .catch((e: unknown) => e)) as PlatformError;
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '21', rawMessage: '当前库存不足，请减少预留数量' });
    const raw = await rawGatewayCall(h, {
      api: STOCK_API,
      accessToken: await h.tokens.accessToken(h.shop),
      param: `{"kwaiItemId":${itemId},"skuId":${skuIds[0]},"skuChangeStock":3,"changeType":2}`,
    });
    expect(raw.body).toMatchObject({ result: 21, error_msg: '当前库存不足，请减少预留数量' });
    expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(10);
    await expect(h.channels.stock.setSkuStock(h.shop, { itemId, skuId: skuIds[0] }, 7, 'op-r2')).rejects.toMatchObject({
      rawMessage: '当前库存不足，请减少预留数量',
    });
  });

  it('refuses a change the platform does not accept (≥ 9,999,999) before calling', async () => {
    const { itemId, skuIds } = await seedItem(h);
    await expect(
      h.channels.stock.adjustSkuStock(h.shop, { itemId, skuId: skuIds[0] }, 9_999_999, 'op-big'),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('sets an absolute quantity through an item edit and a price in fen', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 10, price: 2_500 }]);
    expect(await h.channels.stock.setSkuStock(h.shop, { itemId, skuId: skuIds[0] }, 42, 'op-s1')).toEqual({
      outcome: 'applied',
    });
    await h.channels.prices.setSkuPrice(h.shop, { itemId, skuId: skuIds[0] }, 2_390);
    expect(await h.control.getSku(itemId, skuIds[0])).toMatchObject({ stock: 42, price: 2_390 });
  });

  it('returns outcome unknown for a dropped response: applied once, never retried, settled by reading back', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 10 }]);
    const sku = { itemId, skuId: skuIds[0] };
    await h.control.resetCounters();
    await h.control.setFaults({ rules: [{ api: STOCK_API, dropResponseRate: 1 }] });
    const result = await h.channels.stock.adjustSkuStock(h.shop, sku, 4, 'op-drop-1');
    expect(result.outcome).toBe('unknown');
    const counters = await h.control.counters();
    expect(counters.calls[STOCK_API]).toBe(1);
    expect(counters.writesApplied[STOCK_API]).toBe(1);
    await h.control.resetFaults();
    expect(await h.channels.stock.getSkuStock(h.shop, sku)).toBe(14);

    // What a blind retry would have done: the emulator counts the double apply.
    await h.channels.stock.adjustSkuStock(h.shop, sku, 4, 'op-drop-1');
    expect((await h.control.counters()).duplicateOperationIds).toBe(1);
    expect(await h.channels.stock.getSkuStock(h.shop, sku)).toBe(18);
  });

  it('returns outcome unknown when the write times out, although the platform applied it', async () => {
    const slow = await startKuaishouHarness({ channel: { timeoutMs: 150 } });
    try {
      const { itemId, skuIds } = await seedItem(slow, [{ stock: 10 }]);
      await slow.control.setFaults({ rules: [{ api: STOCK_API, latencyMs: 400 }] });
      const result = await slow.channels.stock.adjustSkuStock(slow.shop, { itemId, skuId: skuIds[0] }, -2, 'op-slow');
      expect(result).toMatchObject({ outcome: 'unknown' });
      await waitFor(async () => (await slow.control.getSku(itemId, skuIds[0])).stock === 8, 2_000, 'the late write');
      expect((await slow.control.counters()).calls[STOCK_API]).toBe(1);
    } finally {
      await slow.stop();
    }
  });

  it('does not apply, and does not retry, a write answered with HTTP 502', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 10 }]);
    await h.control.resetCounters();
    await h.control.setFaults({ rules: [{ api: STOCK_API, httpErrorRate: 1 }] });
    const result = await h.channels.stock.adjustSkuStock(h.shop, { itemId, skuId: skuIds[0] }, 1, 'op-502');
    // A 5xx may or may not have been applied: the client cannot tell, so it reports unknown.
    expect(result.outcome).toBe('unknown');
    const counters = await h.control.counters();
    expect(counters.calls[STOCK_API]).toBe(1);
    expect(counters.rejected.http_502).toBe(1);
    expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(10);
  });

  describe('buyer orders and the platform’s own stock', () => {
    it('decrements on order, refuses an order larger than the stock, returns stock on cancel', async () => {
      const { itemId, skuIds } = await seedItem(h, [{ stock: 5 }]);
      const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], quantity: 3, pay: true });
      expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(2);
      await expect(h.control.placeOrder({ itemId, skuId: skuIds[0], quantity: 3 })).rejects.toMatchObject({
        status: 409,
        code: 'insufficient_stock',
      });
      await h.control.cancelOrder(order.oid);
      expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(5);
      expect(await h.channels.stock.getSkuStock(h.shop, { itemId, skuId: skuIds[0] })).toBe(5);
    });

    it('shows a back-office stock edit to the client', async () => {
      const { itemId, skuIds } = await seedItem(h, [{ stock: 5 }]);
      await h.control.setSku(itemId, skuIds[0], { stock: 77 });
      expect(await h.channels.stock.getSkuStock(h.shop, { itemId, skuId: skuIds[0] })).toBe(77);
    });
  });
});
