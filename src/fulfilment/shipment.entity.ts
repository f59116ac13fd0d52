import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';

/**
 * requested: journaled, the event on its way to the writer; sending: the platform call is under way
 * (a writer that finds it so settles it by reading the order back first); unknown: the answer was
 * lost and the read-back did not show the lines shipped (a sync failure replays it, reading back
 * first); shipped: the platform confirmed or shows the lines shipped; failed: the platform refused
 * it (reason kept).
 */
export type ShipmentStatus = 'requested' | 'sending' | 'unknown' | 'shipped' | 'failed';
export const SHIPMENT_STATUSES: ShipmentStatus[] = ['requested', 'sending', 'unknown', 'shipped', 'failed'];

export type ShipmentSource = 'erp' | 'api';

/** Units of one order line; absent lines on the shipment mean the whole order. */
export interface ShipmentLine {
  lineId: string;
  quantity: number;
}

/**
 * The shipment journal: one row per (merchant, order, waybill), committed before the platform
 * call, so a repeat of the same shipment is recognised and never sent twice.
 */
@Entity('shipment')
@Index('uq_shipment_order_waybill', ['merchantId', 'orderId', 'trackingNo'], { unique: true })
@Index('idx_shipment_merchant_created', ['merchantId', 'createdAt'])
@Index('idx_shipment_status', ['status', 'updatedAt'])
export class ShipmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  /** Our order id (the orders registry). */
  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'platform_order_id', type: 'varchar', length: 64 })
  platformOrderId: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ type: 'varchar', length: 20 })
  carrier: string;

  @Column({ name: 'tracking_no', type: 'varchar', length: 40 })
  trackingNo: string;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  lines: ShipmentLine[] | null;

  @Column({ type: 'varchar', length: 8 })
  source: ShipmentSource;

  @Column({ type: 'varchar', length: 10 })
  status: ShipmentStatus;

  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  @Column({ name: 'shipped_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  shippedAt: number | null;
}
