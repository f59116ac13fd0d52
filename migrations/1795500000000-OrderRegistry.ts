import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { autoIncrementId, bigint, int, text, varchar } from './support';

/**
 * The order registry's other ids (the ERP's order id), buyer fields as the platforms deliver
 * them (masked / ciphertext), the ship deadline with its last raised risk level, the shop's
 * ship promise, and the reconciler's findings.
 */
export class OrderRegistry1795500000000 implements MigrationInterface {
  name = 'OrderRegistry1795500000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('channel_order', [
      new TableColumn(varchar('erp_order_id', 64, true)),
      new TableColumn(varchar('buyer_name', 100, true)),
      new TableColumn(varchar('buyer_phone', 40, true)),
      new TableColumn(varchar('buyer_address', 300, true)),
      new TableColumn(varchar('buyer_region', 100, true)),
      new TableColumn(text('buyer_encrypted', true)),
      new TableColumn(varchar('ship_holds', 300, true)),
      new TableColumn(bigint('deadline_at', true)),
      new TableColumn(varchar('deadline_source', 16, true)),
      new TableColumn(varchar('deadline_risk', 10, true)),
      new TableColumn(bigint('shipped_at', true)),
    ]);
    await qr.createIndex(
      'channel_order',
      new TableIndex({ name: 'uq_channel_order_erp_id', columnNames: ['merchant_id', 'erp_order_id'], isUnique: true }),
    );
    await qr.createIndex(
      'channel_order',
      new TableIndex({ name: 'idx_channel_order_deadline', columnNames: ['status', 'deadline_at'] }),
    );
    await qr.createIndex(
      'channel_order_line',
      new TableIndex({ name: 'idx_channel_order_line_platform_line', columnNames: ['platform_line_id'] }),
    );
    await qr.createTable(
      new Table({
        name: 'order_shop_policy',
        columns: [{ ...varchar('connection_id', 36), isPrimary: true }, int('promise_hours'), bigint('updated_at')],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'order_reconcile_run',
        columns: [
          autoIncrementId(qr),
          varchar('connection_id', 36),
          varchar('merchant_id', 36),
          varchar('platform', 20),
          bigint('window_from'),
          bigint('window_until'),
          int('platform_orders'),
          int('missing'),
          int('drifted'),
          int('duplicated'),
          int('repaired'),
          varchar('status', 10),
          text('details', true),
          varchar('error', 500, true),
          bigint('started_at'),
          bigint('finished_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_order_reconcile_run_merchant', columnNames: ['merchant_id', 'started_at'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('order_reconcile_run');
    await qr.dropTable('order_shop_policy');
    await qr.dropIndex('channel_order_line', 'idx_channel_order_line_platform_line');
    await qr.dropIndex('channel_order', 'idx_channel_order_deadline');
    await qr.dropIndex('channel_order', 'uq_channel_order_erp_id');
    for (const c of [
      'shipped_at',
      'deadline_risk',
      'deadline_source',
      'deadline_at',
      'ship_holds',
      'buyer_encrypted',
      'buyer_region',
      'buyer_address',
      'buyer_phone',
      'buyer_name',
      'erp_order_id',
    ])
      await qr.dropColumn('channel_order', c);
  }
}
