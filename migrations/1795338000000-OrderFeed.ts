import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint } from './support';

/** Order feed completeness (how far every sale of a shop is known to have been heard) and the refund poll watermark. */
export class OrderFeed1795338000000 implements MigrationInterface {
  name = 'OrderFeed1795338000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('order_sync_state', [new TableColumn(bigint('feed_complete_until', true)), new TableColumn(bigint('refunds_polled_until', true))]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('order_sync_state', 'refunds_polled_until');
    await qr.dropColumn('order_sync_state', 'feed_complete_until');
  }
}
