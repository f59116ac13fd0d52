import 'reflect-metadata';
import { fork } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { INestApplication } from '@nestjs/common';
import { createApp } from '../src/bootstrap';
import { MerchantsService } from '../src/accounts/merchants.service';
import { ApiTokensService } from '../src/auth/api-tokens.service';
import { ErpCredentialsService } from '../src/auth/erp-credentials.service';
import { SESSION_COOKIE, SessionsService } from '../src/auth/sessions.service';
import { UsersService } from '../src/auth/users.service';
import { loadConfig } from '../src/config/app-config';
import { SeededRandom } from '../src/sandbox/shared/random';
import { Db } from '../src/database/db';
import { OutboxRelay } from '../src/messaging/outbox/outbox.relay';
import { Topic } from '../src/messaging/topics';
import { MetricsService } from '../src/ops/metrics/metrics.service';
import { KuaishouSandboxControl } from '../src/sandbox/kuaishou/kuaishou-sandbox.control';
import { connectInBrowser } from '../src/sandbox/sandbox-connect';
import { YouzanSandboxControl } from '../src/sandbox/youzan/youzan-sandbox.control';
import { ERP_HEADERS, signErpPayload } from '../src/webhooks/erp-signature';
import type { WorkerAnswer, WorkerRequest } from './platforms.worker';

/**
 * Oversell storm: B buyers race on both platforms for S SKUs with small stock, through the
 * service's real pipeline (pushes, outbox, stock writer, platform writes over HTTP) with injected
 * propagation latency, push loss and duplication, and "applied but response lost" on stock
 * writes. `npm run bench:oversell -- --buyers=300 --skus=30 …`
 */
interface Params {
  buyers: number;
  skus: number;
  stockMin: number;
  stockMax: number;
  latencyMs: number;
  pushLoss: number;
  pushDuplicate: number;
  dropResponse: number;
  durationS: number;
  pollMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  seed: number;
  db: string;
  out: string;
}

