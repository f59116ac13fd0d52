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
 * Sign-in attempts per account and address, and failed ones per address. With MariaDB they are counted in the
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

  /**
   * Takes one attempt for the account at this address and for the address before the password is checked, or
   * answers false (refused) when either is over its limit. The count is taken with the stores' atomic consume,
   * so parallel requests cannot all read a count under the limit and then all check a password.
   */
  async tryAttempt(email: string, address: string): Promise<boolean> {
    const { signInMaxAttempts: max } = await this.settings.current();
    const [account, origin] = await Promise.all([this.limiter('account'), this.limiter('address')]);
    const keys = { account: accountKey(email, address), origin: sha256Hex(address) };
    // Already over: refuse without counting, so a locked-out caller does not push the count further.
    const [seenAccount, seenOrigin] = await Promise.all([account.get(keys.account), origin.get(keys.origin)]);
    if ((seenAccount?.consumedPoints ?? 0) >= max || (seenOrigin?.consumedPoints ?? 0) >= max * ADDRESS_FACTOR) {
      return false;
    }
    const [taken, takenOrigin] = await Promise.all([account.consume(keys.account, 1), origin.consume(keys.origin, 1)]);
    if (taken.consumedPoints > max || takenOrigin.consumedPoints > max * ADDRESS_FACTOR) {
      // Lost the race for the last attempts: give this one back so the count stays at the limit.
      await Promise.all([account.reward(keys.account, 1), origin.reward(keys.origin, 1)]);
      return false;
    }
    return true;
  }

  /**
   * A right password clears the account's count (not the address's: one good account must not unlock spraying),
   * and gives back the address's attempt, which counts failures only.
   */
  async recordSuccess(email: string, address: string): Promise<void> {
    const [account, origin] = await Promise.all([this.limiter('account'), this.limiter('address')]);
    await Promise.all([account.delete(accountKey(email, address)), origin.reward(sha256Hex(address), 1)]);
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
