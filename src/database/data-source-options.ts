import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config';

const root = join(__dirname, '..', '..');

/** Entities are found by file name, so a new context only has to follow the naming convention. */
export const ENTITY_GLOBS = [join(root, 'src', '**', '*.entity.{ts,js}')];
export const MIGRATION_GLOBS = [join(root, 'migrations', '[0-9]*-*.{ts,js}')];

/** How long a statement waits for another process (e.g. `npm run migration:run`) to release the file. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export type MysqlFlavor = 'mysql' | 'mariadb';

/** `flavor` matters: TypeORM reads column defaults differently on MariaDB. */
export function dataSourceOptions(db: DatabaseConfig, flavor: MysqlFlavor = 'mysql'): DataSourceOptions {
  const common = {
    entities: ENTITY_GLOBS,
    migrations: MIGRATION_GLOBS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (db.kind === 'mysql') {
    return {
      ...common,
      type: flavor,
      url: db.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      extra: { connectionLimit: db.poolSize },
    };
  }
  mkdirSync(dirname(db.file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.file,
    // WAL: a commit appends to the log and a crash at any point leaves the last committed state;
    // FULL: the log is fsynced at every commit, so an acknowledged commit is on disk, not only in the page cache.
    enableWAL: true,
    timeout: SQLITE_BUSY_TIMEOUT_MS,
    prepareDatabase: (sqlite: { pragma(source: string): unknown }) => {
      sqlite.pragma('synchronous = FULL');
    },
  };
}

/** Creates the MySQL database named in the URL when it does not exist yet; tells MySQL from MariaDB. */
export async function ensureMysqlDatabase(url: string): Promise<MysqlFlavor> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL must name a database');
  const mysql = await import('mysql2/promise');
  parsed.pathname = '/';
  const connection = await mysql.createConnection(parsed.toString());
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test(String((rows as { version: string }[])[0]?.version)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

export function isMysqlFamily(options: DataSourceOptions): boolean {
  return options.type === 'mysql' || options.type === 'mariadb';
}
