import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions, ensureMysqlDatabase } from './data-source-options';
import { runMigrationsUnderLock } from './migration-runner';

/**
 * `npm run migration:run | migration:revert | migration:generate -- <Name>`.
 * Generated migrations are raw SQL for the configured dialect: rewrite them with the schema
 * API (see migrations/) so they run on both MySQL and the embedded SQLite.
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  const config = loadConfig();
  const flavor = config.database.kind === 'mysql' ? await ensureMysqlDatabase(config.database.url!) : undefined;
  const dataSource = await new DataSource(dataSourceOptions(config.database, flavor)).initialize();
  try {
    if (command === 'run') {
      const applied = await runMigrationsUnderLock(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
    } else if (command === 'generate') {
      if (!name) throw new Error('usage: migration:generate -- <Name>');
      const sql = await dataSource.driver.createSchemaBuilder().log();
      if (!sql.upQueries.length) {
        console.log('entities match the schema: nothing to generate');
        return;
      }
      const stamp = Date.now();
      const quote = (q: string) => JSON.stringify(q);
      const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${stamp} implements MigrationInterface {
  name = '${name}${stamp}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${sql.downQueries
  .reverse()
  .map((q) => `    await queryRunner.query(${quote(q.query)});`)
  .join('\n')}
  }
}
`;
      const file = join(__dirname, '..', '..', '..', 'migrations', `${stamp}-${name}.ts`);
      writeFileSync(file, body);
      console.log(`wrote ${file}`);
    } else {
      throw new Error('usage: migration-cli run|revert|generate <Name>');
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
