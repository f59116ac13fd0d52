import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint, int } from './support';

/**
 * Order feed completeness (how far every sale of a shop is known to have been heard) and the
 * refund poll watermark; per line, the units a refund took back before shipment. Shipments now stay held until an ERP report counts them; shipments
 * recorded before this migration already lowered on-hand, so they are marked counted.
 */
export class OrderFeed1795338000000 implements MigrationInterface {
  name = 'OrderFeed1795338000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('order_sync_state', [
      new TableColumn(bigint('feed_complete_until', true)),
      new TableColumn(bigint('refunds_polled_until', true)),
    ]);
    await qr.addColumn('channel_order_line', new TableColumn(int('refunded_quantity', false, 0)));
    await qr.query(
      "INSERT INTO stock_reservation (merchant_sku_id, order_line_id, kind, quantity, platform, created_at) SELECT merchant_sku_id, order_line_id, 'counted', quantity, platform, created_at FROM stock_reservation WHERE kind = 'shipped'",
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DELETE FROM stock_reservation WHERE kind = 'counted'");
    await qr.dropColumn('channel_order_line', 'refunded_quantity');
    await qr.dropColumn('order_sync_state', 'refunds_polled_until');
    await qr.dropColumn('order_sync_state', 'feed_complete_until');
  }
}
