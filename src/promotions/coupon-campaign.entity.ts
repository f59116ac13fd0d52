import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * One coupon campaign a merchant defines once and runs on both platforms. The budget (in coupons)
 * is shared: the per-platform coupons' stocks add up to it, and redemptions from both count here.
 */
@Entity('coupon_campaign')
@Index('idx_coupon_campaign_merchant', ['merchantId', 'createdAt'])
export class CouponCampaignEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Amount off; 0 for a discount-rate campaign. */
  @Column({ name: 'discount_fen', type: 'int' })
  discountFen: number;

  /** A discount-rate campaign: the buyer pays this percent (88 = 8.8折); null = `discountFen` off. */
  @Column({ name: 'pay_percent', type: 'int', nullable: true })
  payPercent: number | null;

  @Column({ name: 'threshold_fen', type: 'int' })
  thresholdFen: number;

  /** Coupons in total across both platforms. */
  @Column({ type: 'int' })
  budget: number;

  @Column({ name: 'per_buyer_limit', type: 'int' })
  perBuyerLimit: number;

  /** The most the merchant may fund on one order through this campaign. */
  @Column({ name: 'max_merchant_discount_fen', type: 'int' })
  maxMerchantDiscountFen: number;

  @Column({ name: 'starts_at', type: 'bigint', transformer: bigintNumber })
  startsAt: number;

  @Column({ name: 'ends_at', type: 'bigint', transformer: bigintNumber })
  endsAt: number;

  /**
   * creating → live (every platform has its coupon) or partial (one platform refused); ended once
   * the merchant ends it (its coupons are then ended on every platform, see each channel's status).
   */
  @Column({ type: 'varchar', length: 12 })
  status: 'creating' | 'live' | 'partial' | 'ended';

  /** Updated with atomic increments only, so concurrent orders never lose one another's count. */
  @Column({ name: 'redeemed_count', type: 'int', default: 0 })
  redeemedCount: number;

  @Column({ name: 'merchant_cost_fen', type: 'int', default: 0 })
  merchantCostFen: number;

  @Column({ name: 'platform_cost_fen', type: 'int', default: 0 })
  platformCostFen: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
