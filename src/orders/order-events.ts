import { createHash } from 'node:crypto';
import type { MerchantEventType } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import type { ChannelOrderStatus } from '../platforms/ports/orders.port';

const SHIPPED: ChannelOrderStatus[] = ['shipped', 'delivered', 'completed'];

/**
 * The merchant events an order's status change raises: created when first seen, paid when it
 * leaves unpaid, shipped when it first reaches a shipped state, cancelled when it closes.
 * Each fact is raised once: a later snapshot of the same state raises nothing.
 */
export function orderTransitionEvents(
  previous: ChannelOrderStatus | undefined,
  next: ChannelOrderStatus,
): Extract<MerchantEventType, `order.${string}`>[] {
  const events: Extract<MerchantEventType, `order.${string}`>[] = [];
  if (previous === undefined) events.push('order.created');
  if (previous === next) return events;
  const wasShipped = previous !== undefined && SHIPPED.includes(previous);
  if ((previous === undefined || previous === 'unpaid') && next !== 'unpaid' && next !== 'cancelled')
    events.push('order.paid');
  if (SHIPPED.includes(next) && !wasShipped) events.push('order.shipped');
  if (next === 'cancelled' && previous !== 'cancelled') events.push('order.cancelled');
  return events;
}

/** A name-based (v5-style) UUID: the same fact always gets the same event id, so repeats are detectable. */
export function stableEventId(...parts: string[]): string {
  const hash = createHash('sha1')
    .update(`kwaizan.orders:${parts.join(':')}`)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
