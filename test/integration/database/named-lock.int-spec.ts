import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureMysqlDatabase } from '@app/database/data-source-options';
import { NamedLock } from '@app/database/named-lock';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

describe(NamedLock.name, () => {
  const databases: TestDatabase[] = [];
  const sources: DataSource[] = [];

  async function source(): Promise<DataSource> {
    const db = await createTestDatabase('lock');
    databases.push(db);
    const ds = await new DataSource(
      dataSourceOptions(
        { kind: 'mysql', url: db.url, file: '', poolSize: 4, runMigrations: false },
        await ensureMysqlDatabase(db.url),
      ),
    ).initialize();
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

describe(`${NamedLock.name} on the embedded database`, () => {
  let ds: DataSource;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kwaizan-lock-')), 'kwaizan.sqlite');
    ds = await new DataSource(
      dataSourceOptions({ kind: 'sqlite', file, poolSize: 1, runMigrations: false }),
    ).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('lets one holder at a time have a name, and frees it on release', async () => {
    const first = await NamedLock.tryAcquire(ds, 'outbox-relay');
    expect(first).toBeDefined();
    expect(await first!.stillHeld()).toBe(true);
    expect(await NamedLock.tryAcquire(ds, 'outbox-relay')).toBeUndefined();
    const other = await NamedLock.tryAcquire(ds, 'token-refresh');
    expect(other).toBeDefined();
    await other!.release();
    await first!.release();
    const again = await NamedLock.tryAcquire(ds, 'outbox-relay');
    expect(again).toBeDefined();
    await again!.release();
  });

  it('waits up to its timeout for the holder to let go', async () => {
    const first = (await NamedLock.tryAcquire(ds, 'kwaizan:migrations'))!;
    const waiting = NamedLock.tryAcquire(ds, 'kwaizan:migrations', 120);
    let settled = false;
    void waiting.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    await first.release();
    const second = await waiting;
    expect(second).toBeDefined();
    await second!.release();
  });
});
