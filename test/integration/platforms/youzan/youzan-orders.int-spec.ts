import { Carrier } from '@app/platforms/carriers';
import { ShopRef } from '@app/platforms/ports/platform.types';
import { ChannelOrder, OrderQuery } from '@app/platforms/ports/orders.port';
import { PlatformError } from '@app/platforms/platform-error';
import { SandboxControlError } from '@app/sandbox/youzan/youzan-sandbox.control';
import { startYouzanHarness, YouzanHarness, failure } from './youzan-harness';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

describe('Youzan orders, shipping, refunds and coupons channels against the emulator', () => {
  let h: YouzanHarness;

  beforeAll(async () => {
    h = await startYouzanHarness();
  });
  afterAll(() => h.close());

  async function seedSku(shop: ShopRef, stock = 1000, priceFen = 1990, itemNo = 'KS-SKU-1') {
    const item = await h.control.createItem({
      kdtId: Number(shop.shopId),
      title: '订单测试商品',
      itemNo: 'KS-ITEM-1',
      skus: [{ itemNo, priceFen, stock }],
    });
    return { itemId: item.itemId, skuId: item.skus[0].skuId };
  }

  async function listAll(
    shop: ShopRef,
    query: Omit<OrderQuery, 'cursor'>,
    between?: (page: number) => Promise<void>,
  ): Promise<{ orders: ChannelOrder[]; pages: number }> {
    const orders: ChannelOrder[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await h.channels.orders.listOrders(shop, { ...query, cursor });
      pages++;
      orders.push(...page.orders);
      cursor = page.nextCursor;
      if (between) await between(pages);
    } while (cursor && pages < 50);
    return { orders, pages };
  }

  describe('listOrders pagination', () => {
    let shop: ShopRef;
    const tids: string[] = [];
    let now: number;

    beforeAll(async () => {
      shop = await h.connectShop();
      const sku = await seedSku(shop);
      for (let i = 0; i < 250; i++)
        tids.push(
          (
            await h.control.placeOrder({
              kdtId: Number(shop.shopId),
              lines: [{ skuId: sku.skuId, quantity: 1 }],
              pay: i % 2 === 0,
            })
          ).tid,
        );
      now = (await h.control.clock()).now;
    });

    it('reads 250 orders to the end over several pages, none lost or repeated', async () => {
      const { orders, pages } = await listAll(shop, {
        since: now - HOUR,
        until: now + HOUR,
        by: 'created',
        pageSize: 100,
      });
      expect(pages).toBe(3);
      expect(orders).toHaveLength(250);
      expect(new Set(orders.map((o) => o.orderId))).toEqual(new Set(tids));
      expect(orders.every((o) => /^E\d{23}$/.test(o.orderId))).toBe(true);
      expect(orders.filter((o) => o.status === 'paid')).toHaveLength(125);
      expect(orders.filter((o) => o.status === 'unpaid')).toHaveLength(125);
    });

    it('drops rows that shift onto the next page when new orders arrive while paginating', async () => {
      const sku = await seedSku(shop);
      const { orders } = await listAll(
        shop,
        { since: now - HOUR, until: now + HOUR, by: 'created', pageSize: 100 },
        async (page) => {
          if (page !== 1) return;
          // Newest-first lists: 5 new orders push the tail of page 1 onto page 2.
          for (let i = 0; i < 5; i++)
            await h.control.placeOrder({ kdtId: Number(shop.shopId), lines: [{ skuId: sku.skuId, quantity: 1 }] });
        },
      );
      const ids = orders.map((o) => o.orderId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const tid of tids) expect(ids).toContain(tid);
    });

    it('lists by update time with start_update/end_update', async () => {
      const sku = await seedSku(shop);
      await h.control.advanceClock(2 * HOUR);
      const marker = (await h.control.clock()).now;
      const fresh = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [{ skuId: sku.skuId, quantity: 1 }],
      });
      await h.control.payOrder(tids[1]);
      h.tokens.set(shop.connectionId, await h.oauth.silentGrant(shop.shopId));
      const { orders } = await listAll(shop, { since: marker - 1000, until: marker + HOUR, by: 'updated' });
      expect(orders.map((o) => o.orderId).sort()).toEqual([fresh.tid, tids[1]].sort());
      expect(orders.find((o) => o.orderId === tids[1])?.paidAt).toBeGreaterThanOrEqual(marker - 1000);
    });
  });

  it('splits ranges longer than three months into paired windows the platform accepts', async () => {
    const shop = await h.connectShop();
    const sku = await seedSku(shop);
    const start = (await h.control.clock()).now;
    const expected: string[] = [];
    for (const gap of [0, 100 * DAY, 100 * DAY]) {
      await h.control.advanceClock(gap);
      expected.push(
        (await h.control.placeOrder({ kdtId: Number(shop.shopId), lines: [{ skuId: sku.skuId, quantity: 1 }] })).tid,
      );
    }
    h.tokens.set(shop.connectionId, await h.oauth.silentGrant(shop.shopId));
    await h.control.resetCounters();
    const end = (await h.control.clock()).now;
    const { orders } = await listAll(shop, { since: start - DAY, until: end + HOUR, by: 'created' });
    expect(orders.map((o) => o.orderId).sort()).toEqual(expected.sort());
    const counters = await h.control.counters();
    expect(counters.calls['youzan.trades.sold.get']).toBeGreaterThanOrEqual(3);
    expect(counters.rejected).toEqual({});
  });

  describe('amounts, coupons and detail', () => {
    let shop: ShopRef;
    let couponId: string;
    let order: ChannelOrder;

    beforeAll(async () => {
      shop = await h.connectShop();
      const now = (await h.control.clock()).now;
      ({ couponId } = await h.channels.promotions.createCoupon(shop, {
        name: '满50减5',
        discountFen: 500,
        thresholdFen: 5000,
        totalStock: 100,
        perBuyerLimit: 1,
        startsAt: now - HOUR,
        endsAt: now + 30 * DAY,
        idempotencyKey: 'campaign-2026-spring',
      }));
      const a = await seedSku(shop, 10, 3990, 'KS-A');
      const b = await seedSku(shop, 10, 1001, 'KS-B');
      const placed = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [
          { skuId: a.skuId, quantity: 2 },
          { skuId: b.skuId, quantity: 1 },
        ],
        pay: true,
        couponId,
        postFeeFen: 600,
        buyerMessage: '请尽快发货',
      });
      order = await h.channels.orders.getOrder(shop, placed.tid);
    });

    it('converts yuan strings to exact fen: goods, coupon, postage and paid', () => {
      expect(order).toMatchObject({
        goodsTotalFen: 8981,
        discountFen: 500,
        shippingFeeFen: 600,
        paidFen: 9081,
        status: 'paid',
        rawStatus: 'WAIT_SELLER_SEND_GOODS',
        buyerNote: '请尽快发货',
      });
      expect(order.lines.map((l) => [l.outerSkuId, l.quantity, l.unitPriceFen])).toEqual([
        ['KS-A', 2, 3990],
        ['KS-B', 1, 1001],
      ]);
      expect(order.lines.reduce((sum, l) => sum + l.paidFen, 0)).toBe(9081);
      expect(order.lines.every((l) => l.refundStatus === 'none' && l.shippedQuantity === 0)).toBe(true);
      expect(order.shipBy).toBeUndefined();
      expect(h.channels.fulfilment.platformShipBy).toBe(false);
    });

    it('maps the order-level coupon to a ChannelPromotion with the coupon activity id', () => {
      expect(order.promotions).toEqual([
        {
          kind: 'coupon',
          name: '满50减5',
          discountFen: 500,
          bearer: 'merchant',
          couponId,
          lineId: undefined,
          rawType: 'coupon',
        },
      ]);
    });

    it('derives the same discount from list amounts (the list has no order_promotion)', async () => {
      const page = await h.channels.orders.listOrders(shop, {
        since: order.createdAt - HOUR,
        until: order.createdAt + HOUR,
        by: 'created',
      });
      const listed = page.orders.find((o) => o.orderId === order.orderId);
      expect(listed).toMatchObject({
        goodsTotalFen: 8981,
        discountFen: 500,
        shippingFeeFen: 600,
        paidFen: 9081,
        promotions: [],
      });
    });

    it('creates a coupon once per idempotency key and reports its usage', async () => {
      const again = await h.channels.promotions.createCoupon(shop, {
        name: '满50减5',
        discountFen: 500,
        thresholdFen: 5000,
        totalStock: 100,
        perBuyerLimit: 1,
        startsAt: 0,
        endsAt: 1,
        idempotencyKey: 'campaign-2026-spring',
      });
      expect(again.couponId).toBe(couponId);
      const { coupons, total } = await h.channels.promotions.listCoupons(shop, { page: 1, pageSize: 20 });
      expect(total).toBe(1);
      expect(coupons[0]).toMatchObject({
        couponId,
        name: '满50减5',
        discountFen: 500,
        thresholdFen: 5000,
        totalStock: 100,
        perBuyerLimit: 1,
        status: 'active',
      });
      expect(await h.channels.promotions.getCouponUsage(shop, couponId)).toEqual({ couponId, issued: 1, used: 1 });
    });

    it('ships part of the order, then the rest; a repeated ship is taken as done', async () => {
      const [first, second] = order.lines;
      await h.channels.fulfilment.shipOrder(shop, {
        orderId: order.orderId,
        carrier: Carrier.SF,
        trackingNo: 'SF1234567890',
        lineIds: [first.lineId],
      });
      let detail = await h.channels.orders.getOrder(shop, order.orderId);
      expect(detail.status).toBe('paid');
      expect(detail.lines.map((l) => l.shippedQuantity)).toEqual([2, 0]);
      await h.channels.fulfilment.shipOrder(shop, {
        orderId: order.orderId,
        carrier: Carrier.ZTO,
        trackingNo: 'ZTO-778899',
        lineIds: [second.lineId],
      });
      detail = await h.channels.orders.getOrder(shop, order.orderId);
      expect(detail).toMatchObject({ status: 'shipped', rawStatus: 'WAIT_BUYER_CONFIRM_GOODS' });
      await h.control.resetCounters();
      await expect(
        h.channels.fulfilment.shipOrder(shop, {
          orderId: order.orderId,
          carrier: Carrier.SF,
          trackingNo: 'SF1234567890',
        }),
      ).resolves.toBeUndefined();
      expect((await h.control.counters()).rejected).toEqual({ 'business:102570007': 1 });
    });

    it('refuses carriers missing from Youzan express list and waybills with bad characters', async () => {
      const sku = await seedSku(shop);
      const placed = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [{ skuId: sku.skuId, quantity: 1 }],
        pay: true,
      });
      expect(
        await failure(
          h.channels.fulfilment.shipOrder(shop, { orderId: placed.tid, carrier: Carrier.JD, trackingNo: 'JD0001' }),
          PlatformError,
        ),
      ).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(
        await failure(
          h.channels.fulfilment.shipOrder(shop, { orderId: placed.tid, carrier: Carrier.SF, trackingNo: 'SF 12/34' }),
          PlatformError,
        ),
      ).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '105000003' });
      const unpaid = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [{ skuId: sku.skuId, quantity: 1 }],
      });
      expect(
        await failure(
          h.channels.fulfilment.shipOrder(shop, { orderId: unpaid.tid, carrier: Carrier.SF, trackingNo: 'SF1' }),
          PlatformError,
        ),
      ).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '102570020' });
    });

    it('reports an unknown order as NOT_FOUND', async () => {
      expect(await failure(h.channels.orders.getOrder(shop, 'E20240101120000000000001'), PlatformError)).toMatchObject({
        code: 'NOT_FOUND',
        rawCode: '5000',
      });
    });
  });

  describe('platform stock and refunds', () => {
    let shop: ShopRef;

    beforeAll(async () => {
      shop = await h.connectShop();
    });

    it('refuses an order the platform has no stock for, deducts on order and gives stock back on close', async () => {
      const sku = await seedSku(shop, 3);
      const error = await failure(
        h.control.placeOrder({ kdtId: Number(shop.shopId), lines: [{ skuId: sku.skuId, quantity: 4 }] }),
        SandboxControlError,
      );
      expect(error).toMatchObject({ status: 409, code: 'insufficient_stock' });
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(3);
      const placed = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [{ skuId: sku.skuId, quantity: 3 }],
      });
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(0);
      await h.control.cancelOrder(placed.tid);
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(3);
      expect((await h.channels.orders.getOrder(shop, placed.tid)).status).toBe('cancelled');
    });

    it('lists and reads refunds in fen with their line, restocks and closes a fully refunded order', async () => {
      const a = await seedSku(shop, 5, 1250, 'R-A');
      const b = await seedSku(shop, 5, 800, 'R-B');
      const placed = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [
          { skuId: a.skuId, quantity: 2 },
          { skuId: b.skuId, quantity: 1 },
        ],
        pay: true,
      });
      const now = (await h.control.clock()).now;
      const partial = await h.control.createRefund({ tid: placed.tid, oids: [placed.lines[0].oid], amountFen: 1999 });
      let detail = await h.channels.orders.getOrder(shop, placed.tid);
      expect(detail.lines[0].refundStatus).toBe('in_progress');
      expect(detail.shipHolds).toContain('refund in progress');

      const page = await h.channels.afterSales.listRefunds(shop, { since: now - HOUR, until: now + HOUR });
      expect(page.refunds).toHaveLength(1);
      expect(page.refunds[0]).toMatchObject({
        refundId: partial.refundIds[0],
        orderId: placed.tid,
        status: 'requested',
        rawStatus: 'WAIT_SELLER_AGREE',
        amountFen: 1999,
        kind: 'refund_only',
      });
      expect(page.nextCursor).toBeUndefined();

      await h.control.setRefundStatus(partial.refundIds[0], 'SUCCESS');
      const refund = await h.channels.afterSales.getRefund(shop, partial.refundIds[0]);
      expect(refund).toMatchObject({ status: 'succeeded', lineIds: [placed.lines[0].oid], amountFen: 1999 });
      expect((await h.control.getSku(a.itemId, a.skuId)).stock).toBe(5);

      await h.control.createRefund({ tid: placed.tid, oids: [placed.lines[1].oid], status: 'SUCCESS' });
      detail = await h.channels.orders.getOrder(shop, placed.tid);
      expect(detail.status).toBe('cancelled');
      expect(detail.lines.map((l) => l.refundStatus)).toEqual(['refunded', 'refunded']);
      expect(
        await failure(h.channels.afterSales.getRefund(shop, '202401010000000000000001'), PlatformError),
      ).toMatchObject({ code: 'NOT_FOUND', rawCode: '103011024' });
    });
  });
});
