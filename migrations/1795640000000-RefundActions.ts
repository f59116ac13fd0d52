import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, varchar } from './support';

/** The journal of seller actions on refunds (agree, refuse, agree a return, confirm receipt). */
export class RefundActions1795640000000 implements MigrationInterface {
  name = 'RefundActions1795640000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'channel_refund_action',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('refund_id', 36),
          varchar('action', 20),
          varchar('platform_version', 40),
          varchar('status', 12),
          varchar('actor_id', 36),
          varchar('reason', 200, true),
          varchar('error', 500, true),
          varchar('status_after', 40, true),
          bigint('created_at'),
          bigint('settled_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_channel_refund_action_once',
            columnNames: ['refund_id', 'action', 'platform_version'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_channel_refund_action_refund', columnNames: ['refund_id', 'created_at'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('channel_refund_action');
  }
}
