import { ChannelOrderLineEntity } from '../channel-order-line.entity';
import { ChannelRefundEntity } from './channel-refund.entity';
import { restockUnitsOf, stableEventId } from './refund-ingest.service';

const line = (overrides: Partial<ChannelOrderLineEntity> = {}): ChannelOrderLineEntity =>
  Object.assign(new ChannelOrderLineEntity(), { platformLineId: 'L1', quantity: 3, paidFen: 3000, ...overrides });

const refund = (overrides: Partial<ChannelRefundEntity> = {}): ChannelRefundEntity =>
  Object.assign(new ChannelRefundEntity(), {
    status: 'succeeded',
    kind: 'refund_only',
    priceProtection: 0,
    quantity: 1,
    amountFen: 1000,
    ...overrides,
  });

describe('refund rules', () => {
  it('puts back the units a succeeded refund paid back in full', () => {
    expect(restockUnitsOf(refund(), [line()])).toBe(1);
    expect(restockUnitsOf(refund({ quantity: 2, amountFen: 2000 }), [line()])).toBe(2);
    expect(restockUnitsOf(refund({ quantity: null, amountFen: 3000 }), [line()])).toBe(3);
    expect(restockUnitsOf(refund({ quantity: 9, amountFen: 9000 }), [line()])).toBe(3);
    expect(restockUnitsOf(refund({ kind: 'return_and_refund' }), [line()])).toBe(1);
  });

  it('puts back nothing for money only, price protection, exchanges, or a refund not yet succeeded', () => {
    expect(restockUnitsOf(refund({ amountFen: 999 }), [line()])).toBe(0);
    expect(restockUnitsOf(refund({ priceProtection: 1 }), [line()])).toBe(0);
    expect(restockUnitsOf(refund({ kind: 'exchange' }), [line()])).toBe(0);
    expect(restockUnitsOf(refund({ kind: 'other' }), [line()])).toBe(0);
    for (const status of ['requested', 'in_progress', 'refused', 'closed'] as const)
      expect(restockUnitsOf(refund({ status }), [line()])).toBe(0);
    expect(restockUnitsOf(refund(), [])).toBe(0);
  });

  it('takes a refund of several lines as all their units when it repaid them all', () => {
    const lines = [line(), line({ platformLineId: 'L2', quantity: 1, paidFen: 500 })];
    expect(restockUnitsOf(refund({ quantity: null, amountFen: 3500 }), lines)).toBe(4);
    expect(restockUnitsOf(refund({ quantity: null, amountFen: 3499 }), lines)).toBe(0);
  });

  it('gives one fact one stable UUID', () => {
    const id = stableEventId('order.refunded:kuaishou:1');
    expect(id).toBe(stableEventId('order.refunded:kuaishou:1'));
    expect(id).not.toBe(stableEventId('order.refunded:kuaishou:2'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
