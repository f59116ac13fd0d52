import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions, ensureMysqlDatabase } from './data-source-options';
import { Db } from './db';
import { JobLeases } from './scheduled-jobs/job-leases';
import { runMigrationsUnderLock } from './migration-runner';

async function createDataSource(config: AppConfig): Promise<DataSource> {
  const logger = new Logger('Database');
  const flavor = config.database.kind === 'mysql' ? await ensureMysqlDatabase(config.database.url!) : undefined;
  const dataSource = new DataSource(dataSourceOptions(config.database, flavor));
  await dataSource.initialize();
  logger.log(
    flavor
      ? `connected to ${flavor === 'mariadb' ? 'MariaDB' : 'MySQL'}`
      : `embedded SQLite database at ${config.database.file}`,
  );
  if (config.database.runMigrations) await runMigrationsUnderLock(dataSource);
  return dataSource;
}

@Global()
@Module({
  providers: [{ provide: DataSource, inject: [AppConfig], useFactory: createDataSource }, Db, JobLeases],
  exports: [DataSource, Db, JobLeases],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
