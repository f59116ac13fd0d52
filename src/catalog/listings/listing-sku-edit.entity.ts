import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../../database/columns';
import type { SpecValue } from '../../platforms/ports/catalog.port';

/**
 * One SKU spec edit sent to a published listing's item: journaled `pending` before the call, then
 * `applied` when the item read back shows the new specs, `refused` when the platform said no, or
 * `unknown` when neither the answer nor the read-back tells (spec values are absolute, so sending
 * the edit again is safe).
 */
@Entity('listing_sku_edit')
@Index('idx_listing_sku_edit_listing', ['listingId'])
export class ListingSkuEditEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'listing_id', type: 'varchar', length: 36 })
  listingId: string;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode: string;

  @Column({ name: 'platform_sku_id', type: 'varchar', length: 40 })
  platformSkuId: string;

  @Column({ name: 'previous_specs', type: 'text', transformer: jsonText })
  previousSpecs: SpecValue[];

  @Column({ type: 'text', transformer: jsonText })
  specs: SpecValue[];

  @Column({ type: 'varchar', length: 16 })
  status: 'pending' | 'applied' | 'refused' | 'unknown';

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
