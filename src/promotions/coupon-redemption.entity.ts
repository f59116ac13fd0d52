import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';

/** A campaign coupon seen on a platform order; unique per (platform, order, coupon), so a re-read counts once. */
@Entity('coupon_redemption')
@Index('uq_coupon_redemption_order_coupon', ['platform', 'platformOrderId', 'couponId'], { unique: true })
@Index('idx_coupon_redemption_campaign', ['campaignId', 'platform'])
export class CouponRedemptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36 })
  campaignId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'platform_order_id', type: 'varchar', length: 64 })
  platformOrderId: string;

  @Column({ name: 'coupon_id', type: 'varchar', length: 40 })
  couponId: string;

  @Column({ name: 'merchant_fen', type: 'int' })
  merchantFen: number;

  @Column({ name: 'platform_fen', type: 'int' })
  platformFen: number;

  @Column({ name: 'order_created_at', type: 'bigint', transformer: bigintNumber })
  orderCreatedAt: number;

  @Column({ name: 'recorded_at', type: 'bigint', transformer: bigintNumber })
  recordedAt: number;
}
