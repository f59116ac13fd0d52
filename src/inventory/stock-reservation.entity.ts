import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * placed holds units for an order line; cancelled/refunded give them back (refunded: the units
 * a refund put back on sale). shipped records that the goods left, but the hold stays open until
 * an ERP report counts the shipment (counted): until then the ERP's absolute on-hand may still
 * include those units. Append-only: the open hold is derived, never stored.
 */
export type ReservationKind = 'placed' | 'cancelled' | 'refunded' | 'shipped' | 'counted';

@Entity('stock_reservation')
@Index('uq_stock_reservation_line_kind', ['orderLineId', 'kind'], { unique: true })
@Index('idx_stock_reservation_sku', ['merchantSkuId'])
export class StockReservationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ name: 'order_line_id', type: 'varchar', length: 36 })
  orderLineId: string;

  @Column({ type: 'varchar', length: 12 })
  kind: ReservationKind;

  @Column({ type: 'int' })
  quantity: number;

  /** Platform the order came from; its own stock moved with it. */
  @Column({ type: 'varchar', length: 20 })
  platform: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
