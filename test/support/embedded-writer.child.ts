import 'reflect-metadata';
// Runs in a child process outside jest (no path aliases there): relative imports only.
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Db } from '../../src/database/db';

/**
 * Writes to the embedded database in a loop until killed, one committed transaction per row,
 * and prints each row id on stdout only after its commit returned (the acknowledgement).
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  const dataSource = await new DataSource(
    dataSourceOptions({ kind: 'sqlite', file, poolSize: 1, runMigrations: false }),
  ).initialize();
  const db = new Db(dataSource);
  await db.transaction((m) =>
    m.query('CREATE TABLE IF NOT EXISTS crash_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)'),
  );
  const [{ last }]: { last: number | null }[] = await db.manager.query('SELECT MAX(id) AS last FROM crash_probe');
  // Large rows make each commit long enough for a kill to land inside it.
  const payload = randomBytes(6_000).toString('base64');
  for (let id = (last ?? 0) + 1; ; id++) {
    await db.transaction(async (m) => {
      await m.query('INSERT INTO crash_probe (id, payload) VALUES (?, ?)', [id, payload]);
      await m.query('UPDATE crash_probe SET payload = ? WHERE id = ?', [payload, Math.max(1, id - 50)]);
    });
    process.stdout.write(`${id}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
