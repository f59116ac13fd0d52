import { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Helpers so one migration runs on MySQL/MariaDB and on the embedded SQLite. Columns mirror
 * the entities exactly: the drift test compares them on MariaDB.
 */
export const isMysql = (qr: QueryRunner): boolean => ['mysql', 'mariadb'].includes(qr.connection.options.type);

/** Auto-increment bigint key (SQLite only auto-increments INTEGER PRIMARY KEY). */
export function autoIncrementId(qr: QueryRunner, name = 'id'): TableColumnOptions {
  return {
    name,
    type: isMysql(qr) ? 'bigint' : 'integer',
    isPrimary: true,
    isGenerated: true,
    generationStrategy: 'increment',
  };
}

export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
export const bigint = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'bigint',
  isNullable: nullable,
});
export const int = (name: string, nullable = false, defaultValue?: number): TableColumnOptions => ({
  name,
  type: 'int',
  isNullable: nullable,
  ...(defaultValue === undefined ? {} : { default: defaultValue }),
});
