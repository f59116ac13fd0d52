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

  /** Fencing token of the current (or last) stock-writer lease: every writer commit checks it. */
  @Column({ name: 'writer_token', type: 'bigint', default: 0, transformer: bigintNumber })
  writerToken: number;

  /** The run holding the lease; null when released. */
  @Column({ name: 'writer_holder', type: 'varchar', length: 36, nullable: true })
  writerHolder: string | null;

  /** The lease lapses at this time unless the holder renews it (a holder that died frees it). */
  @Column({ name: 'writer_until', type: 'bigint', default: 0, transformer: bigintNumber })
  writerUntil: number;

  /** A run found the lease held: 1 = run again, 2 = run again with a read-back of the platforms. */
  @Column({ type: 'int', default: 0 })
  rerun: number;
}
