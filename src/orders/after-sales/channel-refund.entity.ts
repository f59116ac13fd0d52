import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns';
import type { ChannelRefund, ChannelRefundStatus } from '../../platforms/ports/after-sales.port';
import type { Platform } from '../../platforms/ports/platform.types';

/**
 * A refund or return as a platform reports it; unique on (platform, platform refund id). Updated
 * level-triggered from the platform's current state: an older snapshot (by `platform_updated_at`)
 * never overwrites a newer one, and a final status is never left.
 */
@Entity('channel_refund')
@Index('uq_channel_refund_platform_refund', ['platform', 'platformRefundId'], { unique: true })
@Index('idx_channel_refund_merchant_updated', ['merchantId', 'platformUpdatedAt'])
@Index('idx_channel_refund_order', ['platform', 'platformOrderId'])
export class ChannelRefundEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'platform_refund_id', type: 'varchar', length: 64 })
  platformRefundId: string;

  @Column({ name: 'platform_order_id', type: 'varchar', length: 64 })
  platformOrderId: string;

  /** Registry order id once the order is known. */
  @Column({ name: 'order_id', type: 'varchar', length: 36, nullable: true })
  orderId: string | null;

  /** Platform line ids the refund covers, comma-separated. */
  @Column({ name: 'platform_line_ids', type: 'varchar', length: 400 })
  platformLineIds: string;

  @Column({ type: 'varchar', length: 16 })
  status: ChannelRefundStatus;

  @Column({ name: 'raw_status', type: 'varchar', length: 40 })
  rawStatus: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ChannelRefund['kind'];

  @Column({ name: 'price_protection', type: 'int', default: 0 })
  priceProtection: number;

  /** Units of the line the refund covers, as the platform's detail states it. */
  @Column({ type: 'int', nullable: true })
  quantity: number | null;

  /** Units this refund puts back on sale (succeeded, took its units back before they shipped). */
  @Column({ name: 'restock_units', type: 'int', default: 0 })
  restockUnits: number;

  @Column({ name: 'amount_fen', type: 'int' })
  amountFen: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ name: 'platform_created_at', type: 'bigint', transformer: bigintNumber })
  platformCreatedAt: number;

  @Column({ name: 'platform_updated_at', type: 'bigint', transformer: bigintNumber })
  platformUpdatedAt: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
