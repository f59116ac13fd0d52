import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';
import type { AnomalyKind } from './coupon-anomalies';

/** A coupon anomaly found on one platform order, with its evidence; unique per (kind, order). */
@Entity('coupon_anomaly')
@Index('uq_coupon_anomaly_kind_order', ['kind', 'platform', 'platformOrderId'], { unique: true })
@Index('idx_coupon_anomaly_merchant', ['merchantId', 'campaignId', 'detectedAt'])
export class CouponAnomalyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'campaign_id', type: 'varchar', length: 36, nullable: true })
  campaignId: string | null;

  @Column({ type: 'varchar', length: 30 })
  kind: AnomalyKind;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'platform_order_id', type: 'varchar', length: 64 })
  platformOrderId: string;

  @Column({ type: 'text', transformer: jsonText })
  evidence: Record<string, unknown>;

  @Column({ name: 'detected_at', type: 'bigint', transformer: bigintNumber })
  detectedAt: number;
}
