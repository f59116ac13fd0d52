import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** What a reconciliation found on one platform SKU, and what it did about it. */
@Entity('stock_drift')
@Index('idx_stock_drift_sku', ['merchantSkuId', 'createdAt'])
@Index('idx_stock_drift_created', ['createdAt'])
export class StockDriftEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  /** Units we believed the platform had. */
  @Column({ type: 'int' })
  expected: number;

  /** Units the platform showed. */
  @Column({ type: 'int' })
  observed: number;

  @Column({ type: 'varchar', length: 300 })
  action: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
