import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { Db } from '../src/database/db';
import { runMigrationsUnderLock } from '../src/database/migration-runner';
import { DEFAULT_PARITY_LIMIT_BP } from '../src/pricing/parity';
import { PricingRepository } from '../src/pricing/pricing.repository';
import { SeededRandom } from '../src/sandbox/shared/random';
import { platformAudit } from './parity-platform';

/**
 * DB-side parity audit: S merchant SKUs with a Kuaishou and a Youzan listing each in
 * `listing_price`, V of them planted beyond the 10 % limit (the rest within it, some exactly at
 * it), then the audit's grouped query paged over all of them on MariaDB. Both shops are connected
 * and every listing is bound, except 1 % of the Kuaishou listings: known but unbound twins, which
 * the audit counts too. Then the platform-side half (parity-platform.ts): the service against both
 * emulators, the spread computed from the emulators' own prices.
 * `npm run bench:parity -- --skus=100000 --violations=1000 --platform-skus=300 --platform-violations=30`
 */
function flag(name: string, fallback: string): string {
  return (
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=') ?? fallback
  );
}

async function main(): Promise<void> {
  const skus = Number(flag('skus', '100000'));
  const planted = Number(flag('violations', '1000'));
  const seed = Number(flag('seed', '7'));
  const out = flag('out', join(__dirname, '..', '..', 'bench', 'results', 'parity.json'));
  const server = new URL(flag('db', process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306'));
  const databaseName = `kz_bench_parity_${Date.now()}`;
  const admin = await mysql.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
  });
  await admin.query(`CREATE DATABASE \`${databaseName}\``);
  server.pathname = `/${databaseName}`;
  const dataSource = new DataSource(
    dataSourceOptions({ kind: 'mysql', url: server.toString(), file: '', poolSize: 4, runMigrations: true }, 'mariadb'),
  );
  try {
    await dataSource.initialize();
    await runMigrationsUnderLock(dataSource);
    const dice = new SeededRandom(seed);
    const merchantId = randomUUID();
    const shops = { kuaishou: randomUUID(), youzan: randomUUID() };
    for (const [platform, id] of Object.entries(shops))
      await dataSource.query(
        'INSERT INTO shop_connection (id, merchant_id, platform, shop_id, scopes, status, first_granted_at, failure_count, created_at, updated_at) ' +
          "VALUES (?, ?, ?, ?, '', 'active', ?, 0, ?, ?)",
        [id, merchantId, platform, `bench-${platform}`, Date.now(), Date.now(), Date.now()],
      );
    let unbound = 0;
    const violators = new Set<number>();
    while (violators.size < Math.min(planted, skus)) violators.add(Math.floor(dice.next() * skus));
    const seedStarted = Date.now();
    const CHUNK = 2000;
    for (let start = 0; start < skus; start += CHUNK) {
      const values: unknown[] = [];
      const rows: string[] = [];
      const bindingValues: unknown[] = [];
      const bindingRows: string[] = [];
      for (let i = start; i < Math.min(skus, start + CHUNK); i++) {
        const skuId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const base = 1000 + Math.floor(dice.next() * 99_000);
        // Within: up to exactly the limit; planted: 11 %–40 % apart.
        const other = violators.has(i)
          ? Math.ceil(base * (1.11 + dice.next() * 0.29))
          : Math.floor((base * (10_000 + Math.floor(dice.next() * (DEFAULT_PARITY_LIMIT_BP + 1)))) / 10_000);
        const twin = dice.next() < 0.01;
        if (twin) unbound++;
        for (const [platform, price] of [
          ['kuaishou', base],
          ['youzan', other],
        ] as const) {
          const bindingId = randomUUID();
          const itemId = `${platform}-item-${i}`;
          rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?)');
          values.push(bindingId, merchantId, skuId, platform, price, Date.now(), shops[platform], itemId, '1');
          if (twin && platform === 'kuaishou') continue;
          bindingRows.push("(?, ?, ?, ?, ?, ?, '1', 'auto', ?)");
          bindingValues.push(bindingId, merchantId, skuId, platform, shops[platform], itemId, Date.now());
        }
      }
      await dataSource.query(
        'INSERT INTO listing_price (binding_id, merchant_id, merchant_sku_id, platform, price_fen, observed_at, ' +
          `connection_id, platform_item_id, platform_sku_id) VALUES ${rows.join(', ')}`,
        values,
      );
      await dataSource.query(
        'INSERT INTO sku_binding (id, merchant_id, merchant_sku_id, platform, connection_id, platform_item_id, ' +
          `platform_sku_id, bound_by, created_at) VALUES ${bindingRows.join(', ')}`,
        bindingValues,
      );
    }
    const seedMs = Date.now() - seedStarted;
    await dataSource.query('ANALYZE TABLE listing_price, sku_binding, shop_connection');
    const repo = new PricingRepository(new Db(dataSource));
    const auditStarted = Date.now();
    const found = new Set<string>();
    for (let after = ''; ;) {
      const page = await repo.spreadViolations(DEFAULT_PARITY_LIMIT_BP, { after, limit: 10_000 });
      for (const v of page) found.add(v.merchantSkuId);
      if (page.length < 10_000) break;
      after = page[page.length - 1].merchantSkuId;
    }
    const dbAuditMs = Date.now() - auditStarted;
    const expected = new Set([...violators].map((i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
    const missed = [...expected].filter((id) => !found.has(id)).length;
    const spurious = [...found].filter((id) => !expected.has(id)).length;
    const result = {
      skus,
      listings: skus * 2,
      unbound_twins: unbound,
      db_audit_ms: dbAuditMs,
      violations_found: found.size,
      violations_planted: expected.size,
      missed,
      spurious,
      seed_ms: seedMs,
      limit_bp: DEFAULT_PARITY_LIMIT_BP,
      at: new Date().toISOString(),
    };
    // The platform-side half: the spread read from the emulators' own prices, the audit under their QPS.
    const platformSkus = Number(flag('platform-skus', '300'));
    const platform =
      platformSkus > 0
        ? await platformAudit({
            skus: platformSkus,
            violations: Number(flag('platform-violations', '30')),
            seed,
            db: new URL(flag('db', process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306')),
            maxWaitMs: Number(flag('platform-max-s', '180')) * 1000,
          })
        : undefined;
    const full = { ...result, ...(platform ?? { platform_side_audit: 'skipped (--platform-skus=0)' }) };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(full, null, 2)}\n`);
    console.log(JSON.stringify(full));
    if (missed || spurious || dbAuditMs > 10_000) process.exitCode = 1;
    if (
      platform &&
      (platform.platform_audit_ms === null ||
        platform.platform_violations_after > 0 ||
        platform.platform_violations_before !== platform.platform_violations_planted)
    )
      process.exitCode = 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
