import { isUUID } from 'class-validator';
import { orderTransitionEvents, stableEventId } from './order-events';

describe('order merchant events', () => {
  it('raises created (and paid) when an order is first seen', () => {
    expect(orderTransitionEvents(undefined, 'unpaid')).toEqual(['order.created']);
    expect(orderTransitionEvents(undefined, 'paid')).toEqual(['order.created', 'order.paid']);
    expect(orderTransitionEvents(undefined, 'cancelled')).toEqual(['order.created', 'order.cancelled']);
    expect(orderTransitionEvents(undefined, 'shipped')).toEqual(['order.created', 'order.paid', 'order.shipped']);
  });

  it('raises each later fact once, on the change', () => {
    expect(orderTransitionEvents('unpaid', 'paid')).toEqual(['order.paid']);
    expect(orderTransitionEvents('paid', 'paid')).toEqual([]);
    expect(orderTransitionEvents('paid', 'shipped')).toEqual(['order.shipped']);
    expect(orderTransitionEvents('shipped', 'delivered')).toEqual([]);
    expect(orderTransitionEvents('paid', 'cancelled')).toEqual(['order.cancelled']);
    expect(orderTransitionEvents('unpaid', 'cancelled')).toEqual(['order.cancelled']);
  });

  it('gives the same fact the same UUID and different facts different ones', () => {
    const a = stableEventId('o1', 'order.paid');
    expect(isUUID(a)).toBe(true);
    expect(stableEventId('o1', 'order.paid')).toBe(a);
    expect(stableEventId('o1', 'order.shipped')).not.toBe(a);
  });
});
