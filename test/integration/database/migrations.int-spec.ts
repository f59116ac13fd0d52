import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureMysqlDatabase } from '@app/database/data-source-options';
import { runMigrationsUnderLock } from '@app/database/migration-runner';
import { serializeSqliteAccess } from '@app/database/sqlite-gate';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

describe('migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('migrations');
    const flavor = await ensureMysqlDatabase(db.url);
    dataSource = await new DataSource(
      dataSourceOptions({ kind: 'mysql', url: db.url, file: '', poolSize: 4, runMigrations: false }, flavor),
    ).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs every migration on an empty MariaDB database and leaves no drift from the entities', async () => {
    const applied = await runMigrationsUnderLock(dataSource);
    expect(applied.length).toBe(dataSource.migrations.length);
    expect(applied.length).toBeGreaterThan(0);

    const drift = await dataSource.driver.createSchemaBuilder().log();
    expect(drift.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('is a no-op when run a second time, even from two instances at once', async () => {
    const [a, b] = await Promise.all([runMigrationsUnderLock(dataSource), runMigrationsUnderLock(dataSource)]);
    expect([...a, ...b]).toEqual([]);
  });

  it('reverts every migration down to an empty schema', async () => {
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables: { t: string }[] = await dataSource.query(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'schema_migrations'",
    );
    expect(tables).toEqual([]);
  });
});

describe('migrations on the embedded database', () => {
  it('run on SQLite too, produce the same tables and revert to an empty schema', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kwaizan-migrations-')), 'kwaizan.sqlite');
    const dataSource = await new DataSource(
      dataSourceOptions({ kind: 'sqlite', file, poolSize: 1, runMigrations: false }),
    ).initialize();
    serializeSqliteAccess(dataSource);
    try {
      await runMigrationsUnderLock(dataSource);
      const tables: { name: string }[] = await dataSource.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
      );
      const entityTables = dataSource.entityMetadatas.map((m) => m.tableName).sort();
      expect(tables.map((t) => t.name).sort()).toEqual(entityTables);
      for (let i = 0; i < dataSource.migrations.length; i++)
        await dataSource.undoLastMigration({ transaction: 'each' });
      expect(
        await dataSource.query(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
        ),
      ).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
