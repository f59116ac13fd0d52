import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';
import type { CouponChange } from '../platforms/ports/promotions.port';

/**
 * One change sent to a campaign's coupon on one platform (end it, or set its stock / end / limit),
 * journaled before the call and settled after it: done when the platform's read-back shows it.
 */
@Entity('coupon_change')
@Index('idx_coupon_change_campaign', ['campaignId', 'createdAt'])
export class CouponChangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  /** end: stop claims; change: the absolute targets in `target`. */
  @Column({ type: 'varchar', length: 12 })
  kind: 'end' | 'change';

  @Column({ type: 'text', transformer: jsonText })
  target: CouponChange;

  @Column({ type: 'varchar', length: 12 })
  status: 'pending' | 'done' | 'failed';

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
