import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '../database/columns';

/** How a SKU's sellable stock is split between the platforms. */
export type AllocationMode = 'auto' | 'split' | 'pool';

export interface PlatformLimits {
  min?: number;
  max?: number;
}

/** How inventory offers one merchant SKU; a SKU without a row has the defaults (`defaultStockSettings`). */
@Entity('stock_settings')
export class StockSettingsEntity {
  @PrimaryColumn({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

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

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}

export function defaultStockSettings(merchantSkuId: string): StockSettingsEntity {
  return Object.assign(new StockSettingsEntity(), {
    merchantSkuId,
    safetyStock: 0,
    allocationMode: 'auto',
    scarceBelow: 20,
    tranche: 2,
    platformLimits: null,
    updatedAt: 0,
  });
}
