import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database/data-source-options';
import { Db } from '@app/database/db';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `promise` settles or after `ms`, whichever is first: gives a leaking read every chance to run. */
const raceWith = (promise: Promise<unknown>, ms: number) => Promise.race([promise.catch(() => undefined), settle(ms)]);

describe('embedded database transactions', () => {
  let dataSource: DataSource;
  let db: Db;

  beforeEach(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kwaizan-iso-')), 'kwaizan.sqlite');
    dataSource = await new DataSource(
      dataSourceOptions({ kind: 'sqlite', file, poolSize: 1, runMigrations: false }),
    ).initialize();
    db = new Db(dataSource);
    await db.transaction((m) => m.query('CREATE TABLE probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL)'));
  });

  afterEach(async () => {
    await dataSource?.destroy();
  });

  it('runs in WAL mode, fsyncs every commit and waits for a busy file', async () => {
    expect(await db.manager.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.manager.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
    expect(await db.manager.query('PRAGMA busy_timeout')).toEqual([{ timeout: 10_000 }]);
  });

  /** Opens a transaction that inserts `id` and stays open until the returned `finish` is called. */
  async function openWriter(id: number): Promise<{ finish: (outcome: 'commit' | 'rollback') => Promise<void> }> {
    let written!: () => void;
    let decide!: (outcome: 'commit' | 'rollback') => void;
    const wrote = new Promise<void>((r) => (written = r));
    const decided = new Promise<'commit' | 'rollback'>((r) => (decide = r));
    const done = db
      .transaction(async (m) => {
        await m.query('INSERT INTO probe (id, note) VALUES (?, ?)', [id, 'uncommitted']);
        written();
        if ((await decided) === 'rollback') throw new Error('rolled back on purpose');
      })
      .catch((error: Error) => {
        if (error.message !== 'rolled back on purpose') throw error;
      });
    await wrote;
    return { finish: async (outcome) => (decide(outcome), done) };
  }

  it('a read outside the transaction does not see a row that was written but not committed', async () => {
    const writer = await openWriter(1);
    const read = db.manager.query('SELECT id FROM probe');
    await raceWith(read, 300);
    await writer.finish('rollback');
    expect(await read).toEqual([]);
  });

  it('a read outside the transaction does not wait for it, and sees the row once it is committed', async () => {
    const writer = await openWriter(2);
    // The writer stays open until this read has answered: a read that waited for it would never answer.
    const during = await Promise.race([
      db.manager.query('SELECT id FROM probe'),
      settle(30_000).then(() => 'still waiting'),
    ]);
    await writer.finish('commit');
    expect(during).toEqual([]);
    expect(await db.manager.query('SELECT id FROM probe')).toEqual([{ id: 2 }]);
  });

  it('a write outside the transaction is not rolled back with it', async () => {
    const writer = await openWriter(3);
    const standalone = db.manager.query('INSERT INTO probe (id, note) VALUES (?, ?)', [4, 'standalone']);
    await raceWith(standalone, 300);
    await writer.finish('rollback');
    await standalone;
    expect(await db.manager.query('SELECT id, note FROM probe')).toEqual([{ id: 4, note: 'standalone' }]);
  });

  it('two transactions that overlap in time do not see each other', async () => {
    const first = await openWriter(5);
    const second = db.transaction((m) => m.query('SELECT id FROM probe'));
    await raceWith(second, 300);
    await first.finish('rollback');
    expect(await second).toEqual([]);
  });

  it("TypeORM's own transaction for a save outside any transaction does not join an open one", async () => {
    const writer = await openWriter(6);
    const saved = dataSource.manager.transaction((m) =>
      m.query('INSERT INTO probe (id, note) VALUES (?, ?)', [7, 'own transaction']),
    );
    await raceWith(saved, 300);
    await writer.finish('rollback');
    await saved;
    expect(await db.manager.query('SELECT id FROM probe')).toEqual([{ id: 7 }]);
  });

  it('a query inside a transaction that reaches past Db.manager joins that transaction instead of waiting for it', async () => {
    const seen = await db.transaction(async (m) => {
      await m.query('INSERT INTO probe (id, note) VALUES (?, ?)', [8, 'inside']);
      return dataSource.query('SELECT id FROM probe');
    });
    expect(seen).toEqual([{ id: 8 }]);
  });
});
