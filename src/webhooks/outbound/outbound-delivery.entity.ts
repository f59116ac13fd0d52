import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/**
 * pending: to be sent at `nextAttemptAt` (while an attempt runs, `claimToken` is set and `nextAttemptAt` is the
 * claim's expiry, so a crashed sender's delivery is picked up again); delivered: the endpoint answered 2xx;
 * failed: every attempt failed (a sync failure says so); cancelled: the subscription was deleted first.
 */
export type OutboundDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** One merchant event for one subscription. The id is derived from (event, subscription), so a repeat is the same row. */
@Entity('webhook_outbound_delivery')
@Index('uq_webhook_outbound_delivery_event', ['subscriptionId', 'eventId'], { unique: true })
@Index('idx_webhook_outbound_delivery_due', ['status', 'nextAttemptAt'])
@Index('idx_webhook_outbound_delivery_subject', ['subscriptionId', 'subject', 'subjectSeq'])
@Index('idx_webhook_outbound_delivery_merchant', ['merchantId', 'createdAt'])
@Index('idx_webhook_outbound_delivery_delivered', ['status', 'deliveredAt'])
export class OutboundDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'subscription_id', type: 'varchar', length: 36 })
  subscriptionId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  /** The source event id: the `webhook-id` the ERP sees, the same on every attempt and replay. */
  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 40 })
  eventType: string;

  @Column({ type: 'varchar', length: 128 })
  subject: string;

  /** Order of the event among its subject's events: a later one waits while an earlier one is pending. */
  @Column({ name: 'subject_seq', type: 'bigint', transformer: bigintNumber })
  subjectSeq: number;

  /** The exact JSON body that is signed and sent. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 12 })
  status: OutboundDeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'bigint', transformer: bigintNumber })
  nextAttemptAt: number;

  @Column({ name: 'claim_token', type: 'varchar', length: 36, nullable: true })
  claimToken: string | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'last_attempt_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastAttemptAt: number | null;

  @Column({ name: 'delivered_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  deliveredAt: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
