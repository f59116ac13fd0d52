import { Carrier } from '@app/platforms/carriers';
import { KuaishouHarness, seedItem, startKuaishouHarness } from './kuaishou.harness';

/** Partial shipments through `open.order.goods.split.deliver`, judged on the emulator's order. */
describe('Kuaishou split delivery against the emulator', () => {
  let h: KuaishouHarness;
  beforeEach(async () => {
    h = await startKuaishouHarness();
  });
  afterEach(() => h.stop());

  it('ships units in parcels, tolerates a repeated parcel, refuses more units than ordered, and ships the order when all units left', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 50 }]);
    const { oid } = await h.control.placeOrder({ itemId, skuId: skuIds[0], quantity: 3, pay: true });
    const parcel = {
      orderId: oid,
      carrier: Carrier.ZTO,
      trackingNo: 'ZT100001',
      lines: [{ lineId: oid, quantity: 1 }],
    };

    await h.channels.fulfilment.shipOrder(h.shop, parcel);
    expect(await h.control.getOrder(oid)).toMatchObject({ status: 30, deliveryNum: 1 });
    expect((await h.channels.orders.getOrder(h.shop, oid)).lines[0].shippedQuantity).toBe(1);

    // The same parcel again (a retry after a lost answer): taken as landed, not shipped twice.
    await h.channels.fulfilment.shipOrder(h.shop, parcel);
    expect(await h.control.getOrder(oid)).toMatchObject({ status: 30, deliveryNum: 1 });

    await expect(
      h.channels.fulfilment.shipOrder(h.shop, {
        ...parcel,
        trackingNo: 'ZT100002',
        lines: [{ lineId: oid, quantity: 3 }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', rawMessage: expect.stringContaining('超过订单商品数量') });
    // The whole-order API no longer applies once part of the order has shipped.
    await expect(
      h.channels.fulfilment.shipOrder(h.shop, { orderId: oid, carrier: Carrier.ZTO, trackingNo: 'ZT100003' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', rawMessage: '订单已部分发货，请使用拆单发货' });

    await h.channels.fulfilment.shipOrder(h.shop, {
      ...parcel,
      trackingNo: 'ZT100004',
      lines: [{ lineId: oid, quantity: 2 }],
    });
    const shipped = await h.control.getOrder(oid);
    expect(shipped).toMatchObject({ status: 40, deliveryNum: 3 });
    expect(shipped.logistics.map((l) => l.expressNo).sort()).toEqual(['ZT100001', 'ZT100004']);
    expect(await h.channels.orders.getOrder(h.shop, oid)).toMatchObject({ status: 'shipped' });
  });

  it('checks every parcel’s waybill (result 11) and holds before shipping any unit', async () => {
    const { itemId, skuIds } = await seedItem(h, [{ stock: 50 }]);
    const { oid } = await h.control.placeOrder({ itemId, skuId: skuIds[0], quantity: 2, pay: true });
    await expect(
      h.channels.fulfilment.shipOrder(h.shop, {
        orderId: oid,
        carrier: Carrier.JD,
        trackingNo: 'SF12345678',
        lines: [{ lineId: oid, quantity: 1 }],
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', rawCode: '11' });
    await h.control.setOrderFlags(oid, { holds: [1] });
    await expect(
      h.channels.fulfilment.shipOrder(h.shop, {
        orderId: oid,
        carrier: Carrier.JD,
        trackingNo: 'JD12345678',
        lines: [{ lineId: oid, quantity: 1 }],
      }),
    ).rejects.toMatchObject({ rawMessage: '订单当前不可发货' });
    expect(await h.control.getOrder(oid)).toMatchObject({ status: 30, deliveryNum: 0, logistics: [] });
  });
});
