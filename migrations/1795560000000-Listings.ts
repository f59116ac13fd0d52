import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

/** Listings published between the platforms, and the journal of their item creates. */
export class Listings1795560000000 implements MigrationInterface {
  name = 'Listings1795560000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'listing',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('source_platform', 20),
          varchar('source_connection_id', 36),
          varchar('source_item_id', 40),
          varchar('target_platform', 20),
          varchar('target_connection_id', 36),
          varchar('outer_item_id', 64),
          varchar('category_id', 40, true),
          text('draft'),
          varchar('status', 16),
          varchar('origin', 8, true),
          varchar('target_item_id', 40, true),
          varchar('audit_state', 16, true),
          varchar('audit_reason', 500, true),
          text('findings'),
          varchar('error_code', 40, true),
          varchar('reason', 500, true),
          bigint('next_attempt_at', true),
          int('attempts', false, 0),
          bigint('created_at'),
          bigint('updated_at'),
          bigint('published_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_listing_target_outer',
            columnNames: ['target_connection_id', 'outer_item_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_listing_merchant_created', columnNames: ['merchant_id', 'created_at'] }),
          new TableIndex({ name: 'idx_listing_status_next', columnNames: ['status', 'next_attempt_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'listing_publish_op',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('listing_id', 36),
          varchar('connection_id', 36),
          varchar('outer_item_id', 64),
          varchar('status', 10),
          varchar('platform_item_id', 40, true),
          varchar('error', 500, true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_listing_publish_op_listing', columnNames: ['listing_id', 'created_at'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('listing_publish_op');
    await qr.dropTable('listing');
  }
}
