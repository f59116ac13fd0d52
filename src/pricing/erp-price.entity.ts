import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** The latest price the ERP reported for a merchant SKU (absolute, with the ERP's per-SKU sequence). */
@Entity('erp_price')
export class ErpPriceEntity {
  @PrimaryColumn({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ name: 'price_fen', type: 'int' })
  priceFen: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  sequence: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
