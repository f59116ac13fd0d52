import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { isMysqlFamily } from './data-source-options';

/**
 * A MySQL named lock (GET_LOCK) held on its own connection. Lock names are server-wide, so the
 * name is scoped to the database: two deployments (or test runs) on one server do not block
 * each other. On SQLite there is one process, so the lock is always granted.
 */
export class NamedLock {
  private runner?: QueryRunner;
  private serverName = '';

  private constructor(private readonly dataSource: DataSource, readonly name: string) {}

  static async tryAcquire(dataSource: DataSource, name: string, timeoutSeconds = 0): Promise<NamedLock | undefined> {
    const lock = new NamedLock(dataSource, name);
    if (!isMysqlFamily(dataSource.options)) return lock;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ db }]: { db: string | null }[] = await runner.query('SELECT DATABASE() AS db');
      // GET_LOCK names are at most 64 characters.
      lock.serverName = `kz:${createHash('sha1').update(`${db ?? ''}\u0000${name}`).digest('hex')}`;
      const rows: { acquired: number | string | null }[] = await runner.query('SELECT GET_LOCK(?, ?) AS acquired', [lock.serverName, timeoutSeconds]);
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
    if (!this.runner) return true;
    try {
      const rows: { mine: number | string | null }[] = await this.runner.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [this.serverName]);
      return Number(rows[0]?.mine) === 1;
    } catch {
      return false;
    }
  }

  async release(): Promise<void> {
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
