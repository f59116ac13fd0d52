import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * pending: journaled, the call not answered yet (or its answer lost); applied / not_applied: known.
 * An unknown answer is settled by reading the price back (never by writing again): `applied` when
 * the platform shows the new price; while it shows another, the write stays pending until
 * `may_land_until` (the platform may still apply it late), then `not_applied`. refused: a change the
 * parity guard refused (never sent; kept so the price history shows it, with the reason in `note`).
 */
export type PriceWriteStatus = 'pending' | 'applied' | 'not_applied' | 'refused';

/** Why the service wrote a price. */
export type PriceWriteReason = 'api' | 'erp' | 'correction';

/** Journal of platform price writes; the row is committed before the call. */
@Entity('price_write_op')
@Index('idx_price_write_op_sku', ['merchantSkuId', 'createdAt'])
@Index('idx_price_write_op_status', ['status', 'createdAt'])
export class PriceWriteOpEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  @Column({ name: 'price_fen', type: 'int' })
  priceFen: number;

  /** The platform's price read before the write. */
  @Column({ name: 'previous_fen', type: 'int', nullable: true })
  previousFen: number | null;

  @Column({ type: 'varchar', length: 12 })
  reason: PriceWriteReason;

  @Column({ type: 'varchar', length: 12 })
  status: PriceWriteStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  /** When the change this write belongs to was requested (null: written before it was kept). */
  @Column({ name: 'requested_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  requestedAt: number | null;

  /** Answer lost: until then the platform may still apply the write (no other write to the listing). */
  @Column({ name: 'may_land_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  mayLandUntil: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'settled_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  settledAt: number | null;
}
