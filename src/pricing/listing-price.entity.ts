import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '../database/columns';

/** The price a platform listing last showed the service (read, or written and confirmed). */
@Entity('listing_price')
@Index('idx_listing_price_sku', ['merchantSkuId'])
@Index('idx_listing_price_listing', ['connectionId', 'platformItemId', 'platformSkuId'])
export class ListingPriceEntity {
  @PrimaryColumn({ name: 'binding_id', type: 'varchar', length: 36 })
  bindingId: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36 })
  merchantId: string;

  @Column({ name: 'merchant_sku_id', type: 'varchar', length: 36 })
  merchantSkuId: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  /** Which listing it is (null: last seen before listings were kept; such a row is never read again). */
  @Column({ name: 'connection_id', type: 'varchar', length: 36, nullable: true })
  connectionId: string | null;

  @Column({ name: 'platform_item_id', type: 'varchar', length: 40, nullable: true })
  platformItemId: string | null;

  @Column({ name: 'platform_sku_id', type: 'varchar', length: 40, nullable: true })
  platformSkuId: string | null;

  @Column({ name: 'price_fen', type: 'int' })
  priceFen: number;

  @Column({ name: 'observed_at', type: 'bigint', transformer: bigintNumber })
  observedAt: number;
}
