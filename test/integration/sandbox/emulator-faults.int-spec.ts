import { SkuRef } from '@app/platforms/ports/platform.types';
import { createYouzanChannels } from '@app/platforms/youzan/youzan.channels';
import { seedItem, startKuaishouHarness, KuaishouHarness } from '../platforms/kuaishou/kuaishou.harness';
import { startYouzanHarness, YouzanHarness } from '../platforms/youzan/youzan-harness';
import { eventually } from '@test/support/test-app';

/**
 * Faults the storm benchmark relies on, seen from the platform clients: a write that times out on
 * the client and lands afterwards, a merchant withdrawing the app while writes are in flight, and
 * order reads that miss an order still in its read lag. The emulators count every fault that fired.
 */
describe('emulator faults: late applies and revocation mid-flight', () => {
  describe('Kuaishou', () => {
    let h: KuaishouHarness;
    beforeAll(async () => {
      h = await startKuaishouHarness({ gateway: { retryAttempts: 1 }, channel: { timeoutMs: 300 } });
    });
    afterAll(() => h.stop());

    it('holds a stock write past the client timeout, the client sees an unknown outcome, and the write lands later', async () => {
      const { itemId, skuIds } = await seedItem(h, [{ stock: 10 }]);
      const sku: SkuRef = { itemId, skuId: skuIds[0] };
      await h.control.setFaults({
        rules: [{ api: 'open.item.sku.stock.update', lateApplyRate: 1, lateApplyDelayMs: 800 }],
      });
      const result = await h.channels.stock.adjustSkuStock(h.shop, sku, 4, 'op-late-1');
      expect(result.outcome).toBe('unknown');
      // Right after the timeout the platform still shows the old stock; then the write lands once.
      expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(10);
      await eventually(async () => (await h.control.getSku(itemId, skuIds[0])).stock === 14, 20_000);
      const counters = await h.control.counters();
      expect(counters.faultsFired.late_apply).toBe(1);
      expect(counters.writesApplied['open.item.sku.stock.update']).toBe(1);
      expect(counters.duplicateOperationIds).toBe(0);
      await h.control.resetFaults();
    });

    it('applies a write accepted before a revocation, refuses the next one, and counts the revocation', async () => {
      const shop = await h.connectShop();
      const { itemId, skuIds } = await seedItem({ control: h.control, shop }, [{ stock: 10 }]);
      const sku: SkuRef = { itemId, skuId: skuIds[0] };
      await h.control.setFaults({
        rules: [{ api: 'open.item.sku.stock.update', lateApplyRate: 1, lateApplyDelayMs: 800 }],
      });
      const inFlight = h.channels.stock.adjustSkuStock(shop, sku, -3, 'op-rev-1');
      await eventually(async () => ((await h.control.counters()).faultsFired.late_apply ?? 0) >= 2, 20_000);
      expect(await h.control.revokeShop(shop.shopId)).toEqual({ revoked: 1 });
      expect((await inFlight).outcome).toBe('unknown');
      await eventually(async () => (await h.control.getSku(itemId, skuIds[0])).stock === 7, 20_000);
      await h.control.resetFaults();
      await expect(h.channels.stock.adjustSkuStock(shop, sku, -1, 'op-rev-2')).rejects.toMatchObject({
        code: 'AUTH_REVOKED',
      });
      expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(7);
      expect((await h.control.counters()).faultsFired.shop_revoked).toBe(1);
    });

    it('counts an order read that missed an order not readable yet as read lag', async () => {
      const { itemId, skuIds } = await seedItem(h, [{ stock: 5 }]);
      await h.control.setFaults({ orderReadLagMs: 60_000 });
      const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], quantity: 1, pay: true });
      const before = (await h.control.counters()).faultsFired.read_lag ?? 0;
      await expect(h.channels.orders.getOrder(h.shop, order.oid)).rejects.toBeDefined();
      expect((await h.control.counters()).faultsFired.read_lag).toBe(before + 1);
      await h.control.advanceClock(61_000);
      expect((await h.channels.orders.getOrder(h.shop, order.oid)).orderId).toBe(order.oid);
      await h.control.setFaults({ orderReadLagMs: 0 });
    });
  });

  describe('Youzan', () => {
    let h: YouzanHarness;
    beforeAll(async () => {
      h = await startYouzanHarness();
    });
    afterAll(() => h.close());

    it('holds a stock write past the client timeout, the client sees an unknown outcome, and the write lands later', async () => {
      const impatient = createYouzanChannels(h.config, h.gateway, h.tokens, { http: { timeoutMs: 300 } });
      const shop = await h.connectShop();
      const item = await h.control.createItem({
        kdtId: Number(shop.shopId),
        title: '迟到写入',
        skus: [{ itemNo: 'LATE-1', priceFen: 500, stock: 10 }],
      });
      const sku: SkuRef = { itemId: item.itemId, skuId: item.skus[0].skuId };
      await h.control.setFaults({
        rules: [{ api: 'youzan.item.quantity.update', lateApplyRate: 1, lateApplyDelayMs: 800 }],
      });
      expect((await impatient.stock.adjustSkuStock(shop, sku, -4, 'op-late-yz')).outcome).toBe('unknown');
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(10);
      await eventually(async () => (await h.control.getSku(sku.itemId, sku.skuId)).stock === 6, 20_000);
      const counters = await h.control.counters();
      expect(counters.faultsFired.late_apply).toBe(1);
      expect(counters.calls['youzan.item.quantity.update']).toBe(1);
      expect(counters.duplicateOperationIds).toBe(0);
      await h.control.resetFaults();
    });

    it('applies a write accepted before a revocation, refuses the next one, and counts the revocation', async () => {
      const impatient = createYouzanChannels(h.config, h.gateway, h.tokens, { http: { timeoutMs: 300 } });
      const shop = await h.connectShop();
      const item = await h.control.createItem({
        kdtId: Number(shop.shopId),
        title: '撤销授权',
        skus: [{ itemNo: 'REV-1', priceFen: 500, stock: 10 }],
      });
      const sku: SkuRef = { itemId: item.itemId, skuId: item.skus[0].skuId };
      await h.control.setFaults({
        rules: [{ api: 'youzan.item.quantity.update', lateApplyRate: 1, lateApplyDelayMs: 800 }],
      });
      const before = (await h.control.counters()).faultsFired.late_apply ?? 0;
      const inFlight = impatient.stock.adjustSkuStock(shop, sku, 5, 'op-rev-yz');
      await eventually(async () => ((await h.control.counters()).faultsFired.late_apply ?? 0) > before, 20_000);
      await h.control.revokeShop(Number(shop.shopId));
      expect((await inFlight).outcome).toBe('unknown');
      await eventually(async () => (await h.control.getSku(sku.itemId, sku.skuId)).stock === 15, 20_000);
      await h.control.resetFaults();
      await expect(impatient.stock.adjustSkuStock(shop, sku, -1, 'op-rev-yz-2')).rejects.toMatchObject({
        code: 'AUTH_REVOKED',
      });
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(15);
      expect((await h.control.counters()).faultsFired.shop_revoked).toBe(1);
    });

    it('counts an order read that missed an order not readable yet as read lag', async () => {
      const shop = await h.connectShop();
      const item = await h.control.createItem({
        kdtId: Number(shop.shopId),
        title: '读延迟',
        skus: [{ itemNo: 'LAG-1', priceFen: 500, stock: 5 }],
      });
      await h.control.setFaults({ orderReadLagMs: 60_000 });
      const order = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [{ skuId: item.skus[0].skuId, quantity: 1 }],
        pay: true,
      });
      const before = (await h.control.counters()).faultsFired.read_lag ?? 0;
      await expect(h.channels.orders.getOrder(shop, order.tid)).rejects.toBeDefined();
      expect((await h.control.counters()).faultsFired.read_lag).toBe(before + 1);
      await h.control.advanceClock(61_000);
      expect((await h.channels.orders.getOrder(shop, order.tid)).orderId).toBe(order.tid);
      await h.control.setFaults({ orderReadLagMs: 0 });
    });
  });
});
