import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { varchar } from './support';

/**
 * Each last seen listing price keeps which platform listing it is (shop, item, SKU), so the audit
 * can read a listing again once it is no longer bound. Rows of listings still bound are filled in
 * from their binding; rows of listings unbound before this migration stay without (never read live).
 */
export class ListingPriceListing1795610000000 implements MigrationInterface {
  name = 'ListingPriceListing1795610000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('listing_price', [
      new TableColumn(varchar('connection_id', 36, true)),
      new TableColumn(varchar('platform_item_id', 40, true)),
      new TableColumn(varchar('platform_sku_id', 40, true)),
    ]);
    for (const column of ['connection_id', 'platform_item_id', 'platform_sku_id'])
      await qr.query(
        `UPDATE listing_price SET ${column} = (SELECT b.${column} FROM sku_binding b WHERE b.id = listing_price.binding_id)`,
      );
    await qr.createIndex(
      'listing_price',
      new TableIndex({
        name: 'idx_listing_price_listing',
        columnNames: ['connection_id', 'platform_item_id', 'platform_sku_id'],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('listing_price', 'idx_listing_price_listing');
    await qr.dropColumn('listing_price', 'platform_sku_id');
    await qr.dropColumn('listing_price', 'platform_item_id');
    await qr.dropColumn('listing_price', 'connection_id');
  }
}
