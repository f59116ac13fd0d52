import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureMysqlDatabase } from '@app/database/data-source-options';
import { Db } from '@app/database/db';
import { JobLeases } from '@app/database/scheduled-jobs/job-leases';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

const HOUR = 3_600_000;

/** Two instances = two runners, each with its own connection pool, on one MariaDB database. */
describe('scheduled jobs across instances (MariaDB)', () => {
  let database: TestDatabase;
  const sources: DataSource[] = [];
  let a: JobLeases;
  let b: JobLeases;

  async function instance(): Promise<JobLeases> {
    const ds = await new DataSource(
      dataSourceOptions(
        { kind: 'mysql', url: database.url, file: '', poolSize: 4, runMigrations: false },
        await ensureMysqlDatabase(database.url),
      ),
    ).initialize();
    sources.push(ds);
    return new JobLeases(new Db(ds));
  }

  const weight = async () => Number((await sources[0].query('SELECT weight FROM decay_probe WHERE id = 1'))[0].weight);
  /** A state-changing job like the demand decay: halves a weight in the database. */
  const decay = (leases: JobLeases) => () =>
    leases['db'].manager.query('UPDATE decay_probe SET weight = weight DIV 2 WHERE id = 1');

  beforeAll(async () => {
    database = await createTestDatabase('job_leases');
    a = await instance();
    await sources[0].runMigrations();
    b = await instance();
    await sources[0].query('CREATE TABLE decay_probe (id INT PRIMARY KEY, weight INT NOT NULL)');
  }, 120_000);

  afterAll(async () => {
    for (const ds of sources) await ds.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await sources[0].query('DELETE FROM decay_probe');
    await sources[0].query('INSERT INTO decay_probe (id, weight) VALUES (1, 1024)');
  });

  it('runs a job once per period when two instances fire it at the same time', async () => {
    const now = Date.UTC(2026, 11, 2, 10, 0, 0, 5);
    let runs = 0;
    const job = async () => {
      runs += 1;
    };
    const outcomes = await Promise.all([
      a.runOnce('reconcile', HOUR, job, {}, now),
      b.runOnce('reconcile', HOUR, job, {}, now + 40),
      a.runOnce('reconcile', HOUR, job, {}, now + 59 * 60_000),
    ]);
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
    expect(runs).toBe(1);
    // The next period runs again, on whichever instance claims it first.
    expect(await b.runOnce('reconcile', HOUR, job, {}, now + HOUR)).toBe('ran');
    expect(runs).toBe(2);
    const claims = await sources[0].query(
      "SELECT period_start, instance FROM scheduled_job_run WHERE job_name = 'reconcile' ORDER BY period_start",
    );
    expect(claims.map((c: { period_start: string }) => Number(c.period_start))).toEqual([
      Date.UTC(2026, 11, 2, 10),
      Date.UTC(2026, 11, 2, 11),
    ]);
    expect(claims[1].instance).toBe(b.instance);
  });

  it('halves the demand weights once per period however often the decay fires in it', async () => {
    const now = Date.UTC(2026, 11, 2, 12, 0, 0, 3);
    const fired = await Promise.all([
      a.runOnce('decay', HOUR, decay(a), { transactional: true }, now),
      b.runOnce('decay', HOUR, decay(b), { transactional: true }, now + 10),
    ]);
    expect(fired.sort()).toEqual(['ran', 'skipped']);
    expect(await weight()).toBe(512);
    // Running it again in the same period changes nothing.
    expect(await b.runOnce('decay', HOUR, decay(b), { transactional: true }, now + 30 * 60_000)).toBe('skipped');
    expect(await weight()).toBe(512);
    expect(await a.runOnce('decay', HOUR, decay(a), { transactional: true }, now + HOUR)).toBe('ran');
    expect(await weight()).toBe(256);
  });

  it('leaves the period to a retry when a transactional run fails, so its effect is not lost', async () => {
    const now = Date.UTC(2026, 11, 2, 14, 0, 0, 0);
    const failing = async () => {
      await decay(a)();
      throw new Error('platform down');
    };
    await expect(a.runOnce('decay', HOUR, failing, { transactional: true }, now)).rejects.toThrow('platform down');
    expect(await weight()).toBe(1024);
    expect(await b.runOnce('decay', HOUR, decay(b), { transactional: true }, now + 1_000)).toBe('ran');
    expect(await weight()).toBe(512);
  });

  it('agrees on the period of a cron fired on the boundary by instances whose clocks differ slightly', async () => {
    const boundary = Date.UTC(2026, 11, 2, 16);
    let runs = 0;
    const job = async () => {
      runs += 1;
    };
    const outcomes = await Promise.all([
      a.runOnce('audit', HOUR, job, { nearestBoundary: true }, boundary - 150),
      b.runOnce('audit', HOUR, job, { nearestBoundary: true }, boundary + 150),
    ]);
    expect(outcomes.sort()).toEqual(['ran', 'skipped']);
    expect(runs).toBe(1);
  });
});
