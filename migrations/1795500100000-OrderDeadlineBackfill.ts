import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders ingested before deadlines existed get theirs from what the registry already holds:
 * Kuaishou's own ship-by, Youzan pay time + the 48 h default promise; shipped ones count as
 * shipped at their last platform update (for the on-time rate). Later reads recompute them.
 */
export class OrderDeadlineBackfill1795500100000 implements MigrationInterface {
  name = 'OrderDeadlineBackfill1795500100000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.query(
      `UPDATE channel_order SET deadline_at = ship_by, deadline_source = 'platform'
       WHERE deadline_at IS NULL AND platform = 'kuaishou' AND ship_by IS NOT NULL AND ship_by > 0
         AND status NOT IN ('unpaid', 'cancelled')`,
    );
    await qr.query(
      `UPDATE channel_order SET deadline_at = paid_at + 172800000, deadline_source = 'policy'
       WHERE deadline_at IS NULL AND platform = 'youzan' AND paid_at IS NOT NULL AND paid_at > 0
         AND status NOT IN ('unpaid', 'cancelled')`,
    );
    await qr.query(
      `UPDATE channel_order SET shipped_at = platform_updated_at
       WHERE shipped_at IS NULL AND status IN ('shipped', 'delivered', 'completed')`,
    );
  }

  public async down(): Promise<void> {
    // Data only: the columns go with OrderRegistry1795500000000.
  }
}
