import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { MerchantRepository } from '@app/accounts/merchant.repository';
import { MerchantsService } from '@app/accounts/merchants.service';
import { ShopConnectionRepository } from '@app/accounts/shop-connection.repository';
import { StorePairRepository } from '@app/accounts/store-pair.repository';
import { SystemClock } from '@app/common/clock';
import { RandomIdGenerator } from '@app/common/ids';
import { loadConfig } from '@app/config/app-config';
import { dataSourceOptions, ensureMysqlDatabase } from '@app/database/data-source-options';
import { Db } from '@app/database/db';
import { runMigrationsUnderLock } from '@app/database/migration-runner';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { SessionsRepository } from './sessions.repository';
import { USER_ROLES, UserRole } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Creates a user against the configured database (the first admin comes from here):
 *   npm run user:create -- --role=admin --email=admin@example.com --password=…
 *   npm run user:create -- --role=owner --merchant-name="小王的店" --email=… --password=…   (a new merchant and its owner)
 *   npm run user:create -- --role=staff --merchant=<merchant id> --email=… --password=…
 *   … --token=<name>  also prints an API token acting as the user (e.g. for an ops user scraping /metrics)
 */
async function main(): Promise<void> {
  const arg = (name: string) =>
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const role = arg('role') as UserRole | undefined;
  const email = arg('email');
  const password = arg('password');
  if (!role || !USER_ROLES.includes(role) || !email || !password) {
    throw new Error(
      `usage: npm run user:create -- --role=${USER_ROLES.join('|')} --email=… --password=… [--merchant=<id> | --merchant-name=…] [--token=<name>]`,
    );
  }
  const config = loadConfig();
  const flavor = config.database.kind === 'mysql' ? await ensureMysqlDatabase(config.database.url!) : undefined;
  const dataSource = await new DataSource(dataSourceOptions(config.database, flavor)).initialize();
  try {
    await runMigrationsUnderLock(dataSource);
    const db = new Db(dataSource);
    const clock = new SystemClock();
    const ids = new RandomIdGenerator();
    const merchants = new MerchantsService(
      db,
      new MerchantRepository(db),
      new ShopConnectionRepository(db),
      new StorePairRepository(db),
      clock,
      ids,
    );
    const users = new UsersService(db, new UsersRepository(db), new SessionsRepository(db), merchants, clock, ids);
    let merchantId = arg('merchant');
    const merchantName = arg('merchant-name');
    if (merchantName && !merchantId) merchantId = (await merchants.create(merchantName)).id;
    const user = await users.create({ email, password, role, merchantId });
    console.log(
      `created ${user.role} ${user.email} (${user.id})${user.merchantId ? ` of merchant ${user.merchantId}` : ''}`,
    );
    const tokenName = arg('token');
    if (tokenName) {
      const { token } = await new ApiTokensService(
        db,
        new ApiTokensRepository(db),
        new UsersRepository(db),
        clock,
        ids,
      ).create(user.id, user.merchantId, tokenName);
      console.log(`API token (shown once): ${token}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
