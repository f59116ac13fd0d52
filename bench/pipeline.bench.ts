import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { KUAISHOU_API_QPS, KUAISHOU_DEFAULT_API_QPS } from '@app/platforms/kuaishou/kuaishou-rate-limits';
import { YOUZAN_API_QPS, YOUZAN_DEFAULT_API_QPS } from '@app/platforms/youzan/youzan-rate-limits';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { benchAccess } from './bench-access';
import {
  adminConnection,
  connectShops,
  createBenchDatabase,
  discoverSkus,
  dropBenchDatabase,
  forkPlatformsWorker,
  freePort,
  listOnBoth,
  serviceBaseEnv,
} from './bench-setup';
import {
  Cell,
  chartLibrary,
  perSecond,
  renderHtml,
  ReportChart,
  scheduleLag,
  summarize,
  textTable,
  writeResult,
} from './bench-stats';
import { ErpDriver } from './erp-driver';
import { ServiceProcess } from './service.process';
import type { ObservedSku } from './storm-observer';

/**
 * The pipeline benchmark: the raw MariaDB floor, then the real service in its own process against
 * both emulators (in another process) with no faults, at an open-loop rate. Latency, writes and
 * API calls are read from the emulators' own state and timestamps, never from the service.
 * `npm run bench -- --skus=1000 --duration-s=60`; one part: `npm run bench:propagation -- …`.
 */
const PARTS = ['floor', 'propagation', 'throughput', 'coalescing', 'kafka'] as const;
type Part = (typeof PARTS)[number];

interface Params {
  parts: Part[];
  skus: number;
  rate: number;
  durationS: number;
  floorS: number;
  pool: number;
  throughputRate: number;
  throughputS: number;
  hot: number;
  burstRate: number;
  burstS: number;
  settleMaxS: number;
  quietMs: number;
  seed: number;
  db: string;
  out: string;
}

function flags(argv = process.argv): Params {
  const get = (name: string, fallback: string) =>
    argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=') ?? fallback;
  const num = (name: string, fallback: number) => {
    const value = Number(get(name, String(fallback)));
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
    return value;
  };
  const parts = get('parts', PARTS.join(',')).split(',') as Part[];
  for (const part of parts) if (!PARTS.includes(part)) throw new Error(`--parts: unknown part ${part}`);
  return {
    parts,
    skus: num('skus', 1000),
    rate: num('rate', 200),
    durationS: num('duration-s', 60),
    floorS: num('floor-s', 10),
    pool: num('pool', Number(process.env.DATABASE_POOL_SIZE ?? 20)),
    throughputRate: num('throughput-rate', 1000),
    throughputS: num('throughput-s', 10),
    hot: num('hot', 5),
    burstRate: num('burst-rate', 500),
    burstS: num('burst-s', 4),
    settleMaxS: num('settle-max-s', 120),
    quietMs: num('quiet-ms', 15_000),
    seed: num('seed', 7),
    db: get('db', process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/'),
    out: get('out', join(__dirname, '..', '..', 'bench', 'results')),
  };
}

/**
 * The floor: the conditional reservation the ledger's hot path reduces to, on its own, over
 * S SKUs from `pool` connections (the service's pool size), for floorS seconds.
 */
async function rawFloor(p: Params) {
  const name = `kz_bench_floor_${Date.now()}`;
  const a = await adminConnection(p.db);
  await a.query(`CREATE DATABASE \`${name}\``);
  const server = new URL(p.db);
  const pool = mysql.createPool({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
    database: name,
    connectionLimit: p.pool,
  });
  try {
    await pool.query(
      'CREATE TABLE stock (sku_id INT PRIMARY KEY, on_hand INT NOT NULL, reserved INT NOT NULL) ENGINE=InnoDB',
    );
    const rows = Array.from({ length: p.skus }, (_, i) => [i, 1_000_000_000, 0]);
    await pool.query('INSERT INTO stock (sku_id, on_hand, reserved) VALUES ?', [rows]);
    let done = 0;
    let refused = 0;
    const started = Date.now();
    const until = started + p.floorS * 1000;
    let x = p.seed;
    const next = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % p.skus;
    };
    await Promise.all(
      Array.from({ length: p.pool }, async () => {
        while (Date.now() < until) {
          const [res] = await pool.execute<mysql.ResultSetHeader>(
            'UPDATE stock SET reserved = reserved + 1 WHERE sku_id = ? AND on_hand - reserved >= 1',
            [next()],
          );
          if (res.affectedRows === 1) done++;
          else refused++;
        }
      }),
    );
    const ms = Date.now() - started;
    const [[check]] = await pool.query<mysql.RowDataPacket[]>('SELECT SUM(reserved) AS n FROM stock');
    return {
      raw_floor_per_s: perSecond(done, ms),
      updates: done,
      refused,
      reserved_in_table: Number(check.n),
      connections: p.pool,
      skus: p.skus,
      ms,
    };
  } finally {
    await pool.end();
    await a.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await a.end();
  }
}

