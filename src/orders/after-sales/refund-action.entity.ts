import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns';
import type { RefundAction } from '../../platforms/ports/after-sales.port';

/** sending: the call is out (or died unanswered); applied: the platform took it; failed: it refused (reason kept). */
export type RefundActionStatus = 'sending' | 'applied' | 'failed';

/**
 * The journal of seller actions on refunds. One row per (refund, action, platform version): a repeat
 * of the same action on the same state of the refund is this row again, so it is sent at most once.
 */
@Entity('channel_refund_action')
@Index('uq_channel_refund_action_once', ['refundId', 'action', 'platformVersion'], { unique: true })
@Index('idx_channel_refund_action_refund', ['refundId', 'createdAt'])
export class RefundActionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  /** The registry refund (channel_refund.id). */
  @Column({ name: 'refund_id', type: 'varchar', length: 36 })
  refundId: string;

  @Column({ type: 'varchar', length: 20 })
  action: RefundAction;

  /** The refund's platform version the action was sent against (Kuaishou updateTime, Youzan version). */
  @Column({ name: 'platform_version', type: 'varchar', length: 40 })
  platformVersion: string;

  @Column({ type: 'varchar', length: 12 })
  status: RefundActionStatus;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  /** The platform's raw refund status read right after the action. */
  @Column({ name: 'status_after', type: 'varchar', length: 40, nullable: true })
  statusAfter: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'settled_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  settledAt: number | null;
}
