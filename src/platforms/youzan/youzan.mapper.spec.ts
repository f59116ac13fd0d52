import { mapCoupon, mapOrderStatus, mapRefund, mapTrade } from './youzan.mapper';

describe('youzan mapper', () => {
  it('maps every documented order status, both closed spellings included', () => {
    expect(
      [
        'WAIT_BUYER_PAY',
        'TRADE_PAID',
        'WAIT_CONFIRM',
        'WAIT_SELLER_SEND_GOODS',
        'WAIT_BUYER_CONFIRM_GOODS',
        'TRADE_SUCCESS',
        'TRADE_CLOSED',
        'TRADE_CLOSE',
      ].map(mapOrderStatus),
    ).toEqual(['unpaid', 'paid', 'paid', 'paid', 'shipped', 'completed', 'cancelled', 'cancelled']);
    expect(() => mapOrderStatus('60')).toThrow(RangeError);
  });

  it('reads the 2020 demo promotion names (decrease, goods_decrease, order_decrease) and sentinel times', () => {
    const order = mapTrade({
      full_order_info: {
        order_info: {
          tid: 'E20180308214644100400012',
          status: 'WAIT_SELLER_SEND_GOODS',
          created: '2018-03-08 21:46:44',
          update_time: '',
          pay_time: '1970-01-01 08:00:00',
        },
        pay_info: { total_fee: '100.00', post_fee: '10.00', payment: '95.50' },
        orders: [
          {
            oid: '1464656372396892160',
            item_id: '1436413407076030200',
            sku_id: 0,
            num: 2,
            price: '50.00',
            total_fee: '100.00',
            payment: '95.50',
            title: 't',
          },
        ],
      },
      order_promotion: {
        item: [
          {
            oid: '1464656372396892160',
            promotions: [{ promotion_type: 'timelimitedDiscount', promotion_title: '限时折扣', decrease: '4.50' }],
          },
        ],
        order: [{ promotion_type: 'meetReduce', promotion_title: '满减', decrease: '10.00' }],
        goods_decrease: '4.50',
        order_decrease: '10.00',
      },
      refund_order: [],
      delivery_order: [],
    });
    expect(order).toMatchObject({
      goodsTotalFen: 10000,
      shippingFeeFen: 1000,
      paidFen: 9550,
      discountFen: 1450,
      paidAt: undefined,
    });
    expect(order.updatedAt).toBe(order.createdAt);
    expect(order.lines[0]).toMatchObject({
      itemId: '1436413407076030200',
      skuId: '0',
      unitPriceFen: 5000,
      discountFen: 450,
      paidFen: 9550,
    });
    expect(order.promotions).toEqual([
      {
        kind: 'discount',
        name: '限时折扣',
        discountFen: 450,
        bearer: 'merchant',
        couponId: undefined,
        lineId: '1464656372396892160',
        rawType: 'timelimitedDiscount',
      },
      {
        kind: 'discount',
        name: '满减',
        discountFen: 1000,
        bearer: 'merchant',
        couponId: undefined,
        lineId: undefined,
        rawType: 'meetReduce',
      },
    ]);
  });

  it('counts a line’s units as refunded only when a completed refund repaid it in full before it shipped', () => {
    const trade = (
      refund: { fee: string; state: number },
      delivered: string[] = [],
      status = 'WAIT_SELLER_SEND_GOODS',
    ) =>
      mapTrade({
        full_order_info: {
          order_info: { tid: 'E1', status, created: '2026-12-01 10:00:00', update_time: '2026-12-01 10:05:00' },
          pay_info: { total_fee: '30.00', payment: '30.00', post_fee: '0.00' },
          orders: [
            {
              oid: '11',
              item_id: '1',
              sku_id: 1,
              num: 2,
              price: '10.00',
              total_fee: '20.00',
              payment: '20.00',
              title: 'a',
            },
            {
              oid: '12',
              item_id: '2',
              sku_id: 2,
              num: 1,
              price: '10.00',
              total_fee: '10.00',
              payment: '10.00',
              title: 'b',
            },
          ],
        },
        refund_order: [{ refund_id: 'r1', refund_fee: refund.fee, refund_state: refund.state, oids: [{ oid: '11' }] }],
        delivery_order: delivered.length ? [{ express_state: 1, oids: delivered.map((oid) => ({ oid })) }] : [],
      }).lines.map((l) => l.refundedQuantity);
    expect(trade({ fee: '20.00', state: 60 })).toEqual([2, 0]);
    // Money only (part of the price): the goods still ship.
    expect(trade({ fee: '5.00', state: 60 })).toEqual([0, 0]);
    // Not completed yet.
    expect(trade({ fee: '20.00', state: 20 })).toEqual([0, 0]);
    // After shipment: a return comes back through the ERP's count.
    expect(trade({ fee: '20.00', state: 60 }, ['11'], 'WAIT_BUYER_CONFIRM_GOODS')).toEqual([0, 0]);
    // The list API carries no refund detail.
    expect(
      mapTrade({
        full_order_info: {
          order_info: { tid: 'E1', status: 'WAIT_SELLER_SEND_GOODS' },
          orders: [{ oid: '11', num: 2, payment: '20.00' }],
        },
      }).lines[0].refundedQuantity,
    ).toBeUndefined();
  });

  it('keeps the buyer as delivered (masked) and reads presale ship times in epoch seconds', () => {
    const order = mapTrade({
      full_order_info: {
        order_info: { tid: 'E1', status: 'WAIT_SELLER_SEND_GOODS', created: '2026-01-01 10:00:00' },
        pay_info: { total_fee: '10.00', post_fee: '0.00', payment: '10.00' },
        address_info: {
          receiver_name: '张*',
          receiver_tel: '138****1234',
          delivery_province: '浙江省',
          delivery_city: '杭州市',
          delivery_district: '西湖区',
          delivery_address: '文**路***号',
        },
        orders: [
          {
            oid: '1',
            item_id: 1,
            sku_id: 2,
            num: 1,
            price: '5.00',
            payment: '5.00',
            is_pre_sale: '1',
            expect_delivery_time: 1_800_000_000,
          },
          {
            oid: '2',
            item_id: 1,
            sku_id: 3,
            num: 1,
            price: '5.00',
            payment: '5.00',
            is_pre_sale: '0',
            expect_delivery_time: 1_800_000_000,
          },
        ],
      },
    });
    expect(order.buyer).toEqual({
      name: '张*',
      phone: '138****1234',
      address: '文**路***号',
      region: '浙江省 杭州市 西湖区',
    });
    expect(order.lines.map((l) => l.presaleShipAt)).toEqual([1_800_000_000_000, undefined]);
    expect(
      mapTrade({ full_order_info: { order_info: { tid: 'E2', status: 'WAIT_BUYER_PAY' } } }).buyer,
    ).toBeUndefined();
  });

  it('maps refund statuses and kinds', () => {
    const base = {
      refund_id: '202401011230001234567890',
      tid: 'E1',
      refund_fee: '12.30',
      created: '2024-01-01 12:30:00',
      modified: '2024-01-01 13:00:00',
    };
    expect(mapRefund({ ...base, status: 'WAIT_BUYER_RETURN_GOODS', return_goods: true })).toMatchObject({
      status: 'in_progress',
      kind: 'return_and_refund',
      amountFen: 1230,
    });
    expect(mapRefund({ ...base, status: 'SELLER_REFUSE_BUYER', refund_type: 'EXCHANGE_GOODS' })).toMatchObject({
      status: 'refused',
      kind: 'exchange',
    });
    expect(mapRefund({ ...base, status: 'SUCCESS', oid: 5, return_goods: false })).toMatchObject({
      status: 'succeeded',
      kind: 'refund_only',
      lineIds: ['5'],
      updatedAt: Date.UTC(2024, 0, 1, 5, 0, 0),
    });
  });

  it('derives coupon status from validity and the invalid flag', () => {
    const group = {
      id: 7,
      title: 'c',
      denominations: 500,
      condition: 5000,
      total_qty: 10,
      valid_start_time: '2024-01-01 00:00:00',
      valid_end_time: '2024-02-01 00:00:00',
    };
    const at = (text: string) => Date.parse(`${text}+08:00`);
    expect(mapCoupon(group, at('2023-12-31T00:00:00')).status).toBe('pending');
    expect(mapCoupon(group, at('2024-01-15T00:00:00'))).toMatchObject({
      status: 'active',
      discountFen: 500,
      thresholdFen: 5000,
      couponId: '7',
    });
    expect(mapCoupon(group, at('2024-03-01T00:00:00')).status).toBe('ended');
    expect(mapCoupon({ ...group, is_invalid: 1 }, at('2024-01-15T00:00:00')).status).toBe('ended');
  });
});
