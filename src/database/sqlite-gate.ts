import { AsyncLocalStorage } from 'node:async_hooks';
import { Mutex, MutexInterface } from 'async-mutex';
import { DataSource, QueryRunner } from 'typeorm';
import { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';

const transactionFlow = new AsyncLocalStorage<symbol>();

interface Gate {
  mutex: Mutex;
  owner?: { runner: GatedQueryRunner; flow?: symbol; release: MutexInterface.Releaser };
}

/**
 * Marks `work` as one transaction's flow: while that flow owns the embedded connection, any query
 * runner it asks for (a repository that reached past `Db.manager`, say) is the owning one, so
 * it joins the transaction as it would on one shared connection instead of waiting for itself.
 */
export function runAsTransactionFlow<T>(work: () => Promise<T>): Promise<T> {
  return transactionFlow.run(Symbol('transaction'), work);
}

/**
 * TypeORM's SQLite drivers run everything on one connection, so a query issued outside a
 * transaction while another one is open would run inside it: it would read that transaction's
 * uncommitted rows, and a write would commit or roll back with it. The gate gives the connection
 * to one unit at a time: a whole transaction (BEGIN to COMMIT/ROLLBACK) or a single standalone
 * statement, in arrival order.
 */
export function serializeSqliteAccess(dataSource: DataSource): void {
  const driver = dataSource.driver as BetterSqlite3Driver & { gated?: boolean };
  if (dataSource.options.type !== 'better-sqlite3' || driver.gated) return;
  const gate: Gate = { mutex: new Mutex() };
  driver.gated = true;
  driver.createQueryRunner = (): QueryRunner => {
    const owner = gate.owner;
    if (owner?.flow !== undefined && owner.flow === transactionFlow.getStore()) return owner.runner;
    return new GatedQueryRunner(driver, gate);
  };
}

class GatedQueryRunner extends BetterSqlite3QueryRunner {
  constructor(
    driver: BetterSqlite3Driver,
    private readonly gate: Gate,
  ) {
    super(driver);
  }

  private get ownsGate(): boolean {
    return this.gate.owner?.runner === this;
  }

  override async query(...args: Parameters<BetterSqlite3QueryRunner['query']>): ReturnType<BetterSqlite3QueryRunner['query']> {
    if (this.ownsGate) return super.query(...args);
    const release = await this.gate.mutex.acquire();
    this.gate.owner = { runner: this, release };
    try {
      return await super.query(...args);
    } finally {
      this.letGo();
    }
  }

  override async startTransaction(isolationLevel?: IsolationLevel): Promise<void> {
    if (!this.ownsGate) {
      const release = await this.gate.mutex.acquire();
      this.gate.owner = { runner: this, flow: transactionFlow.getStore(), release };
    }
    try {
      await super.startTransaction(isolationLevel);
    } finally {
      this.letGoWhenIdle();
    }
  }

  override async commitTransaction(): Promise<void> {
    try {
      await super.commitTransaction();
    } finally {
      this.letGoWhenIdle();
    }
  }

  override async rollbackTransaction(): Promise<void> {
    try {
      await super.rollbackTransaction();
    } finally {
      this.letGoWhenIdle();
    }
  }

  /** Hands the connection on once it is out of a transaction, whatever TypeORM's counters say. */
  private letGoWhenIdle(): void {
    if (!this.ownsGate || this.driver.databaseConnection.inTransaction) return;
    this.isTransactionActive = false;
    this.transactionDepth = 0;
    this.letGo();
  }

  private letGo(): void {
    const owner = this.gate.owner;
    if (owner?.runner !== this) return;
    this.gate.owner = undefined;
    owner.release();
  }
}
