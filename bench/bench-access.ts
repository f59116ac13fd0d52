import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { MerchantRepository } from '../src/accounts/merchant.repository';
import { MerchantsService } from '../src/accounts/merchants.service';
import { ShopConnectionRepository } from '../src/accounts/shop-connection.repository';
import { StorePairRepository } from '../src/accounts/store-pair.repository';
import { ApiTokensRepository } from '../src/auth/api-tokens.repository';
import { ApiTokensService } from '../src/auth/api-tokens.service';
import { SessionsRepository } from '../src/auth/sessions.repository';
import { UserRole } from '../src/auth/user.entity';
import { UsersRepository } from '../src/auth/users.repository';
import { UsersService } from '../src/auth/users.service';
import { SystemClock } from '../src/common/clock';
import { RandomIdGenerator } from '../src/common/ids';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions, ensureMysqlDatabase } from '../src/database/data-source-options';
import { Db } from '../src/database/db';

/** How the benchmark acts towards the service: as the merchant's owner (browser session), an operator (API token) and the merchant's ERP (credential). */
export interface BenchAccess {
  merchantId: string;
  owner: { cookie: string; csrf: string };
  /** `Authorization` header of an ops API token. */
  ops: string;
  erpKey: { keyId: string; secret: string };
}

/**
 * Users are made as `npm run user:create` makes them (straight into the service's database, which
 * the started service has migrated); the owner then signs in and creates the ERP credential over
 * HTTP like a merchant would.
 */
export async function benchAccess(serviceEnv: Record<string, string>, serviceUrl: string): Promise<BenchAccess> {
  const config = loadConfig(serviceEnv);
  const flavor = config.database.kind === 'mysql' ? await ensureMysqlDatabase(config.database.url!) : undefined;
  const dataSource = await new DataSource(dataSourceOptions(config.database, flavor)).initialize();
  const password = `bench-${randomBytes(9).toString('hex')}`;
  const ownerEmail = `owner-${randomBytes(4).toString('hex')}@bench.local`;
  let merchantId: string;
  let ops: string;
  try {
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
    merchantId = (await merchants.create('Bench merchant')).id;
    await users.create({ email: ownerEmail, password, role: 'owner' satisfies UserRole, merchantId });
    const opsUser = await users.create({
      email: `ops-${randomBytes(4).toString('hex')}@bench.local`,
      password,
      role: 'ops' satisfies UserRole,
      merchantId: null,
    });
    ops = `Bearer ${(await new ApiTokensService(db, new ApiTokensRepository(db), new UsersRepository(db), clock, ids).create(opsUser.id, null, 'bench')).token}`;
  } finally {
    await dataSource.destroy();
  }
  const signIn = await fetch(`${serviceUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ownerEmail, password }),
  });
  if (signIn.status !== 200) throw new Error(`bench owner sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const owner = {
    cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0],
    csrf: ((await signIn.json()) as { csrfToken: string }).csrfToken,
  };
  const created = await fetch(`${serviceUrl}/api/merchants/${merchantId}/erp-credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: owner.cookie, 'x-csrf-token': owner.csrf },
    body: JSON.stringify({ name: 'bench ERP' }),
  });
  if (created.status !== 201) throw new Error(`bench ERP credential failed: ${created.status} ${await created.text()}`);
  const credential = (await created.json()) as { keyId: string; secret: string };
  return { merchantId, owner, ops, erpKey: { keyId: credential.keyId, secret: credential.secret } };
}
