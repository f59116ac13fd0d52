import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/**
 * What one platform SKU may sell. `allotted` counts the units granted to the platform that no
 * heard-of sale has consumed yet: the platform's visible stock plus its sales we have not heard
 * of. Σ allotted ≤ sellable is the no-oversell invariant. Increases are counted before they are
 * written, decreases only once confirmed, so an unknown outcome always errs on the safe side.
 */
@Entity('channel_allocation')
@Index('idx_channel_allocation_sku', ['merchantSkuId'])
export class ChannelAllocationEntity {
  @PrimaryColumn({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  @Column({ type: 'int' })
  allotted: number;

  /** Last target the allocator computed (for display and reconciliation). */
  @Column({ type: 'int' })
  target: number;

  /** False until the platform's stock was read once; until then nothing is written. */
  @Column({
    type: 'int',
    default: 0,
    transformer: { to: (v: boolean) => (v ? 1 : 0), from: (v: number | string) => Number(v) === 1 },
  })
  established: boolean;

  /** Units sold through this platform (heard), halved hourly: weights the split of plentiful stock. */
  @Column({ name: 'sold_recent', type: 'int', default: 0 })
  soldRecent: number;

  /** Fast-decaying demand (milli-units, half-life of seconds): where scarce units should go now. */
  @Column({ name: 'demand_milli', type: 'int', default: 0 })
  demandMilli: number;

  @Column({ name: 'last_sale_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSaleAt: number | null;

  /** Last time units were given to this platform (an idle platform is one that got units and sold none). */
  @Column({ name: 'last_grant_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastGrantAt: number | null;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  /** Units of this platform SKU's sales heard so far (never decreases): H of a read-back is its growth since the read. */
  @Column({ name: 'heard_sold', type: 'int', default: 0 })
  heardSold: number;

  /**
   * A read-back raised `allotted` to what the platform showed: sales heard before the shop's order
   * feed is complete up to that read may be ones the read already excluded, so they do not lower it.
   */
  @Column({
    type: 'int',
    default: 0,
    transformer: { to: (v: boolean) => (v ? 1 : 0), from: (v: number | string) => Number(v) === 1 },
  })
  pinned: boolean;

  /** Pending read-back: `allotted` and heard sales when it started, the visible stock, and when it ended. */
  @Column({ name: 'obs_allotted', type: 'int', nullable: true })
  obsAllotted: number | null;

  @Column({ name: 'obs_visible', type: 'int', nullable: true })
  obsVisible: number | null;

  @Column({ name: 'obs_heard', type: 'int', nullable: true })
  obsHeard: number | null;

  @Column({ name: 'obs_read_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  obsReadAt: number | null;

  /**
   * Set while the count is pinned by an absolute stock set: when the set's read started. Sales made
   * certainly before it were unheard then and stay in the count, so hearing them lowers it.
   */
  @Column({ name: 'set_read_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  setReadAt: number | null;

  /** Why the platform cannot be lowered right now (its visible units stay counted); null when writable. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  unwritable: string | null;

  /**
   * Set when the binding was removed: the listing (shop connection, item, SKU) the writer lowers to
   * 0 before the units it was counted for go back to the pool. Null for a bound platform SKU.
   */
  @Column({ name: 'drain_connection_id', type: 'varchar', length: 36, nullable: true })
  drainConnectionId: string | null;

  @Column({ name: 'drain_item_id', type: 'varchar', length: 40, nullable: true })
  drainItemId: string | null;

  @Column({ name: 'drain_sku_id', type: 'varchar', length: 40, nullable: true })
  drainSkuId: string | null;
}
