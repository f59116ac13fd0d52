import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '@app/database/columns';
import type { MerchantEventType } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';

/**
 * A merchant's endpoint for outbound webhooks. The signing secret (`whsec_…`) is sealed; after a rotation the
 * previous one keeps signing beside the new one until `previousSecretUntil`, so the ERP can switch without a gap.
 */
@Entity('webhook_subscription')
@Index('idx_webhook_subscription_merchant', ['merchantId'])
export class WebhookSubscriptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 2000 })
  url: string;

  @Column({ name: 'event_types', type: 'text', transformer: jsonText })
  eventTypes: MerchantEventType[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc: string;

  @Column({ name: 'previous_secret_enc', type: 'text', nullable: true })
  previousSecretEnc: string | null;

  @Column({ name: 'previous_secret_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  previousSecretUntil: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  /** Deleted subscriptions stay for the delivery log; nothing new is delivered to them. */
  @Column({ name: 'deleted_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  deletedAt: number | null;
}
