import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bigint, varchar } from './support';

/** Shops being disconnected, seen by the stock writers of every instance (it was a mark in one process's memory). */
export class StockShopLeaving1795710000000 implements MigrationInterface {
  name = 'StockShopLeaving1795710000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'stock_shop_leaving',
        columns: [{ ...varchar('connection_id', 36), isPrimary: true }, bigint('started_at'), bigint('until')],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('stock_shop_leaving');
  }
}
