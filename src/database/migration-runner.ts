import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NamedLock } from './named-lock';

const LOCK_NAME = 'kwaizan:migrations';

/** Runs pending migrations; with several instances booting at once only one migrates. */
export async function runMigrationsUnderLock(
  dataSource: DataSource,
  logger = new Logger('Migrations'),
): Promise<string[]> {
  const lock = await NamedLock.tryAcquire(dataSource, LOCK_NAME, 120);
  if (!lock) throw new Error(`could not take the ${LOCK_NAME} lock within 120 s`);
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) logger.log(`applied migration ${m.name}`);
    return applied.map((m) => m.name);
  } finally {
    await lock.release();
  }
}
