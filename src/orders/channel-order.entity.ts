import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';
import type { ChannelOrderStatus } from '../platforms/ports/orders.port';
import type { DeadlineSource, RiskLevel } from './ship-deadline';

/** An order as a platform reports it; unique on (platform, platform order id). */
@Entity('channel_order')
@Index('uq_channel_order_platform_order', ['platform', 'platformOrderId'], { unique: true })
@Index('idx_channel_order_connection_updated', ['connectionId', 'platformUpdatedAt'])
@Index('idx_channel_order_ship_by', ['status', 'shipBy'])
@Index('uq_channel_order_erp_id', ['merchantId', 'erpOrderId'], { unique: true })
@Index('idx_channel_order_deadline', ['status', 'deadlineAt'])
export class ChannelOrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'platform_order_id', type: 'varchar', length: 64 })
  platformOrderId: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 16 })
  status: ChannelOrderStatus;

  @Column({ name: 'raw_status', type: 'varchar', length: 40 })
  rawStatus: string;

  @Column({ name: 'platform_created_at', type: 'bigint', transformer: bigintNumber })
  platformCreatedAt: number;

  /** The platform's own update time; an older snapshot never overwrites a newer one. */
  @Column({ name: 'platform_updated_at', type: 'bigint', transformer: bigintNumber })
  platformUpdatedAt: number;

  @Column({ name: 'paid_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  paidAt: number | null;

  @Column({ name: 'ship_by', type: 'bigint', nullable: true, transformer: bigintNumber })
  shipBy: number | null;

  @Column({ name: 'goods_total_fen', type: 'int' })
  goodsTotalFen: number;

  @Column({ name: 'discount_fen', type: 'int' })
  discountFen: number;

  @Column({ name: 'shipping_fee_fen', type: 'int' })
  shippingFeeFen: number;

  @Column({ name: 'paid_fen', type: 'int' })
  paidFen: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  /** The ERP's own id for the order (set by the ERP webhook or the API); unique per merchant. */
  @Column({ name: 'erp_order_id', type: 'varchar', length: 64, nullable: true })
  erpOrderId: string | null;

  /** Buyer fields exactly as the platform delivered them (masked); never decrypted here. */
  @Column({ name: 'buyer_name', type: 'varchar', length: 100, nullable: true })
  buyerName: string | null;

  @Column({ name: 'buyer_phone', type: 'varchar', length: 40, nullable: true })
  buyerPhone: string | null;

  @Column({ name: 'buyer_address', type: 'varchar', length: 300, nullable: true })
  buyerAddress: string | null;

  @Column({ name: 'buyer_region', type: 'varchar', length: 100, nullable: true })
  buyerRegion: string | null;

  /** The platform's ciphertexts, as sent (for its own decrypt API). */
  @Column({ name: 'buyer_encrypted', type: 'text', nullable: true, transformer: jsonText })
  buyerEncrypted: { name?: string; phone?: string; address?: string } | null;

  /** Why the platform forbids shipping now (comma-separated; null when none). */
  @Column({ name: 'ship_holds', type: 'varchar', length: 300, nullable: true })
  shipHolds: string | null;

  /** The ship-by we hold the shop to (see ship-deadline.ts); null when none applies. */
  @Column({ name: 'deadline_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  deadlineAt: number | null;

  @Column({ name: 'deadline_source', type: 'varchar', length: 16, nullable: true })
  deadlineSource: DeadlineSource | null;

  /** The last deadline risk level raised for the order. */
  @Column({ name: 'deadline_risk', type: 'varchar', length: 10, nullable: true })
  deadlineRisk: RiskLevel | null;

  /** When the order was first seen shipped (the platform's update time of that snapshot). */
  @Column({ name: 'shipped_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  shippedAt: number | null;
}
