import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/** What a mapping row is keyed by: a Youzan category (cid), or one Youzan item (item id) that overrides it. */
export type MappingScope = 'category' | 'item';
export const MAPPING_SCOPES: readonly MappingScope[] = ['category', 'item'];

/** A merchant's override: this Youzan category or item lists under this Kuaishou leaf. */
@Entity('category_mapping')
@Index('uq_category_mapping_source', ['merchantId', 'scope', 'youzanId'], { unique: true })
export class CategoryMappingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 10 })
  scope: MappingScope;

  /** Youzan cid (scope category) or Youzan item id (scope item). */
  @Column({ name: 'youzan_id', type: 'varchar', length: 40 })
  youzanId: string;

  @Column({ name: 'kuaishou_category_id', type: 'varchar', length: 40 })
  kuaishouCategoryId: string;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
