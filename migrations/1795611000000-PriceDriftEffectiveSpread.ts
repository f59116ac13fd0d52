import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { int } from './support';

/** Each audit finding keeps the effective spread (after merchant-funded discounts) beside the list-price spread. */
export class PriceDriftEffectiveSpread1795611000000 implements MigrationInterface {
  name = 'PriceDriftEffectiveSpread1795611000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('price_drift', new TableColumn(int('effective_spread_bp', true)));
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('price_drift', 'effective_spread_bp');
  }
}
