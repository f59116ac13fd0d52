import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, text, varchar } from './support';

/** The audit of what ops did to sync failures from the console: who, when, which action, the note and the result. */
export class SyncFailureActions1795570000000 implements MigrationInterface {
  name = 'SyncFailureActions1795570000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'sync_failure_action',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('batch_id', 36),
          varchar('failure_id', 36),
          varchar('action', 16),
          varchar('actor_id', 36),
          varchar('actor_email', 191),
          text('note', true),
          varchar('outcome', 16),
          varchar('status_after', 16, true),
          text('detail', true),
          bigint('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_sync_failure_action_failure', columnNames: ['failure_id', 'created_at'] }),
          new TableIndex({ name: 'idx_sync_failure_action_batch', columnNames: ['batch_id'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sync_failure_action');
  }
}
