import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * One row per merchant SKU: physical stock as the ERP last reported it. The row is also the
 * lock every stock decision of the SKU takes, which serializes them across instances.
 */
@Entity('stock_ledger')
export class StockLedgerEntity {
  @PrimaryColumn({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ name: 'on_hand', type: 'int' })
  onHand: number;

  /** ERP sequence of the last applied absolute update; older ones are ignored. */
  @Column({ name: 'on_hand_seq', type: 'bigint', transformer: bigintNumber })
  onHandSeq: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
