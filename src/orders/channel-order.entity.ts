import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';
import type { ChannelOrderStatus } from '../platforms/ports/orders.port';

/** An order as a platform reports it; unique on (platform, platform order id). */
@Entity('channel_order')
@Index('uq_channel_order_platform_order', ['platform', 'platformOrderId'], { unique: true })
@Index('idx_channel_order_connection_updated', ['connectionId', 'platformUpdatedAt'])
@Index('idx_channel_order_ship_by', ['status', 'shipBy'])
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
}
