import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, varchar } from './support';

/** The after-sales registry: one row per platform refund, level-triggered from the platform's state. */
export class ChannelRefund1795550000000 implements MigrationInterface {
  name = 'ChannelRefund1795550000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'channel_refund',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('connection_id', 36),
          varchar('platform', 20),
          varchar('platform_refund_id', 64),
          varchar('platform_order_id', 64),
          varchar('order_id', 36, true),
          varchar('platform_line_ids', 400),
          varchar('status', 16),
          varchar('raw_status', 40),
          varchar('kind', 20),
          int('price_protection', false, 0),
          int('quantity', true),
          int('restock_units', false, 0),
          int('amount_fen'),
          varchar('reason', 200, true),
          bigint('platform_created_at'),
          bigint('platform_updated_at'),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_channel_refund_platform_refund',
            columnNames: ['platform', 'platform_refund_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_channel_refund_merchant_updated',
            columnNames: ['merchant_id', 'platform_updated_at'],
          }),
          new TableIndex({ name: 'idx_channel_refund_order', columnNames: ['platform', 'platform_order_id'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('channel_refund');
  }
}
