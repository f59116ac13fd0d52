import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint, int, varchar } from './support';

/**
 * One writer per SKU (a lease with a fencing token on the ledger row), ops tagged with the token
 * that wrote them, and the read-back observations that may lower `allotted` once the shop's order
 * feed is complete up to the read.
 */
export class StockWriterLease1795330000000 implements MigrationInterface {
  name = 'StockWriterLease1795330000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('stock_ledger', [
      new TableColumn({ ...bigint('writer_token'), default: 0 }),
      new TableColumn(varchar('writer_holder', 36, true)),
      new TableColumn({ ...bigint('writer_until'), default: 0 }),
      new TableColumn(int('rerun', false, 0)),
    ]);
    await qr.addColumns('stock_write_op', [
      new TableColumn({ ...bigint('writer_token'), default: 0 }),
      new TableColumn(bigint('uncertain_until', true)),
    ]);
    await qr.addColumns('channel_allocation', [
      new TableColumn(int('heard_sold', false, 0)),
      new TableColumn(int('pinned', false, 0)),
      new TableColumn(int('obs_allotted', true)),
      new TableColumn(int('obs_visible', true)),
      new TableColumn(int('obs_heard', true)),
      new TableColumn(bigint('obs_read_at', true)),
      new TableColumn(varchar('unwritable', 300, true)),
    ]);
  }

  public async down(qr: QueryRunner): Promise<void> {
    for (const c of ['unwritable', 'obs_read_at', 'obs_heard', 'obs_visible', 'obs_allotted', 'pinned', 'heard_sold'])
      await qr.dropColumn('channel_allocation', c);
    for (const c of ['uncertain_until', 'writer_token']) await qr.dropColumn('stock_write_op', c);
    for (const c of ['rerun', 'writer_until', 'writer_holder', 'writer_token']) await qr.dropColumn('stock_ledger', c);
  }
}
