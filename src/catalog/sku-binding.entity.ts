import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';
import type { Platform } from '../platforms/ports/platform.types';

export type BindingSource = 'auto' | 'manual';

/** External-id binding: one platform SKU of one shop ↔ one merchant SKU. */
@Entity('sku_binding')
// A platform SKU id is unique only within its item (Youzan: sku_id 0 for every item without variants).
@Index('uq_sku_binding_platform_item_sku', ['connectionId', 'platformItemId', 'platformSkuId'], { unique: true })
@Index('uq_sku_binding_merchant_sku_shop', ['merchantSkuId', 'connectionId'], { unique: true })
@Index('idx_sku_binding_outer', ['merchantId', 'outerSkuId'])
export class SkuBindingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: Platform;

  @Column({ name: 'connection_id', type: 'varchar', length: 36 })
  connectionId: string;

  @Column({ name: 'platform_item_id', type: 'varchar', length: 40 })
  platformItemId: string;

  @Column({ name: 'platform_sku_id', type: 'varchar', length: 40 })
  platformSkuId: string;

  @Column({ name: 'outer_sku_id', type: 'varchar', length: 64, nullable: true })
  outerSkuId: string | null;

  @Column({ name: 'bound_by', type: 'varchar', length: 10 })
  boundBy: BindingSource;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
