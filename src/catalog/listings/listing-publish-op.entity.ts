import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns';

/**
 * pending: written before the create call; created: the platform answered with the item;
 * unknown: the answer was lost and the lookup found nothing yet; refused: the platform said no.
 */
export type ListingPublishOpStatus = 'pending' | 'created' | 'unknown' | 'refused';

/** Journal of one item create (neither platform's create is idempotent): settled by outer-id lookup. */
@Entity('listing_publish_op')
@Index('idx_listing_publish_op_listing', ['listingId', 'createdAt'])
export class ListingPublishOpEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'listing_id', type: 'varchar', length: 36 })
  listingId: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'outer_item_id', type: 'varchar', length: 64 })
  outerItemId: string;

  @Column({ type: 'varchar', length: 10 })
  status: ListingPublishOpStatus;

  @Column({ name: 'platform_item_id', type: 'varchar', length: 40, nullable: true })
  platformItemId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
