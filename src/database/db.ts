import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { isTransientLockError } from '../common/errors/db-errors';
import { sleep } from '../common/sleep';
import { isMysqlFamily } from './data-source-options';
import { runAsTransactionFlow, serializeSqliteAccess } from './sqlite-gate';

interface TxStore {
  manager: EntityManager;
  afterCommit: (() => void)[];
}

const MAX_TX_ATTEMPTS = 4;

/**
 * The one way to touch the database. `transaction()` joins an ambient transaction when one is
 * open (so services compose), and repositories read `manager` to run inside it.
 *
 * The embedded SQLite driver (better-sqlite3) has one connection, so transactions and standalone
 * statements there take turns on it (see sqlite-gate.ts); MySQL runs them concurrently
 * (READ COMMITTED, row locks where it matters) and retries on deadlock.
 */
@Injectable()
export class Db {
  private readonly logger = new Logger(Db.name);
  private readonly storage = new AsyncLocalStorage<TxStore>();

  constructor(readonly dataSource: DataSource) {
    if (!this.isMysql) serializeSqliteAccess(dataSource);
  }

  get isMysql(): boolean {
    return isMysqlFamily(this.dataSource.options);
  }

  /** The ambient transaction's manager, or the pool's when there is none. */
  get manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return this.storage.getStore() !== undefined;
  }

  /**
   * Runs `work` in one transaction. `work` must only touch the database: it may run again
   * after a deadlock.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const ambient = this.storage.getStore();
    if (ambient) return work(ambient.manager);
    if (!this.isMysql) return runAsTransactionFlow(() => this.runOnce(work));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(work);
      } catch (error) {
        if (!isTransientLockError(error) || attempt >= MAX_TX_ATTEMPTS) throw error;
        this.logger.warn(`transaction retried after ${(error as Error).message}`);
        await sleep(10 * attempt + Math.random() * 20);
      }
    }
  }

  /** Runs `fn` after the ambient transaction commits (immediately when there is none). */
  afterCommit(fn: () => void): void {
    const store = this.storage.getStore();
    if (store) store.afterCommit.push(fn);
    else fn();
  }

  /** Adds FOR UPDATE on MySQL; SQLite needs none because its transactions are serialized. */
  forUpdate<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>): SelectQueryBuilder<E> {
    return this.isMysql ? qb.setLock('pessimistic_write') : qb;
  }

  private async runOnce<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const afterCommit: (() => void)[] = [];
    const run = (manager: EntityManager) => this.storage.run({ manager, afterCommit }, () => work(manager));
    // READ COMMITTED: after taking a row lock, plain reads see everything the previous holder
    // committed. Under REPEATABLE READ they could see a snapshot from before the lock was taken
    // and write back a stale value (a lost update).
    const result = this.isMysql
      ? await this.dataSource.transaction('READ COMMITTED', run)
      : await this.dataSource.transaction(run);
    for (const fn of afterCommit) {
      try {
        fn();
      } catch (error) {
        this.logger.error(`after-commit hook failed: ${(error as Error).message}`);
      }
    }
    return result;
  }
}
