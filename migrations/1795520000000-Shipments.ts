import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

/** The shipment journal (write-back of ERP/API shipments to the platforms). */
export class Shipments1795520000000 implements MigrationInterface {
  name = 'Shipments1795520000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'shipment',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('order_id', 36),
          varchar('platform', 20),
          varchar('platform_order_id', 64),
          varchar('connection_id', 36),
          varchar('carrier', 20),
          varchar('tracking_no', 40),
          text('lines', true),
          varchar('source', 8),
          varchar('status', 10),
          varchar('error_code', 40, true),
          varchar('reason', 500, true),
          int('attempts', false, 0),
          bigint('created_at'),
          bigint('updated_at'),
          bigint('shipped_at', true),
        ],
        indices: [
          new TableIndex({
            name: 'uq_shipment_order_waybill',
            columnNames: ['merchant_id', 'order_id', 'tracking_no'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_shipment_merchant_created', columnNames: ['merchant_id', 'created_at'] }),
          new TableIndex({ name: 'idx_shipment_status', columnNames: ['status', 'updated_at'] }),
        ],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('shipment');
  }
}
