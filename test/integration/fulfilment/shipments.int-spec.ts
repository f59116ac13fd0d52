import { ShipmentView } from '@app/fulfilment/dto/shipment.view';
import { SyncFailureView } from '@app/ops/failures/dto/sync-failure.view';
import { ChannelOrderLineEntity } from '@app/orders/channel-order-line.entity';
import { ChannelOrderEntity } from '@app/orders/channel-order.entity';
import { sendErpShipment } from '@test/support/erp';
import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

/**
 * Shipment write-back from the ERP (signed webhook) and the API to both platforms, judged by what
 * the emulators show: their order status, parcels and waybills, and their stock.
 */
describe('shipment write-back', () => {
  let h: InventoryHarness;
  let seq = 0;

  beforeAll(async () => {
    h = await InventoryHarness.start('shipments');
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(async () => {
    await h.stack.ksControl.resetFaults();
    await h.stack.yzControl.resetFaults();
  });

  const waybill = (prefix: string) => `${prefix}${Date.now()}${++seq}`;

  async function settle(): Promise<void> {
    await h.poll();
    await h.quiet();
  }

  async function ksOrder(sku: SkuFixture, quantity: number): Promise<string> {
    const { oid } = await h.stack.ksControl.placeOrder({
      itemId: sku.ks.itemId,
      skuId: sku.ks.skuId,
      quantity,
      pay: true,
    });
    await settle();
    return oid;
  }

  async function yzOrder(a: SkuFixture, b: SkuFixture): Promise<{ tid: string; oidA: string; oidB: string }> {
    const order = await h.stack.yzControl.placeOrder({
      kdtId: Number(h.shops.youzan),
      lines: [
        { skuId: a.yz.skuId, quantity: 2 },
        { skuId: b.yz.skuId, quantity: 1 },
      ],
      pay: true,
    });
    await settle();
    return {
      tid: order.tid,
      oidA: order.lines.find((l) => l.skuId === a.yz.skuId)!.oid,
      oidB: order.lines.find((l) => l.skuId === b.yz.skuId)!.oid,
    };
  }

  async function postShipment(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...h.auth },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function shipment(id: string): Promise<ShipmentView> {
    const res = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/shipments/${id}`, { headers: h.auth });
    expect(res.status).toBe(200);
    return (await res.json()) as ShipmentView;
  }

  async function failuresOf(shipmentId: string): Promise<SyncFailureView[]> {
    const res = await fetch(`${h.stack.url}/ops/failures?entityRef=${shipmentId}&pageSize=100`, {
      headers: await h.opsAuth(),
    });
    return ((await res.json()) as { items: SyncFailureView[] }).items;
  }

  async function shown(sku: SkuFixture): Promise<number> {
    const stock = await h.platformStock(sku);
    return stock.kuaishou + stock.youzan;
  }

  const idOf = (answer: { body: Record<string, unknown> }) => (answer.body.shipment as ShipmentView).id;

  describe('Kuaishou', () => {
    it('ships a whole order from a signed ERP webhook (any order id, carrier by name), once, and keeps shipped units off sale', async () => {
      const sku = await h.sku('KS-SHIP-1', { onHand: 10, mode: 'split' });
      const oid = await ksOrder(sku, 2);
      const no = waybill('SF');
      const first = await sendErpShipment(h.stack.url, h.erpKey, { orderId: oid, carrier: '顺丰速运', trackingNo: no });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ duplicate: false, shipment: { platform: 'kuaishou', carrier: 'SF' } });
      await h.quiet();

      const onPlatform = await h.stack.ksControl.getOrder(oid);
      expect(onPlatform.status).toBe(40);
      expect(onPlatform.logistics).toEqual([expect.objectContaining({ expressCode: 4, expressNo: no })]);
      expect(await shipment(idOf(first))).toMatchObject({ status: 'shipped', attempts: 1, lines: null });

      // The same shipment again, by our own order id and another delivery: recognised, not sent twice.
      const ours = await h.db.dataSource.manager.findOneByOrFail(ChannelOrderEntity, { platformOrderId: oid });
      const again = await sendErpShipment(h.stack.url, h.erpKey, { orderId: ours.id, carrier: 'sf', trackingNo: no });
      expect(again.body).toMatchObject({ duplicate: true, shipment: { id: idOf(first) } });
      // The same delivery repeated has no second effect either.
      const repeatId = `repeat-${seq}`;
      await sendErpShipment(
        h.stack.url,
        h.erpKey,
        { orderId: oid, carrier: 'SF', trackingNo: no },
        { deliveryId: repeatId },
      );
      const repeat = await sendErpShipment(
        h.stack.url,
        h.erpKey,
        { orderId: oid, carrier: 'SF', trackingNo: no },
        { deliveryId: repeatId },
      );
      expect(repeat.body).toMatchObject({ duplicate: true });
      await h.quiet();
      expect((await h.stack.ksControl.getOrder(oid)).logistics).toHaveLength(1);

      // Stock: the shipped line moved through the ledger's shipment rule, the platforms never show more than is left.
      await settle();
      const [line] = await h.db.dataSource.manager.findBy(ChannelOrderLineEntity, { orderId: ours.id });
      expect(line.stockState).toBe('shipped');
      expect(await shown(sku)).toBeLessThanOrEqual(8);
      await h.erp(sku.code, 10);
      await settle();
      expect(await shown(sku)).toBeLessThanOrEqual(8);
    });

    it("ships an order named by the ERP's own order id (the registry's one lookup)", async () => {
      const sku = await h.sku('KS-SHIP-ERPID', { onHand: 10, mode: 'split' });
      const oid = await ksOrder(sku, 1);
      const erpOrderId = `ERP-SO-${Date.now()}`;
      const linked = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/orders/${oid}/erp-order-id`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...h.auth },
        body: JSON.stringify({ erpOrderId }),
      });
      expect(linked.status).toBe(200);
      const no = waybill('SF');
      const sent = await sendErpShipment(h.stack.url, h.erpKey, { orderId: erpOrderId, carrier: 'SF', trackingNo: no });
      expect(sent.status).toBe(200);
      await h.quiet();
      expect((await h.stack.ksControl.getOrder(oid)).logistics).toEqual([expect.objectContaining({ expressNo: no })]);
      const list = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/shipments?order=${erpOrderId}`, {
        headers: h.auth,
      });
      expect(((await list.json()) as { id: string }[]).map((x) => x.id)).toEqual([idOf(sent)]);
    });

    it('ships part of the units with split delivery and the rest in a second parcel', async () => {
      const sku = await h.sku('KS-SPLIT-1', { onHand: 20, mode: 'split' });
      const oid = await ksOrder(sku, 3);
      const [a, b] = [waybill('ZT'), waybill('ZT')];
      const first = await postShipment({
        orderId: oid,
        carrier: 'ZTO',
        trackingNo: a,
        lines: [{ lineId: oid, quantity: 1 }],
      });
      expect(first.status).toBe(202);
      await h.quiet();
      let onPlatform = await h.stack.ksControl.getOrder(oid);
      expect(onPlatform).toMatchObject({ status: 30, deliveryNum: 1 });
      expect(await shipment(idOf(first))).toMatchObject({ status: 'shipped', lines: [{ lineId: oid, quantity: 1 }] });

      const second = await postShipment({
        orderId: oid,
        carrier: 'ZTO',
        trackingNo: b,
        lines: [{ lineId: oid, quantity: 2 }],
      });
      await h.quiet();
      onPlatform = await h.stack.ksControl.getOrder(oid);
      expect(onPlatform).toMatchObject({ status: 40, deliveryNum: 3 });
      expect(onPlatform.logistics.map((l) => [l.expressCode, l.expressNo]).sort()).toEqual(
        [
          [9, a],
          [9, b],
        ].sort(),
      );
      expect(await shipment(idOf(second))).toMatchObject({ status: 'shipped' });
    });

    it('fails a shipment of a held order with the platform reason and ships it on replay once the hold is lifted', async () => {
      const sku = await h.sku('KS-HOLD-1', { onHand: 10, mode: 'split' });
      const oid = await ksOrder(sku, 1);
      await h.stack.ksControl.setOrderFlags(oid, { holds: [2] });
      const answer = await postShipment({ orderId: oid, carrier: 'SF', trackingNo: waybill('SF') });
      await h.quiet();
      const failed = await shipment(idOf(answer));
      expect(failed).toMatchObject({ status: 'failed', errorCode: 'INVALID_REQUEST' });
      expect(failed.reason).toContain('订单当前不可发货');
      expect((await h.stack.ksControl.getOrder(oid)).status).toBe(30);
      const [failure] = await failuresOf(failed.id);
      expect(failure).toMatchObject({
        status: 'open',
        context: 'fulfilment',
        operation: 'fulfilment.ship',
        replayable: true,
      });

      await h.stack.ksControl.setOrderFlags(oid, { holds: [] });
      const retried = await fetch(`${h.stack.url}/ops/failures/${failure.id}/retry`, {
        method: 'POST',
        headers: await h.opsAuth(),
      });
      expect(retried.status).toBeLessThan(300);
      await h.quiet();
      await eventually(async () => (await h.stack.ksControl.getOrder(oid)).status === 40, 10_000, 100);
      expect(await shipment(failed.id)).toMatchObject({ status: 'shipped', errorCode: null });
      expect((await failuresOf(failed.id))[0].status).not.toBe('open');
    });

    it('surfaces a waybill rejection (result 11: number and carrier do not match)', async () => {
      const sku = await h.sku('KS-WAYBILL-1', { onHand: 10, mode: 'split' });
      const oid = await ksOrder(sku, 1);
      const answer = await postShipment({ orderId: oid, carrier: 'ZTO', trackingNo: waybill('SF') });
      await h.quiet();
      const failed = await shipment(idOf(answer));
      expect(failed.status).toBe('failed');
      expect(failed.reason).toMatch(/不匹配.*kuaishou 11/);
      expect((await h.stack.ksControl.getOrder(oid)).logistics).toEqual([]);
    });

    it('lets one buyer’s orders share a parcel but refuses a waybill already used for another buyer (another address)', async () => {
      const sku = await h.sku('KS-MERGE-1', { onHand: 20, mode: 'split' });
      const place = async (buyerOpenId: string) =>
        (
          await h.stack.ksControl.placeOrder({
            itemId: sku.ks.itemId,
            skuId: sku.ks.skuId,
            quantity: 1,
            pay: true,
            buyerOpenId,
          })
        ).oid;
      const [first, sameBuyer, otherBuyer] = [
        await place('buyer-merge-1'),
        await place('buyer-merge-1'),
        await place('buyer-merge-2'),
      ];
      await settle();
      const no = waybill('YT');
      const answers = [];
      for (const oid of [first, sameBuyer, otherBuyer])
        answers.push(await postShipment({ orderId: oid, carrier: 'YTO', trackingNo: no }));
      await h.quiet();
      expect((await h.stack.ksControl.getOrder(first)).status).toBe(40);
      expect((await h.stack.ksControl.getOrder(sameBuyer)).status).toBe(40);
      expect((await h.stack.ksControl.getOrder(otherBuyer)).status).toBe(30);
      const refused = await shipment(idOf(answers[2]));
      expect(refused.status).toBe('failed');
      expect(refused.reason).toContain('其他收货地址');
    });

    it('refuses to ship an unpaid order, with the platform’s status message', async () => {
      const sku = await h.sku('KS-UNPAID-1', { onHand: 10, mode: 'split' });
      const { oid } = await h.stack.ksControl.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity: 1 });
      await settle();
      const answer = await postShipment({ orderId: oid, carrier: 'SF', trackingNo: waybill('SF') });
      await h.quiet();
      const failed = await shipment(idOf(answer));
      expect(failed).toMatchObject({ status: 'failed', errorCode: 'INVALID_REQUEST' });
      expect(failed.reason).toContain('订单状态[10]不允许发货');
      expect((await h.stack.ksControl.getOrder(oid)).status).toBe(10);
    });

    it('settles a shipment whose answer was lost by reading the order back, shipping it exactly once', async () => {
      const sku = await h.sku('KS-LOST-1', { onHand: 10, mode: 'split' });
      const oid = await ksOrder(sku, 1);
      await h.stack.ksControl.setFaults({ rules: [{ api: 'open.seller.order.goods.deliver', dropResponseRate: 1 }] });
      const no = waybill('SF');
      const answer = await postShipment({ orderId: oid, carrier: 'SF', trackingNo: no });
      await h.quiet();
      expect(await shipment(idOf(answer))).toMatchObject({ status: 'shipped' });
      expect((await h.stack.ksControl.getOrder(oid)).logistics).toEqual([expect.objectContaining({ expressNo: no })]);
    });

    it('keeps an unsettled shipment unknown while the platform cannot be read, and settles it on replay', async () => {
      const sku = await h.sku('KS-UNKNOWN-1', { onHand: 10, mode: 'split' });
      const oid = await ksOrder(sku, 1);
      await h.stack.ksControl.setFaults({
        rules: [
          { api: 'open.seller.order.goods.deliver', httpErrorRate: 1 },
          { api: 'open.order.detail', httpErrorRate: 1 },
        ],
      });
      const answer = await postShipment({ orderId: oid, carrier: 'SF', trackingNo: waybill('SF') });
      await h.quiet();
      const unknown = await shipment(idOf(answer));
      expect(unknown).toMatchObject({ status: 'unknown', errorCode: 'OUTCOME_UNKNOWN' });
      const [failure] = await failuresOf(unknown.id);
      expect(failure).toMatchObject({ status: 'open', errorCode: 'OUTCOME_UNKNOWN' });

      await h.stack.ksControl.resetFaults();
      await fetch(`${h.stack.url}/ops/failures/${failure.id}/retry`, { method: 'POST', headers: await h.opsAuth() });
      await h.quiet();
      await eventually(async () => (await shipment(unknown.id)).status === 'shipped', 15_000, 200);
      expect((await h.stack.ksControl.getOrder(oid)).logistics).toHaveLength(1);
    });
  });

  describe('Youzan', () => {
    it('ships one line (partial, by line oid), then the rest, without putting shipped units back on sale', async () => {
      const a = await h.sku('YZ-PART-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('YZ-PART-B', { onHand: 10, mode: 'split' });
      const { tid, oidA, oidB } = await yzOrder(a, b);
      const shownBefore = await shown(a);
      const first = await sendErpShipment(h.stack.url, h.erpKey, {
        orderId: tid,
        carrier: 'YTO',
        trackingNo: 'YT-1001',
        lines: [{ lineId: oidA, quantity: 2 }],
      });
      expect(first.status).toBe(200);
      await h.quiet();
      let onPlatform = await h.stack.yzControl.getOrder(tid);
      expect(onPlatform.status).toBe('WAIT_SELLER_SEND_GOODS');
      expect(onPlatform.lines.find((l) => l.oid === oidA)!.shipped).toBe(true);
      expect(onPlatform.lines.find((l) => l.oid === oidB)!.shipped).toBe(false);
      expect(onPlatform.deliveries).toEqual([{ expressId: 2, expressNo: 'YT-1001', oids: [oidA] }]);
      expect(await shipment(idOf(first))).toMatchObject({ status: 'shipped' });
      await settle();
      expect(await shown(a)).toBeLessThanOrEqual(shownBefore);
      expect(await shown(a)).toBeLessThanOrEqual(8);

      const rest = await postShipment({
        orderId: tid,
        carrier: 'EMS',
        trackingNo: 'EMS-2002',
        lines: [{ lineId: oidB, quantity: 1 }],
      });
      expect(rest.status).toBe(202);
      await h.quiet();
      onPlatform = await h.stack.yzControl.getOrder(tid);
      expect(onPlatform.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      expect(onPlatform.deliveries[1]).toEqual({ expressId: 11, expressNo: 'EMS-2002', oids: [oidB] });
      await settle();
      expect(await shown(a)).toBeLessThanOrEqual(8);
      expect(await shown(b)).toBeLessThanOrEqual(9);
    });

    it('refuses to ship a line whose refund is open, with the platform reason', async () => {
      const a = await h.sku('YZ-RFD-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('YZ-RFD-B', { onHand: 10, mode: 'split' });
      const { tid, oidA } = await yzOrder(a, b);
      await h.stack.yzControl.createRefund({ tid, oids: [oidA], returnGoods: false });
      const answer = await postShipment({ orderId: tid, carrier: 'SF', trackingNo: waybill('SF') });
      await h.quiet();
      const failed = await shipment(idOf(answer));
      expect(failed).toMatchObject({ status: 'failed' });
      expect(failed.reason).toContain('退款中');
      expect((await h.stack.yzControl.getOrder(tid)).deliveries).toEqual([]);
    });

    it('fails a carrier Youzan does not list with a clear reason', async () => {
      const a = await h.sku('YZ-JD-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('YZ-JD-B', { onHand: 10, mode: 'split' });
      const { tid } = await yzOrder(a, b);
      const answer = await postShipment({ orderId: tid, carrier: '京东物流', trackingNo: 'JD-0001' });
      await h.quiet();
      const failed = await shipment(idOf(answer));
      expect(failed).toMatchObject({ status: 'failed', carrier: 'JD' });
      expect(failed.reason).toContain("not in Youzan's express company list");
      expect((await h.stack.yzControl.getOrder(tid)).status).toBe('WAIT_SELLER_SEND_GOODS');
    });

    it('takes a repeat of a landed shipment as shipped, never as a second parcel', async () => {
      const a = await h.sku('YZ-REP-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('YZ-REP-B', { onHand: 10, mode: 'split' });
      const { tid } = await yzOrder(a, b);
      await h.stack.yzControl.setFaults({ rules: [{ api: 'youzan.logistics.online.confirm', dropResponseRate: 1 }] });
      const answer = await postShipment({ orderId: tid, carrier: 'ZTO', trackingNo: 'ZTO-5005' });
      await h.quiet();
      expect(await shipment(idOf(answer))).toMatchObject({ status: 'shipped' });
      const onPlatform = await h.stack.yzControl.getOrder(tid);
      expect(onPlatform.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
      expect(onPlatform.deliveries).toHaveLength(1);
    });
  });

  describe('bad input', () => {
    it('answers 4xx with field messages, never 500', async () => {
      const a = await h.sku('BAD-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('BAD-B', { onHand: 10, mode: 'split' });
      const { tid, oidA } = await yzOrder(a, b);

      const split = await postShipment({
        orderId: tid,
        carrier: 'SF',
        trackingNo: 'SF1234',
        lines: [{ lineId: oidA, quantity: 1 }],
      });
      expect(split.status).toBe(400);
      expect(JSON.stringify(split.body)).toContain('whole lines');

      const carrier = await postShipment({ orderId: tid, carrier: 'PIGEON', trackingNo: 'SF123456' });
      expect(carrier.status).toBe(400);
      expect(JSON.stringify(carrier.body)).toContain('carrier');

      const format = await postShipment({ orderId: tid, carrier: 'SF', trackingNo: 'SF 12/34' });
      expect(format.status).toBe(400);
      expect(JSON.stringify(format.body)).toContain('trackingNo');

      const line = await postShipment({
        orderId: tid,
        carrier: 'SF',
        trackingNo: 'SF123456',
        lines: [{ lineId: '1', quantity: 1 }],
      });
      expect(line.status).toBe(400);
      expect(JSON.stringify(line.body)).toContain('lines.0.lineId');

      expect((await postShipment({ orderId: 'E2099', carrier: 'SF', trackingNo: 'SF123456' })).status).toBe(404);
      expect((await postShipment({ carrier: 'SF' })).status).toBe(400);

      // The same waybill for the same order with other lines is a conflict, not a second shipment.
      const whole = await postShipment({ orderId: tid, carrier: 'SF', trackingNo: 'SF-777' });
      expect(whole.status).toBe(202);
      const reused = await postShipment({ orderId: tid, carrier: 'ZTO', trackingNo: 'SF-777' });
      expect(reused.status).toBe(409);
      await h.quiet();
      expect((await h.stack.yzControl.getOrder(tid)).deliveries).toHaveLength(1);

      const list = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/shipments?order=${tid}`, {
        headers: h.auth,
      });
      expect(((await list.json()) as ShipmentView[]).map((s) => s.trackingNo)).toEqual(['SF-777']);
      const badFilter = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/shipments?status=lost`, {
        headers: h.auth,
      });
      expect(badFilter.status).toBe(400);
    });

    it('checks the ERP webhook’s signature before its body, then answers a bad body with its fields', async () => {
      const forged = await sendErpShipment(
        h.stack.url,
        h.erpKey,
        { orderId: 'x', carrier: 'SF', trackingNo: 'SF123456' },
        { secret: 'not-the-secret' },
      );
      expect(forged.status).toBe(401);
      const bad = await sendErpShipment(h.stack.url, h.erpKey, { orderId: 'x y', carrier: '', trackingNo: '' });
      expect(bad.status).toBe(400);
      const fields = (bad.body.fields as { field: string }[]).map((f) => f.field).sort();
      expect(fields).toEqual(['carrier', 'orderId', 'trackingNo']);
    });

    it('counts write-backs by outcome and times them on /metrics', async () => {
      const metrics = await (await fetch(`${h.stack.url}/metrics`, { headers: await h.opsAuth() })).text();
      expect(metrics).toMatch(/kwaizan_shipments_total\{platform="kuaishou",outcome="shipped"\} [1-9]/);
      expect(metrics).toMatch(/kwaizan_shipments_total\{platform="youzan",outcome="failed"\} [1-9]/);
      expect(metrics).toMatch(/kwaizan_shipment_writeback_seconds_count\{platform="youzan"\} [1-9]/);
    });

    it('lists the shipments on the merchant page', async () => {
      const res = await fetch(`${h.stack.url}/merchants/${h.merchantId}/shipments`, { headers: h.auth });
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('发货回传 Shipments');
      expect(page).toContain('SF-777');
    });
  });
});
