import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { autoIncrementId, bigint, int, text, varchar } from './support';

export class Foundation1795312800000 implements MigrationInterface {
  name = 'Foundation1795312800000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'outbox_event',
        columns: [
          autoIncrementId(qr),
          varchar('event_id', 36),
          varchar('topic', 150),
          varchar('event_key', 191),
          bigint('key_seq'),
          varchar('event_type', 100),
          text('payload'),
          varchar('correlation_id', 64, true),
          varchar('status', 16),
          bigint('created_at'),
          bigint('published_at', true),
          int('publish_attempts', false, 0),
          varchar('last_error', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_outbox_event_status_id', columnNames: ['status', 'id'] }),
          new TableIndex({ name: 'uq_outbox_event_event_id', columnNames: ['event_id'], isUnique: true }),
          new TableIndex({
            name: 'uq_outbox_event_key_seq',
            columnNames: ['topic', 'event_key', 'key_seq'],
            isUnique: true,
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'outbox_key_sequence',
        columns: [
          { ...varchar('topic', 150), isPrimary: true },
          { ...varchar('event_key', 191), isPrimary: true },
          bigint('last_seq'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'inbox_message',
        columns: [
          { ...varchar('consumer', 100), isPrimary: true },
          { ...varchar('event_id', 64), isPrimary: true },
          varchar('outcome', 16),
          bigint('processed_at'),
        ],
        indices: [new TableIndex({ name: 'idx_inbox_message_processed_at', columnNames: ['processed_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'sync_failure',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('context', 80),
          varchar('operation', 100),
          varchar('platform', 20, true),
          varchar('shop_ref', 100, true),
          varchar('entity_type', 40, true),
          varchar('entity_ref', 191, true),
          varchar('error_code', 40),
          text('reason'),
          varchar('platform_code', 100, true),
          text('platform_message', true),
          int('attempts'),
          bigint('next_retry_at', true),
          varchar('status', 16),
          text('replay', true),
          varchar('dedupe_key', 191, true),
          bigint('created_at'),
          bigint('updated_at'),
          bigint('last_attempt_at', true),
          bigint('closed_at', true),
          varchar('closed_note', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_sync_failure_status_next_retry', columnNames: ['status', 'next_retry_at'] }),
          new TableIndex({ name: 'idx_sync_failure_created', columnNames: ['created_at'] }),
          new TableIndex({ name: 'uq_sync_failure_dedupe_key', columnNames: ['dedupe_key'], isUnique: true }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('sync_failure');
    await qr.dropTable('inbox_message');
    await qr.dropTable('outbox_key_sequence');
    await qr.dropTable('outbox_event');
  }
}
