import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, int, isMysql, varchar } from './support';

/** Per-shop category trees as last read (with the merchant's open flags), and merchants' category mappings. */
export class CategoryMapping1795440000000 implements MigrationInterface {
  name = 'CategoryMapping1795440000000';

  async up(qr: QueryRunner): Promise<void> {
    // TypeORM stores a boolean as tinyint on MySQL/MariaDB and as boolean on SQLite.
    const flag = (name: string) => ({ name, type: isMysql(qr) ? 'tinyint' : 'boolean' });
    await qr.createTable(
      new Table({
        name: 'category_node',
        columns: [
          { ...varchar('connection_id', 36), isPrimary: true },
          { ...varchar('category_id', 40), isPrimary: true },
          varchar('parent_id', 40, true),
          varchar('name', 200),
          flag('leaf'),
          flag('open'),
        ],
        indices: [new TableIndex({ name: 'idx_category_node_parent', columnNames: ['connection_id', 'parent_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'category_tree_read',
        columns: [
          { ...varchar('connection_id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('platform', 20),
          bigint('read_at', true),
          int('category_count', false, 0),
          varchar('last_error', 500, true),
          bigint('attempted_at'),
        ],
        indices: [new TableIndex({ name: 'idx_category_tree_read_merchant', columnNames: ['merchant_id'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'category_mapping',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('merchant_id', 36),
          varchar('scope', 10),
          varchar('youzan_id', 40),
          varchar('kuaishou_category_id', 40),
          bigint('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'uq_category_mapping_source',
            columnNames: ['merchant_id', 'scope', 'youzan_id'],
            isUnique: true,
          }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('category_mapping');
    await qr.dropTable('category_tree_read');
    await qr.dropTable('category_node');
  }
}
