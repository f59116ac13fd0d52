import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureMysqlDatabase } from '../../../src/database/data-source-options';
import { NamedLock } from '../../../src/database/named-lock';
import { createTestDatabase, TestDatabase } from '../../support/test-database';

describe(NamedLock.name, () => {
  const databases: TestDatabase[] = [];
  const sources: DataSource[] = [];

  async function source(): Promise<DataSource> {
    const db = await createTestDatabase('lock');
    databases.push(db);
    const ds = await new DataSource(dataSourceOptions({ kind: 'mysql', url: db.url, file: '', poolSize: 4, runMigrations: false }, await ensureMysqlDatabase(db.url))).initialize();
    sources.push(ds);
    return ds;
  }

  afterAll(async () => {
    for (const ds of sources) await ds.destroy();
    for (const db of databases) await db.drop();
  });

  it('lets one holder at a time have a name within a database, and frees it on release', async () => {
    const ds = await source();
    const first = await NamedLock.tryAcquire(ds, 'outbox-relay');
    expect(first).toBeDefined();
    expect(await first!.stillHeld()).toBe(true);
    expect(await NamedLock.tryAcquire(ds, 'outbox-relay')).toBeUndefined();
    await first!.release();
    const again = await NamedLock.tryAcquire(ds, 'outbox-relay');
    expect(again).toBeDefined();
    await again!.release();
  });

  it('does not let two databases on one server block each other (lock names are server-wide)', async () => {
    const [a, b] = [await source(), await source()];
    const onA = await NamedLock.tryAcquire(a, 'outbox-relay');
    const onB = await NamedLock.tryAcquire(b, 'outbox-relay');
    expect(onA).toBeDefined();
    expect(onB).toBeDefined();
    await onA!.release();
    await onB!.release();
  });
});
