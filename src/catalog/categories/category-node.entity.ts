import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One category of a shop's tree as the platform last answered it (one row per category, per shop). */
@Entity('category_node')
@Index('idx_category_node_parent', ['connectionId', 'parentId'])
export class CategoryNodeEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @PrimaryColumn({ name: 'category_id', type: 'varchar', length: 40 })
  categoryId: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 40, nullable: true })
  parentId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'boolean' })
  leaf: boolean;

  /** Whether this merchant may list in it (Kuaishou's per-merchant flag; Youzan says nothing, so true). */
  @Column({ type: 'boolean' })
  open: boolean;
}
