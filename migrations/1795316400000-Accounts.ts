import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

export class Accounts1795316400000 implements MigrationInterface {
  name = 'Accounts1795316400000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'merchant',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('name', 100),
          bigint('created_at'),
          bigint('updated_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'shop_connection',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('platform', 20),
          varchar('shop_id', 100),
          varchar('shop_name', 200, true),
          varchar('scopes', 1000),
          varchar('status', 20),
          varchar('status_reason', 500, true),
          text('access_token_enc', true),
          text('refresh_token_enc', true),
          varchar('token_key_id', 40, true),
          bigint('access_token_expires_at', true),
          bigint('refresh_token_expires_at', true),
          bigint('first_granted_at'),
          bigint('last_refreshed_at', true),
          bigint('reauth_due_at', true),
          int('failure_count', false, 0),
          varchar('last_error', 500, true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_shop_connection_platform_shop',
            columnNames: ['platform', 'shop_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_shop_connection_merchant', columnNames: ['merchant_id'] }),
          new TableIndex({
            name: 'idx_shop_connection_status_expiry',
            columnNames: ['status', 'access_token_expires_at'],
          }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'store_pair',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('kuaishou_connection_id', 36),
          varchar('youzan_connection_id', 36),
          varchar('status', 20),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_store_pair_kuaishou', columnNames: ['kuaishou_connection_id'], isUnique: true }),
          new TableIndex({ name: 'uq_store_pair_youzan', columnNames: ['youzan_connection_id'], isUnique: true }),
          new TableIndex({ name: 'idx_store_pair_merchant', columnNames: ['merchant_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'oauth_state',
        columns: [
          { ...varchar('state', 64), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('platform', 20),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('used_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_oauth_state_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('oauth_state');
    await qr.dropTable('store_pair');
    await qr.dropTable('shop_connection');
    await qr.dropTable('merchant');
  }
}
