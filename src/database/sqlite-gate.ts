import { AsyncLocalStorage } from 'node:async_hooks';
import { Mutex, MutexInterface } from 'async-mutex';
import BetterSqlite3 from 'better-sqlite3';
import { DataSource, QueryFailedError, QueryRunner } from 'typeorm';
import { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { BetterSqlite3QueryRunner } from 'typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner';
import { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { QueryResult } from 'typeorm/query-runner/QueryResult';

const transactionFlow = new AsyncLocalStorage<symbol>();

interface Gate {
  mutex: Mutex;
  owner?: { runner: GatedQueryRunner; flow?: symbol; release: MutexInterface.Releaser };
  reader: CommittedReader;
}

const READ_STATEMENT = /^\s*(SELECT|WITH)\b/i;
const CACHED_STATEMENTS = 200;

/**
 * A second, read-only connection for SELECTs issued outside any transaction. In WAL mode it sees
 * exactly what was committed when the statement started, so such reads neither wait for an open
 * transaction nor see its rows.
 */
class CommittedReader {
  private connection?: BetterSqlite3.Database;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly file: string,
    private readonly busyTimeoutMs: number,
  ) {}

  /** The prepared statement when `sql` only reads; undefined sends it through the gate. */
  statement(sql: string): BetterSqlite3.Statement | undefined {
    if (this.file === ':memory:' || !READ_STATEMENT.test(sql)) return undefined;
    let statement = this.statements.get(sql);
    if (!statement) {
      try {
        this.connection ??= new BetterSqlite3(this.file, {
          readonly: true,
          fileMustExist: true,
          timeout: this.busyTimeoutMs,
        });
        statement = this.connection.prepare(sql);
      } catch {
        return undefined;
      }
      this.statements.set(sql, statement);
      if (this.statements.size > CACHED_STATEMENTS) this.statements.delete(this.statements.keys().next().value!);
    }
    return statement.readonly && statement.reader ? statement : undefined;
  }

  close(): void {
    this.statements.clear();
    this.connection?.close();
    this.connection = undefined;
  }
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
 * write, in arrival order. Standalone reads go to a read-only connection instead.
 */
export function serializeSqliteAccess(dataSource: DataSource): void {
  const driver = dataSource.driver as BetterSqlite3Driver & { gated?: boolean };
  if (dataSource.options.type !== 'better-sqlite3' || driver.gated) return;
  const options = driver.options;
  const gate: Gate = { mutex: new Mutex(), reader: new CommittedReader(options.database, options.timeout ?? 5000) };
  driver.gated = true;
  const disconnect = driver.disconnect.bind(driver);
  driver.disconnect = async () => {
    gate.reader.close();
    await disconnect();
  };
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

  override async query(
    ...args: Parameters<BetterSqlite3QueryRunner['query']>
  ): ReturnType<BetterSqlite3QueryRunner['query']> {
    if (this.ownsGate) return super.query(...args);
    const [sql, parameters = [], structured = false] = args;
    const read = this.gate.reader.statement(sql);
    if (read) {
      try {
        const rows: unknown[] = read.all(...parameters);
        if (!structured) return rows;
        const result = new QueryResult();
        result.raw = rows;
        result.records = rows;
        return result;
      } catch (error) {
        throw new QueryFailedError(sql, parameters, error as Error);
      }
    }
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
