import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';
import type { Platform } from '@app/platforms/ports/platform.types';

/** When a shop's category tree was last read (the rows are in category_node), or why the last try failed. */
@Entity('category_tree_read')
@Index('idx_category_tree_read_merchant', ['merchantId'])
export class CategoryTreeReadEntity {
  @PrimaryColumn({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'read_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  readAt: number | null;

  @Column({ name: 'category_count', type: 'int', default: 0 })
  categoryCount: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column({ name: 'attempted_at', type: 'bigint', transformer: bigintNumber })
  attemptedAt: number;
}
