import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * Journal of platform stock writes. The row is committed before the call (its id is the
 * operation id sent along), so a crash between the call and its bookkeeping leaves a `pending`
 * op that is settled by reading the platform back — never by writing again.
 */
/** reconciled: the read-back matched neither outcome (e.g. a back-office edit); the platform's figure was taken. */
export type StockWriteStatus = 'pending' | 'applied' | 'not_applied' | 'unknown' | 'reconciled';

/**
 * Note of an incremental decrease whose answer was unknown: counted as not applied, and if it
 * lands later it only lowers what the platform shows (a read-back taken meanwhile never under-counts).
 */
export const DECREASE_OUTCOME_UNKNOWN = 'outcome unknown: counted as not applied (it may still land)';

@Entity('stock_write_op')
@Index('idx_stock_write_op_status', ['status', 'createdAt'])
@Index('idx_stock_write_op_binding', ['bindingId', 'createdAt'])
@Index('idx_stock_write_op_settled', ['settledAt'])
export class StockWriteOpEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  /** Signed change of the platform's stock. */
  @Column({ type: 'int' })
  delta: number;

  @Column({ type: 'varchar', length: 16 })
  status: StockWriteStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  /** When the change that caused this write was accepted (latency of propagation). */
  @Column({ name: 'trigger_at', type: 'bigint', transformer: bigintNumber })
  triggerAt: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'settled_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  settledAt: number | null;

  /** Lease token of the run that journaled the write: a newer writer takes over only older ops. */
  @Column({ name: 'writer_token', type: 'bigint', default: 0, transformer: bigintNumber })
  writerToken: number;

  /**
   * The outcome was unknown: until then the platform may still apply it, so no read-back may
   * lower `allotted` (except behind an incremental decrease, see `DECREASE_OUTCOME_UNKNOWN`).
   */
  @Column({ name: 'uncertain_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  uncertainUntil: number | null;
}
