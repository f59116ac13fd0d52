import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { E_ALREADY_LOCKED, E_TIMEOUT, Mutex, MutexInterface, tryAcquire, withTimeout } from 'async-mutex';
import { DataSource, QueryRunner } from 'typeorm';
import { isMysqlFamily } from './data-source-options';

/** Embedded-database locks, per database file and name, within this process. */
const localLocks = new Map<string, Mutex>();

/**
 * A MySQL named lock (GET_LOCK) held on its own connection. Lock names are server-wide, so the
 * name is scoped to the database: two deployments (or test runs) on one server do not block
 * each other. On the embedded SQLite the lock is held in this process (one process serves an
 * embedded database); it does not exclude another process that opens the same file.
 */
export class NamedLock {
  private runner?: QueryRunner;
  private serverName = '';
  private localRelease?: MutexInterface.Releaser;

  private constructor(
    private readonly dataSource: DataSource,
    readonly name: string,
  ) {}

  static async tryAcquire(dataSource: DataSource, name: string, timeoutSeconds = 0): Promise<NamedLock | undefined> {
    const lock = new NamedLock(dataSource, name);
    if (!isMysqlFamily(dataSource.options)) {
      lock.localRelease = await acquireLocal(dataSource, name, timeoutSeconds);
      return lock.localRelease ? lock : undefined;
    }
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ db }]: { db: string | null }[] = await runner.query('SELECT DATABASE() AS db');
      // GET_LOCK names are at most 64 characters.
      lock.serverName = `kz:${createHash('sha1')
        .update(`${db ?? ''}\u0000${name}`)
        .digest('hex')}`;
      const rows: { acquired: number | string | null }[] = await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [
        lock.serverName,
        timeoutSeconds,
      ]);
      if (Number(rows[0]?.acquired) !== 1) {
        await runner.release();
        return undefined;
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    lock.runner = runner;
    return lock;
  }

  /** False when the connection holding the lock was lost (and with it the lock). */
  async stillHeld(): Promise<boolean> {
    if (!isMysqlFamily(this.dataSource.options)) return this.localRelease !== undefined;
    if (!this.runner) return false;
    try {
      const rows: { mine: number | string | null }[] = await this.runner.query(
        'SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine',
        [this.serverName],
      );
      return Number(rows[0]?.mine) === 1;
    } catch {
      return false;
    }
  }

  async release(): Promise<void> {
    const localRelease = this.localRelease;
    this.localRelease = undefined;
    localRelease?.();
    if (!this.runner) return;
    const runner = this.runner;
    this.runner = undefined;
    try {
      await runner.query('SELECT RELEASE_LOCK(?)', [this.serverName]);
    } finally {
      await runner.release();
    }
  }
}

async function acquireLocal(
  dataSource: DataSource,
  name: string,
  timeoutSeconds: number,
): Promise<MutexInterface.Releaser | undefined> {
  const key = `${resolve(String(dataSource.options.database))}\u0000${name}`;
  let mutex = localLocks.get(key);
  if (!mutex) localLocks.set(key, (mutex = new Mutex()));
  try {
    return await (timeoutSeconds > 0 ? withTimeout(mutex, timeoutSeconds * 1000) : tryAcquire(mutex)).acquire();
  } catch (error) {
    if (error === E_TIMEOUT || error === E_ALREADY_LOCKED) return undefined;
    throw error;
  }
}
