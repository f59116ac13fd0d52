import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { autoIncrementId, bigint, int, text, varchar } from './support';

export class Inventory1795320000000 implements MigrationInterface {
  name = 'Inventory1795320000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'merchant_sku',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('sku_code', 64),
          varchar('title', 200, true),
          int('safety_stock', false, 0),
          { ...varchar('allocation_mode', 10), default: "'auto'" },
          int('scarce_below', false, 20),
          int('tranche', false, 2),
          text('platform_limits', true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_merchant_sku_code', columnNames: ['merchant_id', 'sku_code'], isUnique: true }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'sku_binding',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          varchar('connection_id', 36),
          varchar('platform_item_id', 40),
          varchar('platform_sku_id', 40),
          varchar('outer_sku_id', 64, true),
          varchar('bound_by', 10),
          bigint('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_sku_binding_platform_sku',
            columnNames: ['connection_id', 'platform_sku_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'uq_sku_binding_merchant_sku_shop',
            columnNames: ['merchant_sku_id', 'connection_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_sku_binding_outer', columnNames: ['merchant_id', 'outer_sku_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_ledger',
        columns: [
          { ...varchar('merchant_sku_id', 36), isPrimary: true },
          int('on_hand'),
          bigint('on_hand_seq'),
          bigint('updated_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_reservation',
        columns: [
          autoIncrementId(qr),
          varchar('merchant_sku_id', 36),
          varchar('order_line_id', 36),
          varchar('kind', 12),
          int('quantity'),
          varchar('platform', 20),
          bigint('created_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_stock_reservation_line_kind',
            columnNames: ['order_line_id', 'kind'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_stock_reservation_sku', columnNames: ['merchant_sku_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'channel_allocation',
        columns: [
          { ...varchar('binding_id', 36), isPrimary: true },
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          int('allotted'),
          int('target'),
          int('established', false, 0),
          int('sold_recent', false, 0),
          int('demand_milli', false, 0),
          bigint('last_sale_at', true),
          bigint('last_grant_at', true),
          bigint('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_channel_allocation_sku', columnNames: ['merchant_sku_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_write_op',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('binding_id', 36),
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          int('delta'),
          varchar('status', 16),
          varchar('note', 500, true),
          bigint('trigger_at'),
          bigint('created_at'),
          bigint('settled_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_stock_write_op_status', columnNames: ['status', 'created_at'] }),
          new TableIndex({ name: 'idx_stock_write_op_binding', columnNames: ['binding_id', 'created_at'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'stock_drift',
        columns: [
          autoIncrementId(qr),
          varchar('binding_id', 36),
          varchar('merchant_sku_id', 36),
          varchar('platform', 20),
          int('expected'),
          int('observed'),
          varchar('action', 300),
          bigint('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_stock_drift_sku', columnNames: ['merchant_sku_id', 'created_at'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'channel_order',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('platform', 20),
          varchar('platform_order_id', 64),
          varchar('connection_id', 36),
          varchar('merchant_id', 36),
          varchar('status', 16),
          varchar('raw_status', 40),
          bigint('platform_created_at'),
          bigint('platform_updated_at'),
          bigint('paid_at', true),
          bigint('ship_by', true),
          int('goods_total_fen'),
          int('discount_fen'),
          int('shipping_fee_fen'),
          int('paid_fen'),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_channel_order_platform_order',
            columnNames: ['platform', 'platform_order_id'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'idx_channel_order_connection_updated',
            columnNames: ['connection_id', 'platform_updated_at'],
          }),
          new TableIndex({ name: 'idx_channel_order_ship_by', columnNames: ['status', 'ship_by'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'channel_order_line',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('order_id', 36),
          varchar('platform_line_id', 64),
          varchar('platform_item_id', 40),
          varchar('platform_sku_id', 40),
          varchar('outer_sku_id', 64, true),
          varchar('merchant_sku_id', 36, true),
          varchar('title', 200),
          int('quantity'),
          int('unit_price_fen'),
          int('discount_fen'),
          int('paid_fen'),
          varchar('refund_status', 16),
          varchar('stock_state', 10),
        ],
        indices: [
          new TableIndex({
            name: 'uq_channel_order_line',
            columnNames: ['order_id', 'platform_line_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_channel_order_line_sku', columnNames: ['merchant_sku_id'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'platform_push',
        columns: [
          { ...varchar('platform', 20), isPrimary: true },
          { ...varchar('event_id', 100), isPrimary: true },
          varchar('kind', 12),
          varchar('raw_type', 80),
          varchar('shop_id', 100, true),
          varchar('order_id', 64, true),
          varchar('refund_id', 64, true),
          bigint('received_at'),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'order_sync_state',
        columns: [
          { ...varchar('connection_id', 36), isPrimary: true },
          bigint('polled_until'),
          bigint('last_poll_at'),
          int('orders_seen', false, 0),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_delivery',
        columns: [
          { ...varchar('source', 40), isPrimary: true },
          { ...varchar('delivery_id', 100), isPrimary: true },
          bigint('received_at'),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    for (const table of [
      'webhook_delivery',
      'order_sync_state',
      'platform_push',
      'channel_order_line',
      'channel_order',
      'stock_drift',
      'stock_write_op',
      'channel_allocation',
      'stock_reservation',
      'stock_ledger',
      'sku_binding',
      'merchant_sku',
    ]) {
      await qr.dropTable(table);
    }
  }
}
