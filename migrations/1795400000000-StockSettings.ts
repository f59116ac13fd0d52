import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { bigint, int, text, varchar } from './support';

const SETTINGS = ['safety_stock', 'allocation_mode', 'scarce_below', 'tranche', 'platform_limits'];

/**
 * Stock settings move out of catalog's `merchant_sku` into inventory's own `stock_settings`
 * (one row per merchant SKU; a SKU without a row has the defaults). Existing values are copied.
 */
export class StockSettings1795400000000 implements MigrationInterface {
  name = 'StockSettings1795400000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'stock_settings',
        columns: [
          { ...varchar('merchant_sku_id', 36), isPrimary: true },
          int('safety_stock', false, 0),
          { ...varchar('allocation_mode', 10), default: "'auto'" },
          int('scarce_below', false, 20),
          int('tranche', false, 2),
          text('platform_limits', true),
          bigint('updated_at'),
        ],
      }),
    );
    await qr.query(
      `INSERT INTO stock_settings (merchant_sku_id, ${SETTINGS.join(', ')}, updated_at) SELECT id, ${SETTINGS.join(', ')}, updated_at FROM merchant_sku`,
    );
    for (const column of SETTINGS) await qr.dropColumn('merchant_sku', column);
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.addColumns('merchant_sku', [
      new TableColumn(int('safety_stock', false, 0)),
      new TableColumn({ ...varchar('allocation_mode', 10), default: "'auto'" }),
      new TableColumn(int('scarce_below', false, 20)),
      new TableColumn(int('tranche', false, 2)),
      new TableColumn(text('platform_limits', true)),
    ]);
    const rows = (await qr.query(`SELECT merchant_sku_id, ${SETTINGS.join(', ')} FROM stock_settings`)) as Record<
      string,
      unknown
    >[];
    for (const row of rows) {
      await qr.query(`UPDATE merchant_sku SET ${SETTINGS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [
        ...SETTINGS.map((c) => row[c]),
        row.merchant_sku_id,
      ]);
    }
    await qr.dropTable('stock_settings');
  }
}