const mb = (bytes: number | undefined) => (bytes === undefined ? null : Math.round(bytes / 1048576));

async function main(): Promise<void> {
  const p = flags();
  const machine = { cpus: cpus().length, loadavg_at_start: loadavg().map((n) => Math.round(n * 100) / 100) };
  const results: Record<string, unknown> = {};
  const charts: ReportChart[] = [];
  const started = Date.now();

  if (p.parts.includes('floor')) {
    results.floor = await rawFloor(p);
    writeResult(p.out, 'floor', { ...(results.floor as object), machine, at: new Date().toISOString() });
    console.log(`floor: ${JSON.stringify(results.floor)}`);
  }

  const serviceParts = p.parts.filter((x) => x === 'propagation' || x === 'throughput' || x === 'coalescing');
  if (serviceParts.length) Object.assign(results, await servicePartsRun(p, serviceParts, charts));
  if (p.parts.includes('kafka'))
    results.kafka = {
      measured: false,
      reason: 'the two-instance Kafka run (mock broker, one consumer group) is not built yet',
    };

  const floor = results.floor as { raw_floor_per_s: number } | undefined;
  const prop = results.propagation as
    | { latency_ms: object; events_per_s: number; schedule: { fell_behind: boolean }; service_rss_mb: number | null }
    | undefined;
  const thr = results.throughput as { events_per_s: number; service_rss_mb: number | null } | undefined;
  const coal = results.coalescing as
    | {
        writes_per_event: number;
        calls_per_s: Record<string, { per_s: number; limit: number }>;
        service_rss_mb: number | null;
      }
    | undefined;
  if (prop) {
    const summary = {
      latency_ms: prop.latency_ms,
      events_per_s: thr?.events_per_s ?? null,
      events_per_s_reason: thr ? undefined : 'throughput part not run in this run',
      propagation_events_per_s: prop.events_per_s,
      raw_floor_per_s: floor?.raw_floor_per_s ?? null,
      raw_floor_reason: floor ? undefined : 'floor part not run in this run',
      ratio_to_floor: thr && floor ? Math.round((thr.events_per_s / floor.raw_floor_per_s) * 1000) / 1000 : null,
      writes_per_event: coal?.writes_per_event ?? null,
      writes_per_event_reason: coal ? undefined : 'coalescing part not run in this run',
      failover_ms: null,
      failover_reason: 'not measured: the two-instance Kafka failover run is not built yet',
      load_generator_fell_behind: prop.schedule.fell_behind,
      params: { ...p, db: 'mysql', out: undefined },
      machine,
      at: new Date().toISOString(),
    };
    writeResult(p.out, 'propagation', summary);
  }

  const table: Cell[][] = [['part', 'figure', 'value', 'service RSS (MB)']];
  if (floor) table.push(['floor', 'raw conditional UPDATE/s', floor.raw_floor_per_s, null]);
  if (thr)
    table.push([
      'throughput',
      'stock events/s end to end (ratio to floor)',
      `${thr.events_per_s}${floor ? ` (${Math.round((thr.events_per_s / floor.raw_floor_per_s) * 1000) / 1000})` : ''}`,
      thr.service_rss_mb,
    ]);
  if (prop) {
    const l = prop.latency_ms as { p50: number; p99: number; max: number };
    table.push([
      'propagation',
      `latency p50/p99/max at ${p.rate}/s${prop.schedule.fell_behind ? ' (GENERATOR FELL BEHIND)' : ''}`,
      `${l.p50}/${l.p99}/${l.max} ms`,
      prop.service_rss_mb,
    ]);
  }
  if (coal) {
    table.push(['coalescing', 'platform stock writes per stock event', coal.writes_per_event, coal.service_rss_mb]);
    for (const [api, c] of Object.entries(coal.calls_per_s))
      table.push(['coalescing', `${api} calls/s (documented limit)`, `${c.per_s} (${c.limit})`, null]);
  }
  if (results.kafka) table.push(['kafka', 'two instances, one group', 'not measured', null]);
  console.log(`\n${textTable(table)}\n`);
  const lib = chartLibrary();
  const html = renderHtml({
    title: 'kwaizan-sync benchmarks / 基准测试',
    note: `${machine.cpus} cores, load average at start ${machine.loadavg_at_start.join(' ')} (shared machine); ${new Date().toISOString()}; total ${Math.round((Date.now() - started) / 1000)} s`,
    table,
    charts,
    results,
    chartJs: lib.js,
    chartCss: lib.css,
  });
  writeFileSync(join(p.out, 'report.html'), html);
  console.log(`→ ${p.out}/*.json, ${p.out}/report.html`);
}