function flags(): Params {
  const get = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=') ?? fallback;
  const num = (name: string, fallback: number) => {
    const value = Number(get(name, String(fallback)));
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
    return value;
  };
  return {
    buyers: num('buyers', 240),
    skus: num('skus', 24),
    stockMin: num('stock-min', 3),
    stockMax: num('stock-max', 8),
    latencyMs: num('latency-ms', 25),
    pushLoss: num('push-loss', 0.05),
    pushDuplicate: num('push-duplicate', 0.1),
    dropResponse: num('drop-response', 0.05),
    durationS: num('duration-s', 45),
    pollMs: num('poll-ms', 2000),
    retryMinMs: num('retry-min-ms', 100),
    retryMaxMs: num('retry-max-ms', 300),
    seed: num('seed', 7),
    db: get('db', process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/'),
    out: get('out', join(__dirname, '..', '..', 'bench', 'results', 'oversell.json')),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}


const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);

async function main(): Promise<void> {
  const p = flags();
  const dice = new SeededRandom(p.seed);
  const random = () => dice.next();
  const started = Date.now();
  let databaseName: string | undefined;
  let databaseUrl: string | undefined;
  if (p.db !== 'sqlite') {
    const server = new URL(p.db);
    databaseName = `kz_bench_${Date.now()}`;
    const c = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username || 'root'), password: decodeURIComponent(server.password) });
    await c.query(`CREATE DATABASE \`${databaseName}\``);
    await c.end();
    server.pathname = `/${databaseName}`;
    databaseUrl = server.toString();
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const worker = fork(join(__dirname, 'platforms.worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <K extends WorkerAnswer['kind']>(request: WorkerRequest, expect: K) =>
    new Promise<Extract<WorkerAnswer, { kind: K }>>((resolve, reject) => {
      worker.once('message', (answer: WorkerAnswer) => (answer.kind === expect ? resolve(answer as Extract<WorkerAnswer, { kind: K }>) : reject(new Error(answer.kind === 'error' ? answer.message : `unexpected ${answer.kind}`))));
      worker.send(request);
    });
  const platforms = await ask({ kind: 'start', pushBaseUrl: url, seed: p.seed }, 'ready');
  const ks = { url: platforms.kuaishouUrl };
  const yz = { url: platforms.youzanUrl };
  // Each run starts on an empty embedded database: the last run's shops do not exist in these emulators.
  const dataDir = join(__dirname, '..', '..', 'data', 'bench');
  if (p.db === 'sqlite') rmSync(dataDir, { recursive: true, force: true });
  const ksControl = new KuaishouSandboxControl(ks.url);
  const yzControl = new YouzanSandboxControl(yz.url);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_BASE_URL: url,
    DATABASE_URL: databaseUrl,
    KUAISHOU_API_BASE_URL: ks.url,
    KUAISHOU_AUTHORIZE_URL: `${ks.url}/oauth/authorize`,
    YOUZAN_API_BASE_URL: yz.url,
    YOUZAN_AUTHORIZE_URL: `${yz.url}/oauth/authorize`,
    OUTBOX_POLL_INTERVAL_MS: '100',
    ORDER_POLL_INTERVAL_MS: String(p.pollMs),
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '40',
  });
  let app: INestApplication | undefined;
  try {
    app = await createApp(config);
    await app.listen(port, '127.0.0.1');
    const setupStarted = Date.now();

    // A merchant connects both shops through the real OAuth flow.
    const merchantId = (await app.get(MerchantsService).create('Bench merchant')).id;
    await app.get(UsersService).create({ email: 'bench-owner@bench.local', password: 'bench-owner-password', role: 'owner', merchantId });
    const owner = await app.get(SessionsService).signIn('bench-owner@bench.local', 'bench-owner-password', 'bench');
    const ownerToken = (await app.get(ApiTokensService).create(owner.user.id, merchantId, 'bench')).token;
    const erpKey = await app.get(ErpCredentialsService).create(merchantId, 'bench ERP');
    const cookie = `${SESSION_COOKIE}=${owner.cookieValue}`;
    const authorization = `Bearer ${ownerToken}`;
    const ksShop = await ksControl.createShop({ name: '快手直播间' });
    const yzShop = await yzControl.createShop({ name: '有赞商城', authorize: true });
    await connectInBrowser(url, merchantId, 'kuaishou', { shop: ksShop.openId, cookie });
    await connectInBrowser(url, merchantId, 'youzan', { shop: String(yzShop.kdtId), cookie });
    const connections = (await (await fetch(`${url}/api/merchants/${merchantId}/connections`, { headers: { authorization } })).json()) as { id: string; platform: string }[];

    // S SKUs listed on both platforms with the merchant SKU code; the ERP reports small stock.
    const skus: { code: string; stock: number; ks: { itemId: string; skuId: string }; yz: { itemId: string; skuId: string } }[] = [];
    for (let i = 0; i < p.skus; i++) {
      const code = `FLASH-${String(i + 1).padStart(3, '0')}`;
      const stock = p.stockMin + Math.floor(random() * (p.stockMax - p.stockMin + 1));
      const ksItem = await ksControl.createItem({ openId: ksShop.openId, title: `直播爆款 ${code}`, skus: [{ stock: 0, price: 9900, skuNick: code }] });
      const yzItem = await yzControl.createItem({ kdtId: yzShop.kdtId, title: `直播爆款 ${code}`, skus: [{ itemNo: code, priceFen: 9900, stock: 0 }] });
      skus.push({ code, stock, ks: { itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId }, yz: { itemId: yzItem.itemId, skuId: yzItem.skus[0].skuId } });
    }
    for (const c of connections) await fetch(`${url}/api/merchants/${merchantId}/connections/${c.id}/discover-skus`, { method: 'POST', headers: { authorization } });
    const body = JSON.stringify({ updates: skus.map((s) => ({ skuCode: s.code, onHand: s.stock, sequence: 1 })) });
    const ts = Math.floor(Date.now() / 1000);
    const delivery = `bench-${Date.now()}`;
    const erp = await fetch(`${url}/webhooks/erp/stock`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [ERP_HEADERS.keyId]: erpKey.credential.keyId,
        [ERP_HEADERS.timestamp]: String(ts),
        [ERP_HEADERS.delivery]: delivery,
        [ERP_HEADERS.signature]: signErpPayload(erpKey.secret, ts, delivery, body),
      },
      body,
    });
    if (erp.status !== 200) throw new Error(`ERP stock failed: ${await erp.text()}`);
    const relay = app.get(OutboxRelay);
    await relay.drain(60_000);

    // The storm: faults on, then buyers race.
    const stockApis = { ks: 'open.item.sku.stock.update', yz: 'youzan.item.quantity.update' };
    await ksControl.setFaults({ rules: [{ api: stockApis.ks, latencyMs: p.latencyMs, dropResponseRate: p.dropResponse }, { api: 'open.order.detail', latencyMs: p.latencyMs }], push: { lossRate: p.pushLoss, duplicateRate: p.pushDuplicate, delayMs: p.latencyMs } });
    await yzControl.setFaults({ rules: [{ api: stockApis.yz, latencyMs: p.latencyMs, dropResponseRate: p.dropResponse }, { api: 'youzan.trade.get', latencyMs: p.latencyMs }], push: { lossRate: p.pushLoss, duplicateRate: p.pushDuplicate, delayMs: p.latencyMs } });
    const before = { ks: await ksControl.counters(), yz: await yzControl.counters() };
    const stormStarted = Date.now();
    const storm = await ask({ kind: 'storm', skus, youzanShop: yzShop.kdtId, buyers: p.buyers, durationS: p.durationS, retryMinMs: p.retryMinMs, retryMaxMs: p.retryMaxMs, seed: p.seed }, 'storm-done');
    const sold = new Map(Object.entries(storm.sold));
    const demand = new Map(Object.entries(storm.demand));
    const attempts = storm.attempts;
    const stormMs = Date.now() - stormStarted;

    // Let everything settle (lost pushes are found by the polling backstop).
    await ksControl.resetFaults();
    await yzControl.clearFaults();
    await new Promise((r) => setTimeout(r, p.pollMs + 500));
    await relay.drain(60_000);
    const db = app.get(Db);
    const after = { ks: await ksControl.counters(), yz: await yzControl.counters() };

    let oversold = 0;
    let soldTotal = 0;
    let reachable = 0;
    let overShown = 0;
    const leftovers: unknown[] = [];
    for (const s of skus) {
      const [ksSku, yzSku] = [await ksControl.getSku(s.ks.itemId, s.ks.skuId), await yzControl.getSku(s.yz.itemId, s.yz.skuId)];
      const unitsSold = sold.get(s.code)!;
      oversold += Math.max(0, unitsSold - s.stock);
      soldTotal += unitsSold;
      reachable += Math.min(s.stock, demand.get(s.code)!);
      if (unitsSold < Math.min(s.stock, demand.get(s.code)!)) {
        leftovers.push({ sku: s.code, stock: s.stock, sold: unitsSold, buyers: { kuaishou: storm.demandBy[`${s.code}:kuaishou`] ?? 0, youzan: storm.demandBy[`${s.code}:youzan`] ?? 0 }, shown: { kuaishou: ksSku.stock, youzan: yzSku.stock } });
      }
      // At rest, what was sold plus what the platforms still show must fit in the warehouse.
      overShown += Math.max(0, unitsSold + ksSku.stock + yzSku.stock - s.stock);
    }
    const writes = (c: typeof after.ks, api: string) => c.writesApplied[api] ?? 0;
    const platformWrites = writes(after.ks, stockApis.ks) - writes(before.ks, stockApis.ks) + writes(after.yz, stockApis.yz) - writes(before.yz, stockApis.yz);
    const latencies = ((await db.dataSource.query("SELECT settled_at - trigger_at AS ms FROM stock_write_op WHERE status = 'applied' AND created_at >= ?", [stormStarted])) as { ms: string | number }[])
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);
    const events = (await db.dataSource.query('SELECT COUNT(*) AS n FROM outbox_event WHERE topic = ? AND created_at >= ?', [Topic.StockChanged, stormStarted])) as { n: string | number }[];
    const metrics = app.get(MetricsService).registry;
    const stage = async (name: string, label: string) => {
      const json = (await metrics.getSingleMetric(name)?.get())?.values ?? [];
      const out: Record<string, { count: number; avg_ms: number }> = {};
      for (const v of json as { value: number; labels: Record<string, string | number>; metricName?: string }[]) {
        const key = String(v.labels[label]);
        out[key] ??= { count: 0, avg_ms: 0 };
        if (v.metricName?.endsWith('_sum')) out[key].avg_ms = v.value * 1000;
        if (v.metricName?.endsWith('_count')) out[key].count = v.value;
      }
      for (const k of Object.keys(out)) out[k].avg_ms = out[k].count ? Math.round(out[k].avg_ms / out[k].count) : 0;
      return out;
    };
    const stages = {
      publish_lag_by_topic: await stage('kwaizan_outbox_publish_lag_seconds', 'topic'),
      handle_time_by_consumer: await stage('kwaizan_event_handle_seconds', 'consumer'),
      platform_call_by_api: await stage('kwaizan_platform_call_seconds', 'api'),
      stock_sync_phase: await stage('kwaizan_stock_sync_phase_seconds', 'phase'),
      ledger_lock_wait: await stage('kwaizan_ledger_lock_wait_seconds', 'none'),
    };
    const result = {
      oversold_units: oversold,
      shown_beyond_stock_at_rest: overShown,
      unsold_reachable: leftovers,
      sellthrough: reachable ? Math.round((soldTotal / reachable) * 10_000) / 10_000 : 1,
      units_sold: soldTotal,
      physical_units: skus.reduce((a, s) => a + s.stock, 0),
      platform_writes: platformWrites,
      stock_events: Number(events[0].n),
      latency_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0, samples: latencies.length },
      double_applies: after.ks.duplicateOperationIds + after.yz.duplicateOperationIds,
      buy_attempts: attempts,
      storm_ms: stormMs,
      pushes: { kuaishou: after.ks.push, youzan: after.yz.push },
      responses_dropped_after_apply: (after.ks.rejected.response_dropped_after_apply ?? 0) + (after.yz.rejected.response_dropped_after_apply ?? 0),
      total_ms: Date.now() - started,
      setup_ms: stormStarted - setupStarted,
      stages,
      params: { ...p, out: undefined, db: p.db === 'sqlite' ? 'embedded sqlite' : 'mysql' },
      at: new Date().toISOString(),
    };
    mkdirSync(join(p.out, '..'), { recursive: true });
    writeFileSync(p.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      [
        `oversell storm: ${p.buyers} buyers, ${p.skus} SKUs, ${result.physical_units} units, ${p.durationS}s max`,
        `  oversold units   ${result.oversold_units}`,
        `  sell-through     ${(result.sellthrough * 100).toFixed(2)}% (${soldTotal} of ${reachable} reachable units)`,
        `  platform writes  ${platformWrites} for ${result.stock_events} stock events (${result.responses_dropped_after_apply} answers dropped after apply)`,
        `  double applies   ${result.double_applies}`,
        `  latency          p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms (event accepted → platform write acknowledged)`,
        `  storm ${stormMs} ms, total ${result.total_ms} ms → ${p.out}`,
      ].join('\n'),
    );
    if (result.oversold_units > 0 || result.double_applies > 0 || overShown > 0) process.exitCode = 1;
  } finally {
    await app?.close();
    worker.disconnect();
    if (databaseName) {
      const server = new URL(p.db);
      const c = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username || 'root'), password: decodeURIComponent(server.password) });
      await c.query(`DROP DATABASE IF EXISTS \`${databaseName}\``);
      await c.end();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
