import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { autoIncrementId, bigint, int, text, varchar } from './support';

/** The indexes the purge jobs delete by (each deletes rows older than a cutoff). */
const PURGE_INDEXES: [table: string, index: string, columns: string[]][] = [
  ['platform_push', 'idx_platform_push_received', ['received_at']],
  ['webhook_delivery', 'idx_webhook_delivery_received', ['received_at']],
  ['stock_drift', 'idx_stock_drift_created', ['created_at']],
  ['stock_write_op', 'idx_stock_write_op_settled', ['settled_at']],
  ['sync_failure', 'idx_sync_failure_closed', ['closed_at']],
  ['auth_session', 'idx_auth_session_last_seen', ['last_seen_at']],
  ['outbox_event', 'idx_outbox_event_status_published', ['status', 'published_at']],
];

/** Run-time ops settings with their audit trail, the shared sign-in limiter's table, and the purge indexes. */
export class OpsSettings1795410000000 implements MigrationInterface {
  name = 'OpsSettings1795410000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'ops_setting',
        columns: [
          { ...varchar('name', 64), isPrimary: true },
          text('value'),
          bigint('updated_at'),
          varchar('updated_by', 254),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ops_setting_change',
        columns: [
          autoIncrementId(qr),
          varchar('name', 64),
          text('old_value'),
          text('new_value'),
          varchar('changed_by_user_id', 36),
          varchar('changed_by', 254),
          bigint('changed_at'),
        ],
        indices: [new TableIndex({ name: 'idx_ops_setting_change_changed_at', columnNames: ['changed_at'] })],
      }),
    );
    // The layout rate-limiter-flexible's MySQL store expects (it inserts by column position).
    await qr.createTable(
      new Table({
        name: 'sign_in_limit',
        columns: [{ ...varchar('key', 255), isPrimary: true }, int('points', false, 0), bigint('expire', true)],
      }),
    );
    for (const [table, name, columnNames] of PURGE_INDEXES)
      await qr.createIndex(table, new TableIndex({ name, columnNames }));
  }

  public async down(qr: QueryRunner): Promise<void> {
    for (const [table, name] of [...PURGE_INDEXES].reverse()) await qr.dropIndex(table, name);
    await qr.dropTable('sign_in_limit');
    await qr.dropTable('ops_setting_change');
    await qr.dropTable('ops_setting');
  }
}
