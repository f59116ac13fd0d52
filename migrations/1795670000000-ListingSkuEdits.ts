import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, text, varchar } from './support';

/** Journal of SKU spec edits sent to a published listing's platform item, each settled by reading the item back. */
export class ListingSkuEdits1795670000000 implements MigrationInterface {
  name = 'ListingSkuEdits1795670000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'listing_sku_edit',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('listing_id', 36),
          varchar('connection_id', 36),
          varchar('sku_code', 64),
          varchar('platform_sku_id', 40),
          text('previous_specs'),
          text('specs'),
          varchar('status', 16),
          varchar('note', 500, true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_listing_sku_edit_listing', columnNames: ['listing_id'] })],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('listing_sku_edit');
  }
}
