import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../../database/columns';

/** One source image uploaded to a target shop's image host (Kuaishou), keyed by the source URL's hash. */
@Entity('listing_image_upload')
@Index('uq_listing_image_upload_source', ['connectionId', 'sourceHash'], { unique: true })
@Index('idx_listing_image_upload_listing', ['listingId'])
export class ListingImageUploadEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'listing_id', type: 'varchar', length: 36 })
  listingId: string;

  /** sha256 of the source URL (data: URLs are long). */
  @Column({ name: 'source_hash', type: 'varchar', length: 64 })
  sourceHash: string;

  /** The source URL, cut to 500 characters (for reading only). */
  @Column({ name: 'source_url', type: 'varchar', length: 500 })
  sourceUrl: string;

  @Column({ name: 'hosted_url', type: 'varchar', length: 500 })
  hostedUrl: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
