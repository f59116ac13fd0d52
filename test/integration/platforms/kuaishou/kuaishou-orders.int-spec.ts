import { Carrier } from '@app/platforms/carriers';
import { PlatformError } from '@app/platforms/platform-error';
import { KuaishouHarness, rawGatewayCall, seedItem, startKuaishouHarness } from './kuaishou.harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('Kuaishou orders, refunds and coupons against the emulator', () => {
  let h: KuaishouHarness;
  beforeEach(async () => {
    h = await startKuaishouHarness();
  });
  afterEach(() => h.stop());

  it('pages through 120 orders spread over 20 days to the end, none lost or duplicated', async () => {
    const start = (await h.control.clock()).now;
    const { itemId, skuIds } = await seedItem(h, [{ stock: 1_000 }]);
    const placed: string[] = [];
    for (let i = 0; i < 120; i++) {
      placed.push((await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: i % 3 !== 0 })).oid);
      await h.control.advanceClock(4 * HOUR);
    }
    const until = (await h.control.clock()).now;
    for (const by of ['created', 'updated'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await h.channels.orders.listOrders(h.shop, { since: start, until, by, cursor, pageSize: 20 });
        seen.push(...page.orders.map((o) => o.orderId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(seen.length).toBe(120);
      expect(new Set(seen).size).toBe(120);
      expect([...seen].sort()).toEqual([...placed].sort());
      // Three 7-day windows holding 42, 42 and 36 orders, 20 per page.
      expect(pages).toBe(8);
    }
    // More than the platform's 50 per page is capped, not refused.
    const big = await h.channels.orders.listOrders(h.shop, { since: start, until, by: 'created', pageSize: 500 });
    expect(big.orders.length).toBe(42);
    const unpaid = (
      await h.channels.orders.listOrders(h.shop, { since: start, until: start + 6 * DAY, by: 'created' })
    ).orders.filter((o) => o.status === 'unpaid');
    expect(unpaid.length).toBeGreaterThan(0);
    expect(unpaid.every((o) => o.shipBy === undefined && o.paidAt === undefined)).toBe(true);
  });

  it('maps one oid to one line, with the ship-by time the platform computes from the item’s promise', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 50, price: 3_000 }], { promiseSeconds: 86_400 });
    const placed = await h.control.placeOrder({
      itemId,
      skuId: skuIds[0],
      quantity: 2,
      pay: true,
      expressFee: 500,
      buyerNote: '请尽快发货',
    });
    const order = await h.channels.orders.getOrder(h.shop, placed.oid);
    expect(order).toMatchObject({
      orderId: placed.oid,
      status: 'paid',
      rawStatus: '30',
      paidAt: placed.payTime,
      shipBy: placed.payTime + 86_400_000,
      shipHolds: [],
      goodsTotalFen: 6_000,
      shippingFeeFen: 500,
      paidFen: 6_500,
      buyerNote: '请尽快发货',
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        lineId: placed.oid,
        itemId,
        skuId: skuIds[0],
        outerSkuId: 'SKU-1',
        quantity: 2,
        unitPriceFen: 3_000,
        paidFen: 6_000,
        shippedQuantity: 0,
      }),
    ]);
  });

  it('reports the platform’s shipping holds and refuses to ship a held order', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 50 }]);
    const groupBuy = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true, holds: [1] });
    const risky = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true, riskCode: 10_001 });
    const noPromise = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true, noPromise: true });
    expect((await h.channels.orders.getOrder(h.shop, groupBuy.oid)).shipHolds).toEqual(['group_buy_in_progress']);
    expect((await h.channels.orders.getOrder(h.shop, risky.oid)).shipHolds).toEqual(['risk_control']);
    expect(await h.channels.orders.getOrder(h.shop, noPromise.oid)).toMatchObject({
      shipHolds: ['no_valid_promise'],
      shipBy: undefined,
    });
    await expect(
      h.channels.fulfilment.shipOrder(h.shop, { orderId: groupBuy.oid, carrier: Carrier.SF, trackingNo: 'SF100' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', rawMessage: '订单当前不可发货' });
    await h.control.setOrderFlags(groupBuy.oid, { holds: [] });
    await h.channels.fulfilment.shipOrder(h.shop, { orderId: groupBuy.oid, carrier: Carrier.SF, trackingNo: 'SF100' });
    expect((await h.channels.orders.getOrder(h.shop, groupBuy.oid)).status).toBe('shipped');
  });

  it('ships with the carrier’s expressCode, tolerates a repeat with the same waybill, refuses unpaid orders and foreign waybills', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 50 }]);
    const paid = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
    await h.channels.fulfilment.shipOrder(h.shop, {
      orderId: paid.oid,
      carrier: Carrier.JTEXPRESS,
      trackingNo: 'JT0001',
    });
    await h.channels.fulfilment.shipOrder(h.shop, {
      orderId: paid.oid,
      carrier: Carrier.JTEXPRESS,
      trackingNo: 'JT0001',
    });
    expect((await h.control.getOrder(paid.oid)).logistics).toEqual([
      expect.objectContaining({ expressCode: 109, expressNo: 'JT0001' }),
    ]);
    const shipped = await h.channels.orders.getOrder(h.shop, paid.oid);
    expect(shipped).toMatchObject({ status: 'shipped', lines: [expect.objectContaining({ shippedQuantity: 1 })] });

    const unpaid = await h.control.placeOrder({ itemId, skuId: skuIds[0] });
    await expect(
      h.channels.fulfilment.shipOrder(h.shop, { orderId: unpaid.oid, carrier: Carrier.SF, trackingNo: 'SF200' }),
    ).rejects.toMatchObject({ rawMessage: '订单状态[10]不允许发货' });

    const other = await h.connectShop();
    const otherItem = await seedItem({ control: h.control, shop: other });
    const otherOrder = await h.control.placeOrder({ itemId: otherItem.itemId, skuId: otherItem.skuIds[0], pay: true });
    await expect(
      h.channels.fulfilment.shipOrder(other, {
        orderId: otherOrder.oid,
        carrier: Carrier.JTEXPRESS,
        trackingNo: 'JT0001',
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', rawCode: '11' });
  });

  it('answers another merchant’s order with "order operation reject"', async () => {
    const { itemId, skuIds } = await seedItem(h);
    const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
    const other = await h.connectShop();
    const error = (await h.channels.orders.getOrder(other, order.oid).catch((e: unknown) => e)) as PlatformError;
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '21', rawMessage: 'order operation reject' });
    const raw = await rawGatewayCall(h, {
      api: 'open.order.detail',
      accessToken: await h.tokens.accessToken(other),
      param: `{"oid":${order.oid}}`,
      verb: 'GET',
    });
    expect(raw.body).toMatchObject({ result: 21, error_msg: 'order operation reject' });
  });

  it('creates a coupon idempotently, applies it at checkout and reports the discount split by bearer', async () => {
    const now = (await h.control.clock()).now;
    const draft = {
      name: '满100减20',
      discountFen: 2_000,
      thresholdFen: 10_000,
      totalStock: 100,
      perBuyerLimit: 1,
      startsAt: now,
      endsAt: now + 7 * DAY,
      idempotencyKey: 'spring-sale-1',
    };
    const { couponId } = await h.channels.promotions.createCoupon(h.shop, draft);
    expect((await h.channels.promotions.createCoupon(h.shop, draft)).couponId).toBe(couponId);
    const { coupons, total } = await h.channels.promotions.listCoupons(h.shop, { page: 1, pageSize: 10 });
    expect(total).toBe(1);
    expect(coupons[0]).toMatchObject({
      couponId,
      discountFen: 2_000,
      thresholdFen: 10_000,
      status: 'active',
      perBuyerLimit: 1,
    });

    const { itemId, skuIds } = await seedItem(h, [{ stock: 10, price: 5_990 }]);
    const placed = await h.control.placeOrder({
      itemId,
      skuId: skuIds[0],
      quantity: 2,
      pay: true,
      couponId,
      platformDiscountFen: 300,
      expressFee: 800,
    });
    const order = await h.channels.orders.getOrder(h.shop, placed.oid);
    expect(order).toMatchObject({ goodsTotalFen: 11_980, discountFen: 2_300, shippingFeeFen: 800, paidFen: 10_480 });
    expect(order.lines[0]).toMatchObject({ discountFen: 2_300, paidFen: 9_680 });
    expect(order.promotions).toEqual([
      expect.objectContaining({
        kind: 'coupon',
        bearer: 'merchant',
        discountFen: 2_000,
        couponId,
        rawType: '1000:1001',
        lineId: placed.oid,
      }),
      expect.objectContaining({ kind: 'platform_subsidy', bearer: 'platform', discountFen: 300, rawType: '8000:8001' }),
    ]);
    const listed = (
      await h.channels.orders.listOrders(h.shop, { since: now - HOUR, until: now + HOUR, by: 'created' })
    ).orders.find((o) => o.orderId === placed.oid);
    expect(listed?.paidFen).toBe(10_480);
    expect(await h.channels.promotions.getCouponUsage(h.shop, couponId)).toEqual({
      couponId,
      issued: 1,
      used: 1,
      discountGivenFen: 2_000,
    });
    await expect(h.control.placeOrder({ itemId, skuId: skuIds[0], quantity: 1, couponId })).rejects.toMatchObject({
      code: 'coupon_not_applicable',
    });
  });

  it('lists refunds across 1-day windows and follows a refund to success, returning unshipped stock', async () => {
    const start = (await h.control.clock()).now;
    const { itemId, skuIds } = await seedItem(h, [{ stock: 10, price: 1_000 }]);
    const refundIds: string[] = [];
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
      orders.push(order.oid);
      refundIds.push((await h.control.createRefund({ oid: order.oid, reason: '拍错了' })).refundId);
      await h.control.advanceClock(29 * HOUR);
    }
    const until = (await h.control.clock()).now;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.channels.afterSales.listRefunds(h.shop, { since: start, until, cursor });
      seen.push(...page.refunds.map((r) => r.refundId));
      cursor = page.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...refundIds].sort());
    expect((await h.control.counters()).calls['open.seller.order.refund.pcursor.list']).toBeGreaterThanOrEqual(4);

    expect(await h.channels.afterSales.getRefund(h.shop, refundIds[0])).toMatchObject({
      orderId: orders[0],
      lineIds: [orders[0]],
      status: 'requested',
      kind: 'refund_only',
      amountFen: 1_000,
      reason: '拍错了',
    });
    expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(7);
    await h.control.setRefundStatus(refundIds[0], 'succeed');
    expect(await h.channels.afterSales.getRefund(h.shop, refundIds[0])).toMatchObject({
      status: 'succeeded',
      rawStatus: '60',
    });
    expect((await h.channels.orders.getOrder(h.shop, orders[0])).status).toBe('cancelled');
    expect((await h.control.getSku(itemId, skuIds[0])).stock).toBe(8);
    await h.control.setRefundStatus(refundIds[1], 'refuse');
    expect((await h.channels.afterSales.getRefund(h.shop, refundIds[1])).status).toBe('refused');
    await expect(h.channels.afterSales.getRefund(h.shop, '2100000000000001')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      rawCode: '300011',
    });
  });
});
