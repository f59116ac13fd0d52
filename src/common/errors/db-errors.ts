import { QueryFailedError } from 'typeorm';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

function driverError(error: unknown): DriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverError;
  if (error && typeof error === 'object' && 'code' in error) return error as DriverError;
  return undefined;
}

/** A unique violation means "already done" (conventions §16), on MySQL/MariaDB and on SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const driver = driverError(error);
  if (!driver) return false;
  if (driver.code === 'ER_DUP_ENTRY' || driver.errno === 1062) return true;
  return /UNIQUE constraint failed/i.test(driver.message ?? (error as Error).message ?? '');
}

/** Deadlocks and lock-wait timeouts: the whole transaction may be run again. */
export function isTransientLockError(error: unknown): boolean {
  const driver = driverError(error);
  if (!driver) return false;
  return (
    driver.code === 'ER_LOCK_DEADLOCK' ||
    driver.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    driver.errno === 1213 ||
    driver.errno === 1205
  );
}
