import { IsIn, IsInt, IsObject, IsString, IsUUID, MaxLength } from 'class-validator';
import { Topic } from '@app/messaging/topics';
import { defineTopic } from '../topic-contract';

/**
 * What a merchant's systems can subscribe to (outbound webhooks to the ERP, console alerts). Any context raises
 * one by enqueueing this topic in the same transaction as the state change it reports.
 */
export const MERCHANT_EVENT_TYPES = [
  'order.created',
  'order.paid',
  'order.cancelled',
  'order.refunded',
  'order.shipped',
  'order.deadline_risk',
  'refund.updated',
  'shipment.failed',
  'connection.needs_reauth',
  'price.parity_violation',
  'coupon.anomaly',
  'sync.failures_above_threshold',
] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

export class MerchantEventRaised {
  /** Stable per event: repeats of the same fact carry the same id (the outbound `webhook-id`). */
  @IsUUID() eventId: string;
  @IsUUID() merchantId: string;
  @IsIn(MERCHANT_EVENT_TYPES) type: MerchantEventType;
  /** What the event is about (an order id, a connection id, a merchant SKU id…); events per subject stay in order. */
  @IsString() @MaxLength(128) subject: string;
  @IsInt() occurredAt: number;
  @IsObject() data: Record<string, unknown>;
}

export const merchantEventRaisedTopic = defineTopic({
  name: Topic.MerchantEventRaised,
  payload: MerchantEventRaised,
  key: (p) => `${p.merchantId}:${p.subject}`,
});
