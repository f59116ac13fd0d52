import { LosslessNumber } from 'lossless-json';
import { ChannelPushEvent, PushRejectedError } from '../ports/push.port';

/**
 * What a verified push may carry into our tables and topics. A correct signature only says who
 * sent the bytes; the fields are checked like any other input (the columns are 64–100 long).
 */
const RULES: Record<
  'eventId' | 'rawType' | 'shopId' | 'orderId' | 'refundId' | 'itemId' | 'status',
  { max: number; pattern: RegExp }
> = {
  eventId: { max: 100, pattern: /^[\x21-\x7e]+$/ },
  rawType: { max: 80, pattern: /^[A-Za-z0-9_.:-]+$/ },
  shopId: { max: 100, pattern: /^[\x21-\x7e]+$/ },
  orderId: { max: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  refundId: { max: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  itemId: { max: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  status: { max: 40, pattern: /^[\x20-\x7e]+$/ },
};

/** An id or name as sent: a string or a number (a Long beyond 2^53 arrives as LosslessNumber or digits). Anything else is refused. */
export function pushScalar(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || value instanceof LosslessNumber) return value.toString();
  throw new PushRejectedError(`push field ${field} is a ${Array.isArray(value) ? 'list' : typeof value}, not an id`);
}

/** A platform business id (order, refund, item, biz id): checked even where it is not used, so nothing odd is acknowledged. */
export function pushId(value: unknown, field: string): string | undefined {
  const id = pushScalar(value, field);
  if (id !== undefined && (id.length > RULES.orderId.max || !RULES.orderId.pattern.test(id))) {
    throw new PushRejectedError(
      `push field ${field} is not an id of at most ${RULES.orderId.max} letters, digits, - or _`,
    );
  }
  return id;
}

export function assertPushEvent(event: ChannelPushEvent): ChannelPushEvent {
  for (const [field, rule] of Object.entries(RULES) as [keyof typeof RULES, (typeof RULES)[keyof typeof RULES]][]) {
    const value: unknown = event[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > rule.max || !rule.pattern.test(value)) {
      throw new PushRejectedError(
        `push field ${field} is not an id of at most ${rule.max} characters: ${JSON.stringify(String(value).slice(0, 80))}`,
      );
    }
  }
  if (!event.eventId) throw new PushRejectedError('push without an event id');
  return event;
}
