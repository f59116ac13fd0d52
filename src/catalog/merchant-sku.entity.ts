import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';

/** How a SKU's sellable stock is split between the platforms. */
export type AllocationMode = 'auto' | 'split' | 'pool';

export interface PlatformLimits {
  min?: number;
  max?: number;
}

/** The merchant's own SKU (their code, as the ERP knows it); platform SKUs bind to it. */
@Entity('merchant_sku')
@Index('uq_merchant_sku_code', ['merchantId', 'skuCode'], { unique: true })
export class MerchantSkuEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'sku_code', type: 'varchar', length: 64 })
  skuCode: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  /** Units never offered on any platform. */
  @Column({ name: 'safety_stock', type: 'int', default: 0 })
  safetyStock: number;

  @Column({ name: 'allocation_mode', type: 'varchar', length: 10, default: 'auto' })
  allocationMode: AllocationMode;

  /** Below this many sellable units the split turns tight (auto mode). */
  @Column({ name: 'scarce_below', type: 'int', default: 20 })
  scarceBelow: number;

  /** Units shown per platform at a time while stock is scarce; the rest waits in a shared pool. */
  @Column({ name: 'tranche', type: 'int', default: 2 })
  tranche: number;

  @Column({ name: 'platform_limits', type: 'text', nullable: true, transformer: jsonText })
  platformLimits: Partial<Record<'kuaishou' | 'youzan', PlatformLimits>> | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
