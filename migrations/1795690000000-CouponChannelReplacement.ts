import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { int, varchar } from './support';

/**
 * A campaign's Kuaishou coupon can be replaced to move budget away from Kuaishou (its stock can
 * only grow): the ended coupons' ids stay known for orders that redeem them, and their final
 * claims keep counting against the budget.
 */
export class CouponChannelReplacement1795690000000 implements MigrationInterface {
  name = 'CouponChannelReplacement1795690000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('coupon_channel', new TableColumn(varchar('retired_coupon_ids', 500, true)));
    await qr.addColumn('coupon_channel', new TableColumn(int('retired_claimed', false, 0)));
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('coupon_channel', 'retired_claimed');
    await qr.dropColumn('coupon_channel', 'retired_coupon_ids');
  }
}
