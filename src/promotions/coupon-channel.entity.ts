import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';

/** A campaign's coupon on one platform: journaled before the create call, settled by its idempotency key. */
@Entity('coupon_channel')
@Index('uq_coupon_channel_campaign_platform', ['campaignId', 'platform'], { unique: true })
@Index('idx_coupon_channel_coupon', ['platform', 'couponId'])
export class CouponChannelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'shop_id', type: 'varchar', length: 100 })
  shopId: string;

  /** This platform's share of the budget (the coupon's total stock there, as last read back). */
  @Column({ type: 'int' })
  allotted: number;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 100 })
  idempotencyKey: string;

  @Column({ name: 'coupon_id', type: 'varchar', length: 40, nullable: true })
  couponId: string | null;

  /** Coupons this one replaced (ended to move budget off a platform that cannot lower a stock), comma-separated. */
  @Column({ name: 'retired_coupon_ids', type: 'varchar', length: 500, nullable: true })
  retiredCouponIds: string | null;

  /** Claims made on the replaced coupons (final: they are ended); they count against the budget. */
  @Column({ name: 'retired_claimed', type: 'int', default: 0 })
  retiredClaimed: number;

  @Column({ type: 'varchar', length: 12 })
  /** pending / failed: not created yet; ended: created, then ended on the platform (read back). */
  status: 'pending' | 'created' | 'failed' | 'ended';

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
