import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureMysqlDatabase } from '@app/database/data-source-options';
import { runMigrationsUnderLock } from '@app/database/migration-runner';
import { serializeSqliteAccess } from '@app/database/sqlite-gate';
import { createTestDatabase } from '@test/support/test-database';

const MIGRATION = 'StockSettings1795400000000';

async function undoThrough(dataSource: DataSource, name: string): Promise<void> {
  const applied = async () =>
    ((await dataSource.query('SELECT name FROM schema_migrations')) as { name: string }[]).some((m) => m.name === name);
  while (await applied()) await dataSource.undoLastMigration({ transaction: 'each' });
}

/** Before the move, inventory's settings lived in catalog's merchant_sku: they must survive, both ways. */
async function checkMove(dataSource: DataSource): Promise<void> {
  await runMigrationsUnderLock(dataSource);
  await undoThrough(dataSource, MIGRATION);
  await dataSource.query(
    'INSERT INTO merchant_sku (id, merchant_id, sku_code, title, safety_stock, allocation_mode, scarce_below, tranche, platform_limits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ['sku-1', 'm-1', 'TEA-1', null, 3, 'pool', 7, 4, '{"youzan":{"max":5}}', 1, 2],
  );
  await dataSource.query(
    "INSERT INTO merchant_sku (id, merchant_id, sku_code, created_at, updated_at) VALUES ('sku-2', 'm-1', 'TEA-2', 1, 1)",
  );

  await runMigrationsUnderLock(dataSource);
  const rows = (await dataSource.query('SELECT * FROM stock_settings ORDER BY merchant_sku_id')) as Record<
    string,
    unknown
  >[];
  expect(
    rows.map((r) => [
      r.merchant_sku_id,
      Number(r.safety_stock),
      r.allocation_mode,
      Number(r.scarce_below),
      Number(r.tranche),
      r.platform_limits,
    ]),
  ).toEqual([
    ['sku-1', 3, 'pool', 7, 4, '{"youzan":{"max":5}}'],
    ['sku-2', 0, 'auto', 20, 2, null],
  ]);
  const [sku] = (await dataSource.query("SELECT * FROM merchant_sku WHERE id = 'sku-1'")) as Record<string, unknown>[];
  expect(Object.keys(sku).sort()).toEqual(['created_at', 'id', 'merchant_id', 'sku_code', 'title', 'updated_at']);

  await undoThrough(dataSource, MIGRATION);
  const [back] = (await dataSource.query("SELECT * FROM merchant_sku WHERE id = 'sku-1'")) as Record<string, unknown>[];
  expect([
    Number(back.safety_stock),
    back.allocation_mode,
    Number(back.scarce_below),
    Number(back.tranche),
    back.platform_limits,
  ]).toEqual([3, 'pool', 7, 4, '{"youzan":{"max":5}}']);
}

describe(MIGRATION, () => {
  it('copies the stock settings of existing SKUs into stock_settings on MariaDB, and back on revert', async () => {
    const db = await createTestDatabase('stock-settings');
    const flavor = await ensureMysqlDatabase(db.url);
    const dataSource = await new DataSource(
      dataSourceOptions({ kind: 'mysql', url: db.url, file: '', poolSize: 2, runMigrations: false }, flavor),
    ).initialize();
    try {
      await checkMove(dataSource);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });

  it('does the same on the embedded SQLite database', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kwaizan-stock-settings-')), 'kwaizan.sqlite');
    const dataSource = await new DataSource(
      dataSourceOptions({ kind: 'sqlite', file, poolSize: 1, runMigrations: false }),
    ).initialize();
    serializeSqliteAccess(dataSource);
    try {
      await checkMove(dataSource);
    } finally {
      await dataSource.destroy();
    }
  });
});
