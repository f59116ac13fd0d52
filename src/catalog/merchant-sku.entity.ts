import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

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

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
