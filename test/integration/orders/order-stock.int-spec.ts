import { Clock, CLOCK } from '@app/common/clock';
import { ChannelOrderLineEntity } from '@app/orders/channel-order-line.entity';
import { ChannelOrderEntity } from '@app/orders/channel-order.entity';
import { OrderPollService } from '@app/orders/order-poll.service';
import { sendErpStock } from '@test/support/erp';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

/**
 * What shipments and refunds do to stock, judged by what the platforms show (the emulators'
 * own stock) against the units physically left.
 */
describe('order lines and stock', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('orderstock');
  });

  afterAll(async () => {
    await h?.close();
  });

  /** The backstop reads what the platform did (pushes may be late); then every event is handled. */
  async function settle(): Promise<void> {
    const poller = h.stack.t.app.get(OrderPollService);
    await poller.poll(h.connections.kuaishou.id);
    await poller.poll(h.connections.youzan.id);
    await h.quiet();
  }

  async function shown(sku: SkuFixture): Promise<number> {
    const stock = await h.platformStock(sku);
    return stock.kuaishou + stock.youzan;
  }

  async function lines(platformOrderId: string): Promise<ChannelOrderLineEntity[]> {
    const order = await h.db.dataSource.manager.findOneByOrFail(ChannelOrderEntity, { platformOrderId });
    return h.db.dataSource.manager.find(ChannelOrderLineEntity, {
      where: { orderId: order.id },
      order: { platformLineId: 'ASC' },
    });
  }

  describe('shipments', () => {
    it('keeps shipped units off sale when a newer ERP count taken before the shipment arrives', async () => {
      const sku = await h.sku('SHIP-1', { onHand: 10, mode: 'split' });
      const { oid } = await h.stack.ksControl.placeOrder({
        itemId: sku.ks.itemId,
        skuId: sku.ks.skuId,
        quantity: 2,
        pay: true,
      });
      await settle();
      const countedAt = Date.now();
      await h.stack.ksControl.shipOrder(oid);
      await settle();
      expect((await lines(oid))[0].stockState).toBe('shipped');

      // The warehouse counted 10 before the parcel left; the report reaches us after the shipment.
      await h.erp(sku.code, 10, { shippedThrough: countedAt });
      await settle();
      expect(await shown(sku)).toBeLessThanOrEqual(8);
      // An ERP that says nothing about shipments is not trusted to have counted one just recorded.
      await h.erp(sku.code, 10);
      await settle();
      expect(await shown(sku)).toBeLessThanOrEqual(8);

      // The next count includes the shipment: its hold closes and all 8 units are on sale again.
      await h.erp(sku.code, 8, { shippedThrough: Date.now() });
      await settle();
      expect(await h.ledger(sku)).toEqual({ onHand: 8, reserved: 0 });
      expect(await shown(sku)).toBe(8);
    });
  });

  describe('shipments, without shippedThrough', () => {
    afterEach(() => jest.restoreAllMocks());

    it('counts a shipment once it is ERP_SHIPMENT_COUNT_LAG_MS older than the report', async () => {
      const sku = await h.sku('SHIP-2', { onHand: 10, mode: 'split' });
      const { oid } = await h.stack.ksControl.placeOrder({
        itemId: sku.ks.itemId,
        skuId: sku.ks.skuId,
        quantity: 3,
        pay: true,
      });
      await settle();
      await h.stack.ksControl.shipOrder(oid);
      await settle();
      expect((await lines(oid))[0].stockState).toBe('shipped');

      // Eleven minutes later (the default lag is ten) the ERP reports 7 and says nothing about shipments.
      const later = 11 * 60_000;
      const clock = h.stack.t.app.get<Clock>(CLOCK);
      const real = clock.now.bind(clock);
      jest.spyOn(clock, 'now').mockImplementation(() => real() + later);
      const answer = await sendErpStock(h.stack.url, h.erpKey, [{ skuCode: sku.code, onHand: 7, sequence: 900_000 }], {
        timestamp: Math.floor((Date.now() + later) / 1000),
      });
      expect(answer.status).toBe(200);
      await settle();
      expect(await h.ledger(sku)).toEqual({ onHand: 7, reserved: 0 });
      expect(await shown(sku)).toBe(7);
    });
  });

  describe('refunds', () => {
    afterEach(async () => {
      await h.stack.yzControl.resetFaults();
    });

    async function youzanOrder(a: SkuFixture, b: SkuFixture): Promise<{ tid: string; oidA: string }> {
      const order = await h.stack.yzControl.placeOrder({
        kdtId: Number(h.shops.youzan),
        lines: [
          { skuId: a.yz.skuId, quantity: 2 },
          { skuId: b.yz.skuId, quantity: 1 },
        ],
        pay: true,
      });
      return { tid: order.tid, oidA: order.lines.find((l) => l.skuId === a.yz.skuId)!.oid };
    }

    it('keeps units held when a money-only refund leaves the goods to ship, and ships them', async () => {
      const a = await h.sku('RFD-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('RFD-B', { onHand: 10, mode: 'split' });
      const { tid, oidA } = await youzanOrder(a, b);
      await settle();
      // Part of the price comes back to the buyer; the two units still leave the warehouse.
      await h.stack.yzControl.createRefund({
        tid,
        oids: [oidA],
        amountFen: 500,
        restock: false,
        returnGoods: false,
        status: 'SUCCESS',
      });
      await settle();
      expect(await shown(a)).toBeLessThanOrEqual(8);
      expect((await h.ledger(a)).reserved).toBe(2);

      await h.stack.yzControl.shipOrder(tid);
      await settle();
      const line = (await lines(tid)).find((l) => l.platformSkuId === a.yz.skuId)!;
      expect(line.stockState).toBe('shipped');
      await h.erp(a.code, 8, { shippedThrough: Date.now() });
      await settle();
      expect(await h.ledger(a)).toEqual({ onHand: 8, reserved: 0 });
      expect(await shown(a)).toBe(8);
    });

    it('puts units back on sale when a refund before shipment takes them back, heard only through polling', async () => {
      const c = await h.sku('RFD-C', { onHand: 10, mode: 'split' });
      const d = await h.sku('RFD-D', { onHand: 10, mode: 'split' });
      const { tid, oidA } = await youzanOrder(c, d);
      await settle();
      expect(await shown(c)).toBe(8);
      await h.stack.yzControl.setFaults({ push: { lossRate: 1 } });
      await h.stack.yzControl.createRefund({ tid, oids: [oidA], restock: true, status: 'SUCCESS' });
      await settle();

      const line = (await lines(tid)).find((l) => l.platformSkuId === c.yz.skuId)!;
      expect(line.stockState).toBe('released');
      expect(await h.ledger(c)).toEqual({ onHand: 10, reserved: 0 });
      expect(await shown(c)).toBe(10);
    });
  });
});
