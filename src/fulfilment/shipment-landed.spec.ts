import { ChannelOrder } from '../platforms/ports/orders.port';
import { shipmentLanded } from './shipment-writer.service';

function order(status: ChannelOrder['status'], shipped: Record<string, number>): ChannelOrder {
  return {
    platform: 'youzan',
    orderId: 'E1',
    status,
    rawStatus: status,
    createdAt: 0,
    updatedAt: 0,
    shipHolds: [],
    goodsTotalFen: 0,
    discountFen: 0,
    shippingFeeFen: 0,
    paidFen: 0,
    promotions: [],
    lines: Object.entries(shipped).map(([lineId, shippedQuantity]) => ({
      lineId,
      itemId: 'i',
      skuId: 's',
      title: 't',
      quantity: 2,
      unitPriceFen: 100,
      discountFen: 0,
      paidFen: 200,
      shippedQuantity,
    })),
  };
}

describe('shipmentLanded', () => {
  it('takes a whole-order shipment as landed once the order shows shipped (or later)', () => {
    expect(shipmentLanded({ lines: null }, order('paid', { a: 2 }))).toBe(false);
    expect(shipmentLanded({ lines: null }, order('shipped', { a: 2 }))).toBe(true);
    expect(shipmentLanded({ lines: null }, order('completed', { a: 2 }))).toBe(true);
  });

  it('takes a partial shipment as landed when every line in it shows its units shipped', () => {
    const lines = [{ lineId: 'a', quantity: 2 }];
    expect(shipmentLanded({ lines }, order('paid', { a: 2, b: 0 }))).toBe(true);
    expect(shipmentLanded({ lines }, order('paid', { a: 1, b: 0 }))).toBe(false);
    expect(shipmentLanded({ lines: [{ lineId: 'x', quantity: 1 }] }, order('paid', { a: 2 }))).toBe(false);
  });
});
