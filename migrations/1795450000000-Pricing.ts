import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { autoIncrementId, bigint, int, text, varchar } from './support';

/** Price policy (merchant defaults and per-SKU overrides), the price-write journal, audit findings, ERP prices and the last price seen per listing. */
export class Pricing1795450000000 implements MigrationInterface {
  name = 'Pricing1795450000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'price_policy',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('scope', 36),
          varchar('master', 10, true),
          text('adjustments', true),
          int('rounding_ending_fen', true),
          int('floor_fen', true),
          int('ceiling_fen', true),
          int('parity_limit_bp', true),
          int('parity_allowance_bp', true),
          varchar('on_breach', 10, true),
          varchar('audit_action', 10, true),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_price_policy_scope', columnNames: ['merchant_id', 'scope'], isUnique: true }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'price_write_op',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('binding_id', 36),
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          int('price_fen'),
          int('previous_fen', true),
          varchar('reason', 12),
          varchar('status', 12),
          varchar('note', 500, true),
          bigint('created_at'),
          bigint('settled_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_price_write_op_sku', columnNames: ['merchant_sku_id', 'created_at'] }),
          new TableIndex({ name: 'idx_price_write_op_status', columnNames: ['status', 'created_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'price_drift',
        columns: [
          autoIncrementId(qr),
          varchar('binding_id', 36),
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          int('expected_fen', true),
          int('observed_fen'),
          int('spread_bp'),
          varchar('action', 300),
          bigint('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_price_drift_sku', columnNames: ['merchant_sku_id', 'created_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'erp_price',
        columns: [
          { ...varchar('merchant_sku_id', 36), isPrimary: true },
          int('price_fen'),
          bigint('sequence'),
          bigint('updated_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'listing_price',
        columns: [
          { ...varchar('binding_id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          int('price_fen'),
          bigint('observed_at'),
        ],
        indices: [new TableIndex({ name: 'idx_listing_price_sku', columnNames: ['merchant_sku_id'] })],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('listing_price');
    await qr.dropTable('erp_price');
    await qr.dropTable('price_drift');
    await qr.dropTable('price_write_op');
    await qr.dropTable('price_policy');
  }
}
