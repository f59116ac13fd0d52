import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint } from './support';

/**
 * Price writes tagged with when their change was requested, so a replayed (older) change can tell
 * that a newer one has already been written; and, for a write whose answer was lost, until when the
 * platform may still apply it.
 */
export class PriceWriteRequest1795460000000 implements MigrationInterface {
  name = 'PriceWriteRequest1795460000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('price_write_op', [
      new TableColumn(bigint('requested_at', true)),
      new TableColumn(bigint('may_land_until', true)),
    ]);
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('price_write_op', 'may_land_until');
    await qr.dropColumn('price_write_op', 'requested_at');
  }
}
