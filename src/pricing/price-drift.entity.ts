import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** What a parity audit found on one platform SKU (a price the service did not write), and what it did. */
@Entity('price_drift')
@Index('idx_price_drift_sku', ['merchantSkuId', 'createdAt'])
export class PriceDriftEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  /** The price the service last wrote (null: it never wrote one). */
  @Column({ name: 'expected_fen', type: 'int', nullable: true })
  expectedFen: number | null;

  @Column({ name: 'observed_fen', type: 'int' })
  observedFen: number;

  /** Spread over all bound listings of the SKU as read (basis points). */
  @Column({ name: 'spread_bp', type: 'int' })
  spreadBp: number;

  /** The same spread over what a buyer of one unit pays after the merchant-funded discounts running then (null: before it was kept). */
  @Column({ name: 'effective_spread_bp', type: 'int', nullable: true })
  effectiveSpreadBp: number | null;

  @Column({ type: 'varchar', length: 300 })
  action: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
