import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What the line did to stock: open while held, then released (cancel/refund) or shipped. */
export type LineStockState = 'unbound' | 'held' | 'released' | 'shipped';

@Entity('channel_order_line')
@Index('uq_channel_order_line', ['orderId', 'platformLineId'], { unique: true })
@Index('idx_channel_order_line_sku', ['merchantSkuId'])
@Index('idx_channel_order_line_platform_line', ['platformLineId'])
export class ChannelOrderLineEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId: string;

  @Column({ name: 'platform_line_id', type: 'varchar', length: 64 })
  platformLineId: string;

  @Column({ name: 'platform_item_id', type: 'varchar', length: 40 })
  platformItemId: string;

  @Column({ name: 'platform_sku_id', type: 'varchar', length: 40 })
  platformSkuId: string;

  @Column({ name: 'outer_sku_id', type: 'varchar', length: 64, nullable: true })
  outerSkuId: string | null;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36, nullable: true })
  merchantSkuId: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ name: 'unit_price_fen', type: 'int' })
  unitPriceFen: number;

  @Column({ name: 'discount_fen', type: 'int' })
  discountFen: number;

  @Column({ name: 'paid_fen', type: 'int' })
  paidFen: number;

  @Column({ name: 'refund_status', type: 'varchar', length: 16 })
  refundStatus: 'none' | 'in_progress' | 'refunded';

  /** Units a completed refund took off the line before shipment (back on sale). */
  @Column({ name: 'refunded_quantity', type: 'int', default: 0 })
  refundedQuantity: number;

  @Column({ name: 'stock_state', type: 'varchar', length: 10 })
  stockState: LineStockState;
}
