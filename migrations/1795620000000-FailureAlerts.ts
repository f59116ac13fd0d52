import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, int, varchar } from './support';

/**
 * Sync failures say which merchant they are about (when the failing operation knows it), and the alerts raised when
 * open failures pass the threshold within a window: one row per scope and window, so an alert is never raised twice.
 */
export class FailureAlerts1795620000000 implements MigrationInterface {
  name = 'FailureAlerts1795620000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('sync_failure', new TableColumn(varchar('merchant_id', 36, true)));
    await qr.createIndex(
      'sync_failure',
      new TableIndex({ name: 'idx_sync_failure_merchant_created', columnNames: ['merchant_id', 'created_at'] }),
    );
    await qr.createTable(
      new Table({
        name: 'sync_failure_alert',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('scope_key', 40),
          varchar('merchant_id', 36, true),
          bigint('window_start'),
          int('window_minutes'),
          int('threshold'),
          int('open_failures'),
          bigint('raised_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_sync_failure_alert_window',
            columnNames: ['scope_key', 'window_start'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_sync_failure_alert_raised', columnNames: ['raised_at'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sync_failure_alert');
    await qr.dropIndex('sync_failure', 'idx_sync_failure_merchant_created');
    await qr.dropColumn('sync_failure', 'merchant_id');
  }
}
