import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, text, varchar } from './support';

export class Access1795323600000 implements MigrationInterface {
  name = 'Access1795323600000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'app_user',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('email', 254),
          varchar('password_hash', 200),
          varchar('role', 10),
          varchar('merchant_id', 36, true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_app_user_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'idx_app_user_merchant', columnNames: ['merchant_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'auth_session',
        columns: [
          { ...varchar('id_hash', 64), isPrimary: true },
          varchar('user_id', 36),
          varchar('csrf_token', 64),
          bigint('created_at'),
          bigint('last_seen_at'),
          bigint('expires_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_auth_session_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'idx_auth_session_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'api_token',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('user_id', 36),
          varchar('merchant_id', 36, true),
          varchar('name', 100),
          varchar('token_hash', 64),
          bigint('created_at'),
          bigint('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_api_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_api_token_user', columnNames: ['user_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'erp_credential',
        columns: [
          { ...varchar('key_id', 40), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('name', 100),
          text('secret_enc'),
          bigint('created_at'),
          bigint('expires_at', true),
          bigint('revoked_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_erp_credential_merchant', columnNames: ['merchant_id'] })],
      }),
    );
    // The session that started a connect: a callback in another browser stores nothing.
    await qr.addColumn('oauth_state', new TableColumn(varchar('session_hash', 64, true)));
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('oauth_state', 'session_hash');
    await qr.dropTable('erp_credential');
    await qr.dropTable('api_token');
    await qr.dropTable('auth_session');
    await qr.dropTable('app_user');
  }
}
