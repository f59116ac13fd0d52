import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

/** Outbound ERP webhooks: subscriptions per merchant (sealed signing secrets) and one delivery row per event and subscription. */
export class OutboundWebhooks1795510000000 implements MigrationInterface {
  name = 'OutboundWebhooks1795510000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'webhook_subscription',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('url', 2000),
          text('event_types'),
          varchar('description', 200, true),
          text('secret_enc'),
          text('previous_secret_enc', true),
          bigint('previous_secret_until', true),
          bigint('created_at'),
          bigint('updated_at'),
          bigint('deleted_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_webhook_subscription_merchant', columnNames: ['merchant_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_outbound_delivery',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('subscription_id', 36),
          varchar('merchant_id', 36),
          varchar('event_id', 36),
          varchar('event_type', 40),
          varchar('subject', 128),
          bigint('subject_seq'),
          text('body'),
          varchar('status', 12),
          int('attempts', false, 0),
          bigint('next_attempt_at'),
          varchar('claim_token', 36, true),
          int('last_status_code', true),
          varchar('last_error', 500, true),
          bigint('last_attempt_at', true),
          bigint('delivered_at', true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_webhook_outbound_delivery_event',
            columnNames: ['subscription_id', 'event_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_webhook_outbound_delivery_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({
            name: 'idx_webhook_outbound_delivery_subject',
            columnNames: ['subscription_id', 'subject', 'subject_seq'],
          }),
          new TableIndex({
            name: 'idx_webhook_outbound_delivery_merchant',
            columnNames: ['merchant_id', 'created_at'],
          }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('webhook_outbound_delivery');
    await qr.dropTable('webhook_subscription');
  }
}
