import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** The price a platform listing last showed the service (read, or written and confirmed). */
@Entity('listing_price')
@Index('idx_listing_price_sku', ['merchantSkuId'])
export class ListingPriceEntity {
  @PrimaryColumn({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  @Column({ name: 'price_fen', type: 'int' })
  priceFen: number;

  @Column({ name: 'observed_at', type: 'bigint', transformer: bigintNumber })
  observedAt: number;
}
