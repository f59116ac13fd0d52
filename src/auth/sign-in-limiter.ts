import { Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterMySQL } from 'rate-limiter-flexible';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver';
import { Db } from '../database/db';
import { OpsSettingsService } from '../ops/settings/ops-settings.service';
import { sha256Hex } from './secret-token';

/** The stores count without a ceiling; the limit in force (an ops setting) is compared on each check. */
const UNCAPPED = 1_000_000_000;
/** An address gets this many times the per-account limit over all accounts (spraying many accounts). */
const ADDRESS_FACTOR = 10;

type Kind = 'account' | 'address';

/**
 * Failed sign-ins per account and address, and per address. With MariaDB they are counted in the
 * database (rate-limiter-flexible's MySQL store), so every instance counts together; the embedded
 * SQLite runs as one instance and counts in memory.
 */
@Injectable()
export class SignInLimiter {
  private readonly limiters = new Map<Kind, { windowS: number; limiter: RateLimiterAbstract }>();

  constructor(
    private readonly db: Db,
    private readonly settings: OpsSettingsService,
  ) {}

  /** Whether sign-in is refused for now; keys are hashed, so a long email cannot overflow the store's key. */
  async isBlocked(email: string, address: string): Promise<boolean> {
    const { signInMaxAttempts: max } = await this.settings.current();
    const [account, origin] = await Promise.all([
      (await this.limiter('account')).get(accountKey(email, address)),
      (await this.limiter('address')).get(sha256Hex(address)),
    ]);
    return (account?.consumedPoints ?? 0) >= max || (origin?.consumedPoints ?? 0) >= max * ADDRESS_FACTOR;
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const [account, origin] = await Promise.all([this.limiter('account'), this.limiter('address')]);
    await Promise.all([account.penalty(accountKey(email, address), 1), origin.penalty(sha256Hex(address), 1)]);
  }

  /** A right password clears the account's count (not the address's: one good account must not unlock spraying). */
  async recordSuccess(email: string, address: string): Promise<void> {
    await (await this.limiter('account')).delete(accountKey(email, address));
  }

  private async limiter(kind: Kind): Promise<RateLimiterAbstract> {
    const windowS = (await this.settings.current()).signInWindowMinutes * 60;
    const existing = this.limiters.get(kind);
    if (existing?.windowS === windowS) return existing.limiter;
    const options = { keyPrefix: kind === 'account' ? 'sign-in' : 'sign-in-ip', points: UNCAPPED, duration: windowS };
    let limiter: RateLimiterAbstract;
    if (this.db.isMysql) {
      const driver = this.db.dataSource.driver as MysqlDriver;
      // The table comes from a migration; expired rows are purged by the session cleanup job.
      limiter = new RateLimiterMySQL({
        ...options,
        storeClient: driver.pool,
        storeType: 'pool',
        dbName: driver.database,
        tableName: 'sign_in_limit',
        tableCreated: true,
        clearExpiredByTimeout: false,
      });
    } else {
      limiter = new RateLimiterMemory(options);
    }
    this.limiters.set(kind, { windowS, limiter });
    return limiter;
  }
}

const accountKey = (email: string, address: string) => sha256Hex(`${email}|${address}`);