async function servicePartsRun(p: Params, parts: Part[], charts: ReportChart[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const database = await createBenchDatabase(p.db, 'kz_bench_pipe');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { worker, ask } = forkPlatformsWorker();
  const platforms = await ask(
    { kind: 'start', options: { pushBaseUrl: url, seed: p.seed, refuseNegativeIncrement: true } },
    'ready',
  );
  const ks = platforms.kuaishouUrl;
  const yz = platforms.youzanUrl;
  const ksControl = new KuaishouSandboxControl(ks);
  const yzControl = new YouzanSandboxControl(yz);
  const serviceEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    ...serviceBaseEnv({ url, port, ks, yz, dataDir: join(__dirname, '..', '..', 'data', `bench-${Date.now()}`) }),
    DATABASE_POOL_SIZE: String(p.pool),
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  };
  const service = new ServiceProcess(url, serviceEnv);
  try {
    await service.start();
    const access = await benchAccess(serviceEnv, url);
    const merchantId = access.merchantId;
    const asOwner = { cookie: access.owner.cookie, 'x-csrf-token': access.owner.csrf };
    const controls = { ks: ksControl, yz: yzControl };
    const shops = await connectShops(url, access, controls, '快手直播间');
    const { yzShop } = shops;
    const setupStarted = Date.now();
    const skus: ObservedSku[] = new Array(p.skus);
    const make = async (i: number) => {
      const code = `BENCH-${String(i + 1).padStart(5, '0')}`;
      skus[i] = { code, ...(await listOnBoth(controls, shops, code, { title: `基准商品 ${code}`, priceFen: 9900 })) };
    };
    for (let i = 0; i < p.skus; i += 16)
      await Promise.all(Array.from({ length: Math.min(16, p.skus - i) }, (_, k) => make(i + k)));
    await ask({ kind: 'track', skus }, 'ok');
    await discoverSkus(url, merchantId, asOwner);
    const erp = new ErpDriver(url, access.erpKey, async (updates) => {
      await ask({ kind: 'physical', updates }, 'ok');
    });
    // Plenty of stock: no sale is refused, every sale is one stock event.
    for (let i = 0; i < skus.length; i += 200)
      await erp.send(skus.slice(i, i + 200).map((s) => ({ skuCode: s.code, onHand: 1_000_000 })));
    const initial = await ask({ kind: 'quiet', quietMs: 3000, maxMs: p.settleMaxS * 1000 }, 'quiet-done');
    const setupMs = Date.now() - setupStarted;
    console.log(`setup: ${p.skus} SKUs listed, discovered and stocked in ${setupMs} ms (settled: ${initial.quiet})`);

    const runAtRate = async (part: Part, chosen: ObservedSku[], rate: number, durationS: number) => {
      await ask({ kind: 'reset' }, 'ok');
      await ksControl.resetCounters();
      await yzControl.resetCounters();
      const load = await ask(
        { kind: 'rate', skus: chosen, youzanShop: yzShop.kdtId, ratePerS: rate, durationS, seed: p.seed },
        'rate-done',
      );
      // Quiet must outlast the service's slowest answer, or a backlog looks settled.
      const settled = await ask({ kind: 'quiet', quietMs: p.quietMs, maxMs: p.settleMaxS * 1000 }, 'quiet-done');
      const report = await ask({ kind: 'report', unwritable: [] }, 'report');
      const { samples } = await ask({ kind: 'latencies' }, 'latencies');
      const sales = report.figures.unitsSold;
      const writes = report.figures.apiWrites.kuaishou + report.figures.apiWrites.youzan;
      const endToEndMs = settled.lastChangeAt - load.firstAt;
      const base = {
        sales,
        refused_sales: load.refused,
        schedule: scheduleLag(load.lagsMs, rate, load.lastAt - load.firstAt),
        latency_ms: summarize(samples),
        sales_without_answer: report.figures.latencyMs.salesWithoutAnswer,
        platform_stock_writes: report.figures.apiWrites,
        writes_per_event: sales ? Math.round((writes / sales) * 1000) / 1000 : null,
        settled: settled.quiet,
        end_to_end_ms: endToEndMs,
        events_per_s: perSecond(sales, endToEndMs),
        double_applies: report.counters.kuaishou.duplicateOperationIds + report.counters.youzan.duplicateOperationIds,
        observer_mismatches: report.mismatches.length,
        platforms_event_loop_delay_ms: report.eventLoopDelayMs,
        calls: { kuaishou: report.counters.kuaishou.calls, youzan: report.counters.youzan.calls },
        service_rss_mb: mb(service.rssBytes()),
        params: { rate, durationS, skus: chosen.length },
        at: new Date().toISOString(),
      };
      const spanS = Math.max(1, endToEndMs / 1000);
      const limit = (platform: 'kuaishou' | 'youzan', api: string) =>
        platform === 'kuaishou'
          ? (KUAISHOU_API_QPS[api] ?? KUAISHOU_DEFAULT_API_QPS)
          : (YOUZAN_API_QPS[api] ?? YOUZAN_DEFAULT_API_QPS);
      const callsPerS: Record<string, { calls: number; per_s: number; limit: number }> = {};
      for (const platform of ['kuaishou', 'youzan'] as const)
        for (const [api, n] of Object.entries(base.calls[platform]))
          callsPerS[`${platform} ${api}`] = {
            calls: n,
            per_s: Math.round((n / spanS) * 10) / 10,
            limit: limit(platform, api),
          };
      const result = { ...base, calls_per_s: callsPerS };
      // propagation.json is the run's summary (below); the propagation part's detail is latency.json.
      writeResult(p.out, part === 'propagation' ? 'latency' : part, result);
      const sorted = [...samples].sort((x, y) => x - y);
      const step = Math.max(1, Math.floor(sorted.length / 200));
      const idx = sorted.map((_, i) => i).filter((i) => i % step === 0);
      charts.push({
        title: `${part}: latency distribution, sale → other platform's write (ms)`,
        x: idx.map((i) => Math.round((i / Math.max(1, sorted.length)) * 1000) / 10),
        series: [{ label: 'latency ms', values: idx.map((i) => sorted[i]) }],
        xLabel: 'percentile',
        yLabel: 'ms',
      });
      charts.push({
        title: `${part}: sales sent per second (offered ${rate}/s)`,
        x: load.perSecond.map((_, i) => i),
        series: [{ label: 'sales/s', values: load.perSecond }],
        xLabel: 's',
        yLabel: 'sales/s',
      });
      console.log(
        `${part}: ${sales} sales (${load.refused} refused), latency ${JSON.stringify(result.latency_ms)}, ${result.events_per_s} events/s, ` +
          `${result.writes_per_event} writes/event, behind=${result.schedule.fell_behind}, settled=${settled.quiet}`,
      );
      return result;
    };

    if (parts.includes('propagation')) out.propagation = await runAtRate('propagation', skus, p.rate, p.durationS);
    if (parts.includes('throughput'))
      out.throughput = await runAtRate('throughput', skus, p.throughputRate, p.throughputS);
    if (parts.includes('coalescing'))
      out.coalescing = await runAtRate('coalescing', skus.slice(0, p.hot), p.burstRate, p.burstS);
    return out;
  } finally {
    await service.stop();
    worker.disconnect();
    await dropBenchDatabase(p.db, database.name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
