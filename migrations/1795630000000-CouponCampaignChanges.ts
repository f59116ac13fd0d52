import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { bigint, int, text, varchar } from './support';

/**
 * Discount-rate campaigns (`pay_percent`), and the journal of changes sent to a campaign's coupons
 * (end, stock, end date, per-buyer limit): written before the platform call, settled after it.
 */
export class CouponCampaignChanges1795630000000 implements MigrationInterface {
  name = 'CouponCampaignChanges1795630000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('coupon_campaign', new TableColumn(int('pay_percent', true)));
    await qr.createTable(
      new Table({
        name: 'coupon_change',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('campaign_id', 36),
          varchar('platform', 20),
          varchar('kind', 12),
          text('target'),
          varchar('status', 12),
          varchar('last_error', 500, true),
          bigint('created_at'),
          bigint('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_coupon_change_campaign', columnNames: ['campaign_id', 'created_at'] })],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('coupon_change');
    await qr.dropColumn('coupon_campaign', 'pay_percent');
  }
}
