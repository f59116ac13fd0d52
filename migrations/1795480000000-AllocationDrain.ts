import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { varchar } from './support';

/**
 * The platform address of a removed binding's listing, kept on its allocation: the writer lowers
 * the listing to 0 through it, then its units go back to the pool.
 */
export class AllocationDrain1795480000000 implements MigrationInterface {
  name = 'AllocationDrain1795480000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('channel_allocation', [
      new TableColumn(varchar('drain_connection_id', 36, true)),
      new TableColumn(varchar('drain_item_id', 40, true)),
      new TableColumn(varchar('drain_sku_id', 40, true)),
    ]);
  }

  public async down(qr: QueryRunner): Promise<void> {
    for (const c of ['drain_sku_id', 'drain_item_id', 'drain_connection_id'])
      await qr.dropColumn('channel_allocation', c);
  }
}
