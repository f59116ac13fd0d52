import { ChannelRefundEntity } from '@app/orders/after-sales/channel-refund.entity';
import { RefundIngestService } from '@app/orders/after-sales/refund-ingest.service';
import { ChannelOrderLineEntity } from '@app/orders/channel-order-line.entity';
import { ChannelOrderEntity } from '@app/orders/channel-order.entity';
import { OrderPollService } from '@app/orders/order-poll.service';
import { createMerchant, ownerOf } from '@test/support/sandbox-stack';
import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

interface RaisedEvent {
  eventId: string;
  type: string;
  subject: string;
  data: { platformRefundId: string; status: string; restockUnits: number };
}

/**
 * The after-sales registry against both emulators: which refunds put units back on sale, judged by
 * what the platforms show (the emulators' own stock) against the units physically left, and that
 * repeated, reordered and lost pushes never release a unit twice.
 */
describe('after-sales: refunds registry and stock', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('refunds');
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(async () => {
    await h.stack.ksControl.resetFaults();
    await h.stack.yzControl.resetFaults();
  });

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

  function refundRow(platformRefundId: string): Promise<ChannelRefundEntity | null> {
    return h.db.dataSource.manager.findOneBy(ChannelRefundEntity, { platformRefundId });
  }

  async function line(platformOrderId: string, platformSkuId?: string): Promise<ChannelOrderLineEntity> {
    const order = await h.db.dataSource.manager.findOneByOrFail(ChannelOrderEntity, { platformOrderId });
    const lines = await h.db.dataSource.manager.findBy(ChannelOrderLineEntity, { orderId: order.id });
    return platformSkuId ? lines.find((l) => l.platformSkuId === platformSkuId)! : lines[0];
  }

  async function raised(platformRefundId: string): Promise<RaisedEvent[]> {
    const rows: { payload: string }[] = await h.db.dataSource.query(
      'SELECT payload FROM outbox_event WHERE topic = ? ORDER BY id',
      ['kwaizan.webhooks.merchant-event-raised.v1'],
    );
    return rows
      .map((r) => JSON.parse(r.payload) as RaisedEvent)
      .filter((e) => e.data?.platformRefundId === platformRefundId);
  }

  async function ksOrder(sku: SkuFixture, quantity: number): Promise<{ oid: string; paid: number }> {
    const order = await h.stack.ksControl.placeOrder({
      itemId: sku.ks.itemId,
      skuId: sku.ks.skuId,
      quantity,
      pay: true,
    });
    return {
      oid: order.oid,
      paid: order.priceFen * order.quantity - order.merchantDiscountFen - order.platformDiscountFen,
    };
  }

  describe('Kuaishou', () => {
    it('releases the units each partial refund takes back, once, through duplicated and delayed pushes', async () => {
      const sku = await h.sku('AS-KS-1', { onHand: 10, mode: 'split' });
      const { oid, paid } = await ksOrder(sku, 3);
      await settle();
      expect(await shown(sku)).toBe(7);

      // Every push arrives twice and late; the refund of one unit (paid back in full for it) succeeds.
      await h.stack.ksControl.setFaults({ push: { duplicateRate: 1, delayMs: 200 } });
      const first = await h.stack.ksControl.createRefund({ oid, productNum: 1, amountFen: paid / 3, restock: true });
      await h.stack.ksControl.setRefundStatus(first.refundId, 'succeed');
      await settle();
      await settle();
      expect(await refundRow(first.refundId)).toMatchObject({
        status: 'succeeded',
        quantity: 1,
        restockUnits: 1,
        kind: 'refund_only',
      });
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 2 });
      expect(await shown(sku)).toBe(8);

      // A second refund on the same line: the running total (2) releases one more, not two.
      const second = await h.stack.ksControl.createRefund({ oid, productNum: 1, amountFen: paid / 3, restock: true });
      await h.stack.ksControl.setRefundStatus(second.refundId, 'succeed');
      await settle();
      // The registry is read again, from a push replay and the poll: nothing moves.
      const ingest = h.stack.t.app.get(RefundIngestService);
      const shop = {
        platform: 'kuaishou' as const,
        connectionId: h.connections.kuaishou.id,
        shopId: h.shops.kuaishou,
        merchantId: h.merchantId,
      };
      await ingest.refresh(shop, first.refundId);
      await ingest.refresh(shop, second.refundId);
      await settle();
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 1 });
      expect(await shown(sku)).toBe(9);
      expect((await h.stack.ksControl.getOrder(oid)).status).toBe(30);

      // (The emulator, like the platform per a third-party write-up, refuses to ship after a refund at 60.)
      expect((await line(oid)).stockState).toBe('held');

      // Each fact went out once on the merchant-event contract, whatever the pushes did.
      const events = await raised(first.refundId);
      expect(events.filter((e) => e.type === 'order.refunded')).toHaveLength(1);
      const updates = events.filter((e) => e.type === 'refund.updated').map((e) => e.data.status);
      expect(updates).toContain('succeeded');
      expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
      expect(events[0].subject).toBe((await line(oid)).orderId);
    });

    it('takes a refund in from its push alone, without a poll', async () => {
      const sku = await h.sku('AS-KS-4', { onHand: 10, mode: 'split' });
      const { oid } = await ksOrder(sku, 1);
      await settle();
      // No poll from here on (the scheduled one included): only the pushes carry the refund.
      const polls = jest.spyOn(h.stack.t.app.get(OrderPollService), 'poll').mockResolvedValue(0);
      const refund = await h.stack.ksControl.createRefund({ oid, restock: true });
      await h.stack.ksControl.setRefundStatus(refund.refundId, 'succeed');
      await eventually(async () => {
        await h.quiet();
        return (await refundRow(refund.refundId))?.status === 'succeeded';
      }, 20_000);
      expect(await refundRow(refund.refundId)).toMatchObject({ restockUnits: 1, quantity: 1 });
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 0 });
      await h.quiet();
      expect(await shown(sku)).toBe(10);
      polls.mockRestore();
    });

    it('releases nothing for price protection or an exchange: the goods still ship', async () => {
      const sku = await h.sku('AS-KS-2', { onHand: 10, mode: 'split' });
      const { oid, paid } = await ksOrder(sku, 2);
      await settle();
      const protection = await h.stack.ksControl.createRefund({
        oid,
        amountFen: Math.floor(paid / 10),
        specialRefundType: 1,
        restock: true,
      });
      await h.stack.ksControl.setRefundStatus(protection.refundId, 'succeed');
      await settle();
      expect(await refundRow(protection.refundId)).toMatchObject({
        status: 'succeeded',
        priceProtection: 1,
        restockUnits: 0,
      });
      const exchange = await h.stack.ksControl.createRefund({ oid, handlingWay: 3, restock: true });
      await h.stack.ksControl.setRefundStatus(exchange.refundId, 'succeed');
      await settle();
      expect(await refundRow(exchange.refundId)).toMatchObject({ kind: 'exchange', restockUnits: 0 });

      expect((await h.stack.ksControl.getOrder(oid)).status).toBe(30);
      expect((await line(oid)).stockState).toBe('held');
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 2 });
      expect(await shown(sku)).toBe(8);
      // Both still raise order.refunded (money went back) but put nothing on sale.
      expect((await raised(protection.refundId)).some((e) => e.type === 'order.refunded')).toBe(true);
    });

    it('releases the whole line once when a full refund closes the order', async () => {
      const sku = await h.sku('AS-KS-3', { onHand: 10, mode: 'split' });
      const { oid } = await ksOrder(sku, 2);
      await settle();
      const refund = await h.stack.ksControl.createRefund({ oid, restock: true });
      await h.stack.ksControl.setRefundStatus(refund.refundId, 'succeed');
      await settle();
      await settle();
      expect((await h.stack.ksControl.getOrder(oid)).status).toBe(80);
      expect(await refundRow(refund.refundId)).toMatchObject({ status: 'succeeded', restockUnits: 2 });
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 0 });
      expect(await shown(sku)).toBe(10);
    });
  });

  describe('a line sold before its SKU was bound', () => {
    it('releases its refunded units once the binding attaches the line', async () => {
      const code = 'AS-UB-1';
      const item = await h.stack.ksControl.createItem({
        openId: h.shops.kuaishou,
        title: `商品 ${code}`,
        skus: [{ stock: 5, price: 9900, skuNick: code }],
      });
      const order = await h.stack.ksControl.placeOrder({
        itemId: item.itemId,
        skuId: item.skus[0].skuId,
        quantity: 3,
        pay: true,
      });
      await settle();
      const refund = await h.stack.ksControl.createRefund({
        oid: order.oid,
        productNum: 1,
        amountFen: 9900,
        restock: true,
      });
      await h.stack.ksControl.setRefundStatus(refund.refundId, 'succeed');
      await settle();
      expect(await refundRow(refund.refundId)).toMatchObject({ status: 'succeeded', restockUnits: 1 });
      expect((await line(order.oid)).stockState).toBe('unbound');

      // The merchant discovers the SKU: it binds, the line holds its units and the refund releases its one.
      const res = await fetch(
        `${h.stack.url}/api/merchants/${h.merchantId}/connections/${h.connections.kuaishou.id}/discover-skus`,
        { method: 'POST', headers: h.auth },
      );
      expect(res.status).toBe(200);
      await h.quiet();
      await h.erp(code, 10);
      await settle();
      const fixture = {
        code,
        merchantSkuId: (await line(order.oid)).merchantSkuId!,
        ks: { itemId: item.itemId, skuId: item.skus[0].skuId },
        yz: { itemId: '', skuId: '' },
      };
      expect(await h.ledger(fixture)).toEqual({ onHand: 10, reserved: 2 });
      expect((await h.stack.ksControl.getSku(item.itemId, item.skus[0].skuId)).stock).toBe(8);
    });
  });

  describe('Youzan', () => {
    it('releases item_num partial refunds heard only through polling, never going back in status', async () => {
      const a = await h.sku('AS-YZ-A', { onHand: 10, mode: 'split' });
      const b = await h.sku('AS-YZ-B', { onHand: 10, mode: 'split' });
      const order = await h.stack.yzControl.placeOrder({
        kdtId: Number(h.shops.youzan),
        lines: [
          { skuId: a.yz.skuId, quantity: 3 },
          { skuId: b.yz.skuId, quantity: 1 },
        ],
        pay: true,
      });
      const lineA = order.lines.find((l) => l.skuId === a.yz.skuId)!;
      await settle();
      expect(await shown(a)).toBe(7);

      await h.stack.yzControl.setFaults({ push: { lossRate: 1 } });
      const unit = (await line(order.tid, a.yz.skuId)).paidFen / 3;
      const one = await h.stack.yzControl.createRefund({
        tid: order.tid,
        oids: [lineA.oid],
        itemNum: 1,
        amountFen: unit,
        restock: true,
        status: 'SUCCESS',
      });
      await settle();
      const [firstId] = one.refundIds;
      expect(await refundRow(firstId)).toMatchObject({
        status: 'succeeded',
        quantity: 1,
        restockUnits: 1,
        platformLineIds: lineA.oid,
      });
      expect(await h.ledger(a)).toEqual({ onHand: 10, reserved: 2 });
      expect(await shown(a)).toBe(8);

      // An older snapshot of the same refund (an in-flight read overtaken by a newer one) changes nothing.
      const ingest = h.stack.t.app.get(RefundIngestService);
      const shop = {
        platform: 'youzan' as const,
        connectionId: h.connections.youzan.id,
        shopId: h.shops.youzan,
        merchantId: h.merchantId,
      };
      const row = (await refundRow(firstId))!;
      const older = {
        refundId: firstId,
        orderId: order.tid,
        lineIds: [lineA.oid],
        status: 'requested' as const,
        rawStatus: 'WAIT_SELLER_AGREE',
        kind: 'refund_only' as const,
        amountFen: unit,
        quantity: 1,
        createdAt: row.platformCreatedAt,
      };
      expect(await ingest.ingest(shop, { ...older, updatedAt: row.platformUpdatedAt - 1000 })).toBe('stale');
      // Same time stamp, earlier status: a final status is never left.
      await ingest.ingest(shop, { ...older, updatedAt: row.platformUpdatedAt });
      expect(await refundRow(firstId)).toMatchObject({ status: 'succeeded', restockUnits: 1 });

      // The other two units come back: the line is refunded in full (the order stays open for line B).
      const two = await h.stack.yzControl.createRefund({
        tid: order.tid,
        oids: [lineA.oid],
        itemNum: 2,
        amountFen: unit * 2,
        restock: true,
        status: 'SUCCESS',
      });
      await settle();
      await settle();
      expect(await refundRow(two.refundIds[0])).toMatchObject({ restockUnits: 2 });
      expect(await h.ledger(a)).toEqual({ onHand: 10, reserved: 0 });
      expect(await shown(a)).toBe(10);
      expect(await h.ledger(b)).toEqual({ onHand: 10, reserved: 1 });
      expect(await shown(b)).toBe(9);
    });

    it('keeps units held for a money-only partial refund (less than its units were paid)', async () => {
      const c = await h.sku('AS-YZ-C', { onHand: 10, mode: 'split' });
      const order = await h.stack.yzControl.placeOrder({
        kdtId: Number(h.shops.youzan),
        lines: [{ skuId: c.yz.skuId, quantity: 2 }],
        pay: true,
      });
      await settle();
      const refund = await h.stack.yzControl.createRefund({
        tid: order.tid,
        itemNum: 1,
        amountFen: 100,
        restock: false,
        status: 'SUCCESS',
      });
      await settle();
      expect(await refundRow(refund.refundIds[0])).toMatchObject({ status: 'succeeded', restockUnits: 0 });
      expect(await h.ledger(c)).toEqual({ onHand: 10, reserved: 2 });
      expect(await shown(c)).toBe(8);
    });
  });

  describe('API and page', () => {
    it('lists and reads the merchant’s refunds, filters them, and hides other merchants’ refunds', async () => {
      const base = `${h.stack.url}/api/merchants/${h.merchantId}/refunds`;
      const list = await fetch(`${base}?platform=kuaishou&status=succeeded&pageSize=100`, { headers: h.auth });
      expect(list.status).toBe(200);
      const body = (await list.json()) as { items: { id: string; platform: string; status: string }[]; total: number };
      expect(body.total).toBeGreaterThanOrEqual(4);
      expect(body.items.every((r) => r.platform === 'kuaishou' && r.status === 'succeeded')).toBe(true);

      const one = await fetch(`${base}/${body.items[0].id}`, { headers: h.auth });
      expect(one.status).toBe(200);
      expect(((await one.json()) as { id: string }).id).toBe(body.items[0].id);

      const bad = await fetch(`${base}?status=sideways&pageSize=0`, { headers: h.auth });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toMatch(/status|pageSize/);

      // Another merchant's owner asks for this refund under their own merchant: not found.
      const other = await createMerchant(h.stack.url, 'refunds-other');
      const foreign = await fetch(`${h.stack.url}/api/merchants/${other}/refunds/${body.items[0].id}`, {
        headers: { authorization: ownerOf(other).bearer },
      });
      expect(foreign.status).toBe(404);

      const pageAnswer = await fetch(`${h.stack.url}/merchants/${h.merchantId}/refunds?platform=youzan`, {
        headers: h.auth,
      });
      expect(pageAnswer.status).toBe(200);
      const text = await pageAnswer.text();
      expect(text).toContain('data-testid="refunds"');
      expect(text).not.toContain('refund-kuaishou-');
    });
  });
});
