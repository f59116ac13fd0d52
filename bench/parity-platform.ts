import { createServer } from 'node:net';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import { KUAISHOU_API_QPS, KUAISHOU_DEFAULT_API_QPS } from '@app/platforms/kuaishou/kuaishou-rate-limits';
import { YOUZAN_API_QPS, YOUZAN_DEFAULT_API_QPS } from '@app/platforms/youzan/youzan-rate-limits';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { KuaishouEmulator } from '@app/sandbox/kuaishou/kuaishou.emulator';
import { connectInBrowser } from '@app/sandbox/sandbox-connect';
import { SeededRandom } from '@app/sandbox/shared/random';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { YouzanEmulator } from '@app/sandbox/youzan/youzan.emulator';
import { benchAccess } from './bench-access';
import { ServiceProcess } from './service.process';

/** APIs the audit calls: the shop listing pages, the live read of a listing, the price write. */
const KS_APIS = ['open.item.list.get', 'open.item.get', 'open.item.sku.price.update'];
const YZ_APIS = ['youzan.items.onsale.get', 'youzan.items.inventory.get', 'youzan.item.get', 'youzan.item.sku.update'];
const LIMIT = 1.1;

export interface PlatformAuditResult {
  platform_skus: number;
  platform_violations_planted: number;
  /** Counted from the emulators' own prices, before the audit and after it. */
  platform_violations_before: number;
  platform_violations_after: number;
  /** From the audit request until the emulators show no SKU beyond the limit. */
  platform_audit_ms: number | null;
  /** Calls the emulators answered during the audit, per API, and each API's highest rate over a trailing second. */
  platform_calls: Record<string, number>;
  platform_peak_qps: Record<string, number>;
  documented_qps: Record<string, number>;
  /** Calls the emulators refused, by reason (going over the enforced QPS among them). */
  platform_rejections: Record<string, number>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The platform-side half of the parity benchmark: the real service in its own process against both
 * emulators (in this process, the platforms' documented QPS enforced on the APIs the audit uses).
 * N SKUs are listed on both at the same price and bound; V of them get a Kuaishou back-office edit
 * 11–40 % up; then one audit is requested (master Youzan, policy `correct`). The spread is computed
 * from the emulators' own prices, never from the service's books: how many SKUs break the limit
 * before and after, how long until none does, and the call rate each API saw.
 */
export async function platformAudit(options: {
  skus: number;
  violations: number;
  seed: number;
  db: URL;
  maxWaitMs: number;
}): Promise<PlatformAuditResult> {
  const dice = new SeededRandom(options.seed);
  const databaseName = `kz_bench_parity_platform_${Date.now()}`;
  const admin = await mysql.createConnection({
    host: options.db.hostname,
    port: Number(options.db.port || 3306),
    user: decodeURIComponent(options.db.username || 'root'),
    password: decodeURIComponent(options.db.password),
  });
  await admin.query(`CREATE DATABASE \`${databaseName}\``);
  const dbUrl = new URL(options.db.toString());
  dbUrl.pathname = `/${databaseName}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ks = await KuaishouEmulator.start({ ...SANDBOX_CREDENTIALS.kuaishou, seedShops: 0, seed: options.seed });
  const yz = await YouzanEmulator.start({ ...SANDBOX_CREDENTIALS.youzan, seed: options.seed + 1 });
  const ksControl = new KuaishouSandboxControl(ks.url);
  const yzControl = new YouzanSandboxControl(yz.url);
  const documented: Record<string, number> = {
    ...Object.fromEntries(KS_APIS.map((a) => [a, KUAISHOU_API_QPS[a] ?? KUAISHOU_DEFAULT_API_QPS])),
    ...Object.fromEntries(YZ_APIS.map((a) => [a, YOUZAN_API_QPS[a] ?? YOUZAN_DEFAULT_API_QPS])),
  };
  await ksControl.setFaults({ rules: KS_APIS.map((api) => ({ api, maxQps: documented[api] })) });
  await yzControl.setFaults({ rules: YZ_APIS.map((api) => ({ api, maxQps: documented[api] })) });
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATA_DIR: join(__dirname, '..', '..', 'data', `bench-parity-${Date.now()}`),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: url,
    KUAISHOU_API_BASE_URL: ks.url,
    KUAISHOU_AUTHORIZE_URL: `${ks.url}/oauth/authorize`,
    YOUZAN_API_BASE_URL: yz.url,
    YOUZAN_AUTHORIZE_URL: `${yz.url}/oauth/authorize`,
    OUTBOX_POLL_INTERVAL_MS: '100',
  };
  const service = new ServiceProcess(url, env);
  try {
    await service.start();
    const access = await benchAccess(env, url);
    const merchantId = access.merchantId;
    const asOwner = {
      'content-type': 'application/json',
      cookie: access.owner.cookie,
      'x-csrf-token': access.owner.csrf,
    };
    const api = (path: string, method = 'GET', body?: unknown) =>
      fetch(`${url}/api/merchants/${merchantId}${path}`, {
        method,
        headers: asOwner,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const policy = await api('/price-policy', 'PUT', { master: 'youzan', auditAction: 'correct' });
    if (policy.status !== 200) throw new Error(`price policy: ${policy.status} ${await policy.text()}`);
    const ksShop = await ksControl.createShop({ name: '快手小店' });
    const yzShop = await yzControl.createShop({ name: '有赞商城', authorize: true });
    const listed: { ks: { itemId: string; skuId: string }; yz: { itemId: string; skuId: number } }[] = [];
    for (let i = 0; i < options.skus; i++) {
      const code = `PAR-${String(i + 1).padStart(5, '0')}`;
      const price = 1_000 + Math.floor(dice.next() * 99_000);
      const ksItem = await ksControl.createItem({
        openId: ksShop.openId,
        title: `价格压测 ${code}`,
        skus: [{ stock: 0, price, skuNick: code }],
      });
      const yzItem = await yzControl.createItem({
        kdtId: yzShop.kdtId,
        title: `价格压测 ${code}`,
        skus: [{ itemNo: code, priceFen: price, stock: 0 }],
      });
      listed.push({
        ks: { itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId },
        yz: { itemId: yzItem.itemId, skuId: Number(yzItem.skus[0].skuId) },
      });
    }
    await connectInBrowser(url, merchantId, 'kuaishou', { shop: ksShop.openId, cookie: access.owner.cookie });
    await connectInBrowser(url, merchantId, 'youzan', { shop: String(yzShop.kdtId), cookie: access.owner.cookie });
    const connections = (await (await api('/connections')).json()) as { id: string }[];
    for (const c of connections) await api(`/connections/${c.id}/discover-skus`, 'POST');

    /** SKUs whose two listings the emulators show more than 10 % apart. */
    const prices = () =>
      listed.map((l) => {
        const k = ks.store.items.get(l.ks.itemId)!.skus.find((s) => s.kwaiSkuId === l.ks.skuId)!.price;
        const y = yz.store.items.get(l.yz.itemId)!.skus.find((s) => s.skuId === l.yz.skuId)!.priceFen;
        return [k, y];
      });
    const breaking = () => prices().filter(([a, b]) => Math.max(a, b) > Math.min(a, b) * LIMIT).length;
    // The service reads each newly bound listing once; let that settle before the edits.
    for (const until = Date.now() + options.maxWaitMs; Date.now() < until; await sleep(500)) {
      const bound = (await (await api('/prices?pageSize=200')).json()) as unknown[];
      if (bound.length >= Math.min(200, options.skus)) break;
    }
    await sleep(2_000);
    const planted = new Set<number>();
    while (planted.size < Math.min(options.violations, options.skus))
      planted.add(Math.floor(dice.next() * options.skus));
    for (const i of planted) {
      const l = listed[i];
      const base = prices()[i][1];
      await ksControl.setSku(l.ks.itemId, l.ks.skuId, { price: Math.ceil(base * (1.11 + dice.next() * 0.29)) });
    }
    const before = breaking();
    await ksControl.resetCounters();
    await yzControl.resetCounters();
    // Peak rate per API over any trailing second (the window the QPS limits are stated in).
    const peaks: Record<string, number> = {};
    const history: { at: number; calls: Record<string, number> }[] = [];
    const sample = async () => {
      const at = Date.now();
      const calls: Record<string, number> = {};
      const raw = { ...(await ksControl.counters()).calls, ...(await yzControl.counters()).calls };
      for (const [key, n] of Object.entries(raw)) {
        const apiName = [...KS_APIS, ...YZ_APIS].find((a) => key.includes(a));
        if (apiName) calls[apiName] = (calls[apiName] ?? 0) + n;
      }
      history.push({ at, calls });
      const base = [...history].reverse().find((h) => at - h.at >= 1_000);
      if (!base) return;
      for (const [apiName, n] of Object.entries(calls)) {
        const rate = ((n - (base.calls[apiName] ?? 0)) * 1000) / (at - base.at);
        peaks[apiName] = Math.max(peaks[apiName] ?? 0, Math.round(rate));
      }
    };
    await sample();
    const started = Date.now();
    const audit = await api('/price-audit', 'POST');
    if (audit.status !== 202) throw new Error(`price audit: ${audit.status} ${await audit.text()}`);
    let auditMs: number | null = null;
    for (const until = started + options.maxWaitMs; Date.now() < until; await sleep(250)) {
      await sample();
      if (breaking() === 0) {
        auditMs = Date.now() - started;
        break;
      }
    }
    // One more trailing second, so a short audit still gets a rate over a whole second.
    await sleep(1_100);
    await sample();
    const ksCounters = await ksControl.counters();
    const yzCounters = await yzControl.counters();
    const calls: Record<string, number> = {};
    for (const [key, n] of Object.entries({ ...ksCounters.calls, ...yzCounters.calls })) {
      const apiName = [...KS_APIS, ...YZ_APIS].find((a) => key.includes(a));
      if (apiName) calls[apiName] = (calls[apiName] ?? 0) + n;
    }
    const rejected: Record<string, number> = {};
    for (const [key, n] of [ksCounters.rejected, yzCounters.rejected].flatMap((r) => Object.entries(r)))
      rejected[key] = (rejected[key] ?? 0) + n;
    return {
      platform_skus: options.skus,
      platform_violations_planted: planted.size,
      platform_violations_before: before,
      platform_violations_after: breaking(),
      platform_audit_ms: auditMs,
      platform_calls: calls,
      platform_peak_qps: peaks,
      documented_qps: documented,
      platform_rejections: rejected,
    };
  } finally {
    await service.stop().catch(() => undefined);
    await ks.stop();
    await yz.stop();
    await admin.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
    await admin.end();
  }
}
