import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { KuaishouEmulator } from '@app/sandbox/kuaishou/kuaishou.emulator';
import { SandboxControlError } from '@app/sandbox/shared/control.errors';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { YouzanEmulator } from '@app/sandbox/youzan/youzan.emulator';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';

/**
 * Both control APIs have one shape: the same client methods and routes for faults, clock,
 * counters, push and order moves, and the same refusal convention (`SandboxControlError`).
 */
describe('sandbox control API: one shape for both emulators', () => {
  let ks: KuaishouEmulator;
  let yz: YouzanEmulator;
  let ksControl: KuaishouSandboxControl;
  let yzControl: YouzanSandboxControl;

  beforeAll(async () => {
    ks = await KuaishouEmulator.start({ ...SANDBOX_CREDENTIALS.kuaishou, seedShops: 0 });
    yz = await YouzanEmulator.start({ ...SANDBOX_CREDENTIALS.youzan });
    ksControl = new KuaishouSandboxControl(ks.url);
    yzControl = new YouzanSandboxControl(yz.url);
  });
  afterAll(async () => {
    await ks?.stop();
    await yz?.stop();
  });

  const both = () =>
    [
      ['kuaishou', ksControl],
      ['youzan', yzControl],
    ] as const;

  it('sets, shows and resets faults the same way, keeping the read lag', async () => {
    for (const [, control] of both()) {
      const set = await control.setFaults({
        rules: [{ api: '*', latencyMs: 1 }],
        push: { lossRate: 0.5 },
        orderReadLagMs: 7,
      });
      expect(set).toMatchObject({ rules: [{ api: '*', latencyMs: 1 }], push: { lossRate: 0.5 }, orderReadLagMs: 7 });
      expect(await control.getFaults()).toEqual({
        rules: [{ api: '*', latencyMs: 1 }],
        push: { lossRate: 0.5, duplicateRate: 0, delayMs: 0 },
      });
      expect(await control.resetFaults()).toEqual({ rules: [], push: { lossRate: 0, duplicateRate: 0, delayMs: 0 } });
    }
    expect(ks.store.orderReadLagMs).toBe(7);
    expect(yz.store.options.orderReadLagMs).toBe(7);
  });

  it('sets and shows the push target, retry schedule and timeout the same way', async () => {
    for (const [, control] of both()) {
      const set = await control.setPush({ url: 'http://127.0.0.1:9/hook', retryDelaysMs: [10, 20], timeoutMs: 1_500 });
      expect(set).toEqual({ url: 'http://127.0.0.1:9/hook', retryDelaysMs: [10, 20], timeoutMs: 1_500 });
      expect(await control.getPush()).toEqual(set);
      expect((await control.setPush({ url: null })).url).toBeNull();
    }
  });

  it('moves the clock and resets counters the same way', async () => {
    for (const [, control] of both()) {
      const before = await control.clock();
      const after = await control.advanceClock(60_000);
      expect(after.offsetMs).toBe(before.offsetMs + 60_000);
      expect((await control.resetCounters()).calls).toEqual({});
    }
  });

  it('refuses bad input with a 400 SandboxControlError and changes nothing', async () => {
    for (const [, control] of both()) {
      const before = await control.clock();
      const refused = await control.advanceClock(-5).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(SandboxControlError);
      expect(refused).toMatchObject({ status: 400, code: 'invalid' });
      expect((await control.clock()).offsetMs).toBe(before.offsetMs);
      await expect(control.setPush({ url: 'not a url' })).rejects.toMatchObject({ status: 400, code: 'invalid' });
    }
  });

  it('refuses a bad SKU patch on both and an unknown Youzan fault kind with 400 field messages, changing nothing', async () => {
    const ksShop = await ksControl.createShop({});
    const ksItem = await ksControl.createItem({ openId: ksShop.openId, skus: [{ stock: 4, price: 100 }] });
    await expect(ksControl.setSku(ksItem.itemId, ksItem.skus[0].skuId, { stock: -1 })).rejects.toMatchObject({
      status: 400,
      code: 'invalid',
      message: expect.stringContaining('stock'),
    });
    expect((await ksControl.getSku(ksItem.itemId, ksItem.skus[0].skuId)).stock).toBe(4);
    const yzShop = await yzControl.createShop({});
    const yzItem = await yzControl.createItem({ kdtId: yzShop.kdtId, title: 'patch', stock: 4, priceFen: 100 });
    await expect(yzControl.setSku(yzItem.itemId, yzItem.skus[0].skuId, { priceFen: 0 })).rejects.toMatchObject({
      status: 400,
      code: 'invalid',
      message: expect.stringContaining('priceFen'),
    });
    expect(await yzControl.getSku(yzItem.itemId, yzItem.skus[0].skuId)).toMatchObject({ stock: 4, priceFen: 100 });
    await yzControl.setFaults({ rules: [{ api: '*', latencyMs: 1 }] });
    const refused = yzControl.setFaults({ rules: [{ api: 'youzan.item.get', errorRate: 1, error: 'no_such_kind' }] });
    await expect(refused).rejects.toMatchObject({
      status: 400,
      code: 'invalid',
      message: expect.stringContaining('unknown error kind'),
    });
    expect((await yzControl.getFaults()).rules).toEqual([{ api: '*', latencyMs: 1 }]);
    await yzControl.resetFaults();
  });

  it('cancels and completes orders under the same names, giving stock back on cancel', async () => {
    const ksShop = await ksControl.createShop({ name: 'control shape' });
    const ksItem = await ksControl.createItem({ openId: ksShop.openId, skus: [{ stock: 5, price: 100 }] });
    const ksSku = ksItem.skus[0];
    const ksCancelled = await ksControl.placeOrder({
      itemId: ksItem.itemId,
      skuId: ksSku.skuId,
      quantity: 2,
      pay: true,
    });
    expect((await ksControl.getSku(ksItem.itemId, ksSku.skuId)).stock).toBe(3);
    await ksControl.cancelOrder(ksCancelled.oid);
    expect((await ksControl.getSku(ksItem.itemId, ksSku.skuId)).stock).toBe(5);

    const yzShop = await yzControl.createShop({ name: 'control shape' });
    const yzItem = await yzControl.createItem({
      kdtId: yzShop.kdtId,
      title: 'shape',
      skus: [{ itemNo: 'SHAPE-1', priceFen: 100, stock: 5 }],
    });
    const yzSku = yzItem.skus[0];
    const yzCancelled = await yzControl.placeOrder({
      kdtId: yzShop.kdtId,
      lines: [{ skuId: yzSku.skuId, quantity: 2 }],
    });
    expect((await yzControl.getSku(yzItem.itemId, yzSku.skuId)).stock).toBe(3);
    expect((await yzControl.cancelOrder(yzCancelled.tid)).status).toBe('TRADE_CLOSED');
    expect((await yzControl.getSku(yzItem.itemId, yzSku.skuId)).stock).toBe(5);

    const yzDone = await yzControl.placeOrder({
      kdtId: yzShop.kdtId,
      lines: [{ skuId: yzSku.skuId, quantity: 1 }],
      pay: true,
    });
    await yzControl.shipOrder(yzDone.tid);
    expect((await yzControl.completeOrder(yzDone.tid)).status).toBe('TRADE_SUCCESS');
    const ksDone = await ksControl.placeOrder({ itemId: ksItem.itemId, skuId: ksSku.skuId, pay: true });
    await ksControl.shipOrder(ksDone.oid);
    await ksControl.receiveOrder(ksDone.oid);
    expect((await ksControl.completeOrder(ksDone.oid)).status).toBe(70);
  });

  it('creates, reads and settles refunds under the same names', async () => {
    const ksShop = await ksControl.createShop({});
    const ksItem = await ksControl.createItem({ openId: ksShop.openId, skus: [{ stock: 3, price: 500 }] });
    const ksOrder = await ksControl.placeOrder({ itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId, pay: true });
    const ksRefund = await ksControl.createRefund({ oid: ksOrder.oid });
    await ksControl.setRefundStatus(ksRefund.refundId, 'succeed');
    expect((await ksControl.getRefund(ksRefund.refundId)).status).toBe(60);

    const yzShop = await yzControl.createShop({});
    const yzItem = await yzControl.createItem({ kdtId: yzShop.kdtId, title: 'refund', stock: 3, priceFen: 500 });
    const yzOrder = await yzControl.placeOrder({
      kdtId: yzShop.kdtId,
      lines: [{ itemId: yzItem.itemId, quantity: 1 }],
      pay: true,
    });
    const [yzRefundId] = (await yzControl.createRefund({ tid: yzOrder.tid })).refundIds;
    expect((await yzControl.getRefund(yzRefundId)).status).toBe('WAIT_SELLER_AGREE');
    await yzControl.setRefundStatus(yzRefundId, 'SUCCESS');
    expect((await yzControl.getRefund(yzRefundId)).status).toBe('SUCCESS');
    await expect(yzControl.getRefund('404')).rejects.toMatchObject({ status: 404, code: 'refund_not_found' });
  });

  it('answers a refused order move with 409 on both', async () => {
    const ksShop = await ksControl.createShop({});
    const ksItem = await ksControl.createItem({ openId: ksShop.openId, skus: [{ stock: 1, price: 100 }] });
    await expect(
      ksControl.placeOrder({ itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId, quantity: 2 }),
    ).rejects.toMatchObject({ status: 409, code: 'insufficient_stock' });
    const yzShop = await yzControl.createShop({});
    const yzItem = await yzControl.createItem({ kdtId: yzShop.kdtId, title: 'one', stock: 1, priceFen: 100 });
    await expect(
      yzControl.placeOrder({ kdtId: yzShop.kdtId, lines: [{ itemId: yzItem.itemId, quantity: 2 }] }),
    ).rejects.toMatchObject({ status: 409, code: 'insufficient_stock' });
  });
});
