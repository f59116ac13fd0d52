import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, varchar } from './support';

/** Journal of listing images uploaded to a target shop's image host, so a retry does not upload them again. */
export class ListingImageUploads1795650000000 implements MigrationInterface {
  name = 'ListingImageUploads1795650000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'listing_image_upload',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('connection_id', 36),
          varchar('listing_id', 36),
          varchar('source_hash', 64),
          varchar('source_url', 500),
          varchar('hosted_url', 500),
          bigint('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_listing_image_upload_source',
            columnNames: ['connection_id', 'source_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_listing_image_upload_listing', columnNames: ['listing_id'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('listing_image_upload');
  }
}
