import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

/**
 * Platform calls and breaker states persisted per instance (so every instance's console shows all of them), the
 * alerts the scheduled check raises on platform conditions, and when a sync failure alert was resolved.
 */
export class PlatformCallStatsAndAlerts1795680000000 implements MigrationInterface {
  name = 'PlatformCallStatsAndAlerts1795680000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'platform_call_stat',
        columns: [
          { ...varchar('instance', 64), isPrimary: true },
          { ...varchar('platform', 16), isPrimary: true },
          { ...varchar('api', 80), isPrimary: true },
          { ...bigint('minute_start'), isPrimary: true },
          int('calls'),
          int('errors'),
        ],
        indices: [new TableIndex({ name: 'idx_platform_call_stat_minute', columnNames: ['minute_start'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'platform_instance_state',
        columns: [
          { ...varchar('instance', 64), isPrimary: true },
          { ...varchar('platform', 16), isPrimary: true },
          text('breakers'),
          text('apis'),
          text('shops'),
          bigint('started_at'),
          bigint('reported_at'),
        ],
        indices: [new TableIndex({ name: 'idx_platform_instance_state_reported', columnNames: ['reported_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ops_alert',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('kind', 40),
          varchar('scope_key', 80),
          varchar('platform', 16),
          int('open_marker', true),
          text('figures'),
          bigint('raised_at'),
          bigint('last_seen_at'),
          bigint('resolved_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_ops_alert_active',
            columnNames: ['kind', 'scope_key', 'open_marker'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_ops_alert_raised', columnNames: ['raised_at'] }),
          new TableIndex({ name: 'idx_ops_alert_resolved', columnNames: ['resolved_at'] }),
        ],
      }),
    );
    await qr.addColumn('sync_failure_alert', new TableColumn(bigint('resolved_at', true)));
    await qr.createIndex(
      'sync_failure_alert',
      new TableIndex({ name: 'idx_sync_failure_alert_resolved', columnNames: ['resolved_at'] }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('sync_failure_alert', 'idx_sync_failure_alert_resolved');
    await qr.dropColumn('sync_failure_alert', 'resolved_at');
    await qr.dropTable('ops_alert');
    await qr.dropTable('platform_instance_state');
    await qr.dropTable('platform_call_stat');
  }
}
