import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectInBrowser } from '@app/sandbox/sandbox-connect';
import { SeededRandom } from '@app/sandbox/shared/random';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { benchAccess } from './bench-access';
import {
  connectShops,
  createBenchDatabase,
  discoverSkus,
  dropBenchDatabase,
  forkPlatformsWorker,
  freePort,
  listOnBoth,
  serviceBaseEnv,
} from './bench-setup';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { ErpDriver } from './erp-driver';
import { ServiceProcess } from './service.process';
import type { ObservedSku, StormPlatform } from './storm-observer';

/**
 * Oversell storm: buyers race on both platforms for S SKUs with small stock, through the real
 * service in its own process (pushes, outbox, stock writer, platform writes over HTTP), while
 * every fault kind fires: latency, lost and duplicated pushes, answers dropped after apply,
 * writes applied after the client's timeout, refused negative increments, activity reserves, a
 * revoked shop, replayed writer runs, and the service killed with SIGKILL mid-burst. Every figure
 * is measured in the emulators' process from their own state.
 * `npm run bench:oversell -- --buyers=96 --skus=24 …`
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
  lateApply: number;
  lateApplyMs: number;
  busyAfterApply: number;
  clientTimeoutMs: number;
  refuseNegativeIncrement: boolean;
  ksReservedEvery: number;
  ksReadLagMs: number;
  yzReadLagMs: number;
  durationS: number;
  pollMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  revokeAt: number;
  restockAt: number;
  restockUnits: number;
  capAt: number;
  reauthAt: number;
  replayAt: number;
  killAt: number;
  settleQuietMs: number;
  settleMaxS: number;
  seed: number;
  db: string;
  out: string;
}

function flags(): Params {
  const get = (name: string, fallback: string) =>
    process.argv
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=') ?? fallback;
  const num = (name: string, fallback: number) => {
    const value = Number(get(name, String(fallback)));
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
    return value;
  };
  const fraction = (name: string, fallback: number) => {
    const value = num(name, fallback);
    if (value < 0 || value > 1) throw new Error(`--${name} is a fraction of the storm (0..1)`);
    return value;
  };
  return {
    buyers: num('buyers', 96),
    skus: num('skus', 24),
    stockMin: num('stock-min', 3),
    stockMax: num('stock-max', 8),
    latencyMs: num('latency-ms', 25),
    pushLoss: num('push-loss', 0.05),
    pushDuplicate: num('push-duplicate', 0.1),
    dropResponse: num('drop-response', 0.08),
    lateApply: num('late-apply', 0.06),
    lateApplyMs: num('late-apply-ms', 3000),
    busyAfterApply: num('busy-after-apply', 0.1),
    clientTimeoutMs: num('client-timeout-ms', 2000),
    refuseNegativeIncrement: num('refuse-negative-increment', 1) === 1,
    ksReservedEvery: num('ks-reserved-every', 6),
    ksReadLagMs: num('ks-read-lag-ms', 3000),
    yzReadLagMs: num('yz-read-lag-ms', 30_000),
    durationS: num('duration-s', 60),
    pollMs: num('poll-ms', 2000),
    retryMinMs: num('retry-min-ms', 150),
    retryMaxMs: num('retry-max-ms', 450),
    revokeAt: fraction('revoke-at', 0.15),
    restockAt: fraction('restock-at', 0.25),
    restockUnits: num('restock-units', 4),
    capAt: fraction('cap-at', 0),
    reauthAt: fraction('reauth-at', 0.35),
    replayAt: fraction('replay-at', 0.45),
    killAt: fraction('kill-at', 0.55),
    settleQuietMs: num('settle-quiet-ms', 6000),
    settleMaxS: num('settle-max-s', 60),
    seed: num('seed', 7),
    db: get('db', process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/'),
    out: get('out', join(__dirname, '..', '..', 'bench', 'results', 'oversell.json')),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Mean time and count per label of a Prometheus histogram, read from the service's /metrics. */
function histogramStages(
  text: string,
  metric: string,
  label: string,
): Record<string, { count: number; avg_ms: number }> {
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${metric}_(sum|count)(?:\\{([^}]*)\\})? ([0-9.eE+-]+)$`).exec(line);
    if (!m) continue;
    const key = new RegExp(`${label}="([^"]*)"`).exec(m[2] ?? '')?.[1] ?? 'all';
    (m[1] === 'sum' ? sums : counts).set(
      key,
      (m[1] === 'sum' ? (sums.get(key) ?? 0) : (counts.get(key) ?? 0)) + Number(m[3]),
    );
  }
  const out: Record<string, { count: number; avg_ms: number }> = {};
  for (const [key, count] of counts)
    out[key] = { count, avg_ms: count ? Math.round(((sums.get(key) ?? 0) * 1000) / count) : 0 };
  return out;
}

async function main(): Promise<void> {
  const p = flags();
  const dice = new SeededRandom(p.seed);
  const started = Date.now();
  let databaseName: string | undefined;
  const env: Record<string, string> = {};
  const dataDir = join(__dirname, '..', '..', 'data', `bench-${Date.now()}`);
  if (p.db !== 'sqlite') {
    const database = await createBenchDatabase(p.db, 'kz_bench');
    databaseName = database.name;
    env.DATABASE_URL = database.url;
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const { worker, ask } = forkPlatformsWorker();

  const platforms = await ask(
    { kind: 'start', options: { pushBaseUrl: url, seed: p.seed, refuseNegativeIncrement: p.refuseNegativeIncrement } },
    'ready',
  );
  const ks = platforms.kuaishouUrl;
  const yz = platforms.youzanUrl;
  const ksControl = new KuaishouSandboxControl(ks);
  const yzControl = new YouzanSandboxControl(yz);
  const serviceEnv: Record<string, string> = {
    ...env,
    ...serviceBaseEnv({ url, port, ks, yz, dataDir }),
    OUTBOX_POLL_INTERVAL_MS: '100',
    ORDER_POLL_INTERVAL_MS: String(p.pollMs),
    PLATFORM_HTTP_TIMEOUT_MS: String(p.clientTimeoutMs),
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '40',
  };
  const service = new ServiceProcess(url, serviceEnv);
  try {
    await service.start();
    const setupStarted = Date.now();

    // A merchant connects both shops through the real OAuth flow.
    const access = await benchAccess(serviceEnv, url);
    const merchantId = access.merchantId;
    const asOwner = { cookie: access.owner.cookie, 'x-csrf-token': access.owner.csrf };
    const asOps = { authorization: access.ops };
    const controls = { ks: ksControl, yz: yzControl };
    const shops = await connectShops(url, access, controls, '快手直播间');
    const { ksShop, yzShop } = shops;

    // S SKUs listed on both platforms with the merchant SKU code; some Kuaishou listings keep a
    // unit reserved for a live-room activity (decreases below it are refused).
    const skus: (ObservedSku & { stock: number })[] = [];
    for (let i = 0; i < p.skus; i++) {
      const code = `FLASH-${String(i + 1).padStart(3, '0')}`;
      const stock = p.stockMin + Math.floor(dice.next() * (p.stockMax - p.stockMin + 1));
      const listed = await listOnBoth(controls, shops, code, { title: `直播爆款 ${code}`, priceFen: 9900 });
      skus.push({ code, stock, ...listed });
    }
    await ask({ kind: 'track', skus }, 'ok');
    await discoverSkus(url, merchantId, asOwner);
    const erp = new ErpDriver(url, access.erpKey, async (updates) => {
      await ask({ kind: 'physical', updates }, 'ok');
    });
    const physical = new Map(skus.map((s) => [s.code, s.stock]));
    await erp.send(skus.map((s) => ({ skuCode: s.code, onHand: s.stock })));
    await ask({ kind: 'quiet', quietMs: 3000, maxMs: 60_000 }, 'quiet-done');
    const reserved = p.ksReservedEvery > 0 ? skus.filter((_, i) => i % p.ksReservedEvery === 0) : [];
    for (const s of reserved) await ksControl.setSku(s.ks.itemId, s.ks.skuId, { reservedForActivity: 1 });

    // The storm: faults on, then buyers race while the chaos schedule runs.
    const stockApis = { ks: 'open.item.sku.stock.update', yz: 'youzan.item.quantity.update' };
    const writeFaults = {
      latencyMs: p.latencyMs,
      dropResponseRate: p.dropResponse,
      lateApplyRate: p.lateApply,
      lateApplyDelayMs: p.lateApplyMs,
    };
    const pushFaults = { lossRate: p.pushLoss, duplicateRate: p.pushDuplicate, delayMs: p.latencyMs };
    const yzRules = (extra: object = {}) => [
      { api: stockApis.yz, ...writeFaults, ...extra },
      { api: 'youzan.trade.get', latencyMs: p.latencyMs },
    ];
    const ksRules = [
      { api: stockApis.ks, ...writeFaults, busyAfterApplyRate: p.busyAfterApply },
      { api: 'open.order.detail', latencyMs: p.latencyMs },
    ];
    await ksControl.setFaults({ rules: ksRules, push: pushFaults, orderReadLagMs: p.ksReadLagMs });
    await yzControl.setFaults({ rules: yzRules(), push: pushFaults, orderReadLagMs: p.yzReadLagMs });
    await ksControl.resetCounters();
    await yzControl.resetCounters();
    const stormStarted = Date.now();
    const stormDone = ask(
      {
        kind: 'storm',
        skus,
        youzanShop: yzShop.kdtId,
        buyers: p.buyers,
        durationS: p.durationS,
        retryMinMs: p.retryMinMs,
        retryMaxMs: p.retryMaxMs,
        seed: p.seed,
      },
      'storm-done',
    );
    const at = (fraction: number) => sleep(Math.max(0, stormStarted + fraction * p.durationS * 1000 - Date.now()));
    const chaos: { at_s: number; what: string }[] = [];
    const note = (what: string) => chaos.push({ at_s: Math.round((Date.now() - stormStarted) / 100) / 10, what });
    let replays = 0;
    let serviceDownMs = 0;
    const unwritable = new Set<StormPlatform>();

    /** Replays every open stock-sync failure while writers of the same SKUs are running. */
    const openFailures = async () => {
      const listed = await fetch(`${url}/ops/failures?status=open,retrying&context=inventory&pageSize=100`, {
        headers: asOps,
      }).catch(() => undefined);
      if (!listed || listed.status !== 200) return [];
      const page = (await listed.json()) as { items?: { id: string; entityRef: string | null; replayable: boolean }[] };
      return (page.items ?? []).filter((f) => f.replayable && f.entityRef);
    };
    const replayOpenFailures = async () => {
      const replayable = await openFailures();
      await Promise.all(
        replayable.map(async (f) => {
          const res = await fetch(`${url}/ops/failures/${f.id}/retry`, { method: 'POST', headers: asOps }).catch(
            () => undefined,
          );
          if (res?.status === 200) replays++;
        }),
      );
      note(`replayed ${replayable.length} open stock-sync failures`);
    };

    const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await call();
        } catch (error) {
          note(`attempt ${attempt} failed: ${(error as Error).message}`);
          if (attempt >= 5) throw error;
          await sleep(2000);
        }
      }
    };
    // Each step runs at its own time, so a slow step never pushes the kill out of the burst.
    const restocked = skus.filter((_, i) => i % 3 === 0);
    const steps = [
      (async () => {
        await at(p.revokeAt);
        await retrying(() => ksControl.revokeShop(ksShop.openId));
        unwritable.add('kuaishou');
        note('Kuaishou merchant withdrew the app');
      })(),
      (async () => {
        await at(p.restockAt);
        for (const s of restocked) physical.set(s.code, physical.get(s.code)! + p.restockUnits);
        await erp.send(restocked.map((s) => ({ skuCode: s.code, onHand: physical.get(s.code)! })));
        note(`ERP restocked ${restocked.length} SKUs by ${p.restockUnits}`);
      })(),
      (async () => {
        // The merchant keeps the activity-reserved SKUs for Youzan (Kuaishou max 0) while Kuaishou
        // still shows units of them: a legitimate Kuaishou decrease that Kuaishou refuses below the
        // reserve (result 21), so the service takes the listing off the shelf and raises an alert.
        await at(p.capAt);
        const capped = new Set<string>();
        const stormEnds = stormStarted + p.durationS * 1000;
        while (capped.size < reserved.length && Date.now() < stormEnds) {
          const { visible } = await ask({ kind: 'visible', codes: reserved.map((s) => s.code) }, 'visible');
          for (const s of reserved.filter((r) => !capped.has(r.code) && visible[r.code].kuaishou > 0)) {
            capped.add(s.code);
            await retrying(async () => {
              const res = await fetch(`${url}/api/merchants/${merchantId}/skus/${s.code}/settings`, {
                method: 'PUT',
                headers: { ...asOwner, 'content-type': 'application/json' },
                body: JSON.stringify({ platformLimits: { kuaishou: { max: 0 } } }),
              });
              if (res.status !== 200) throw new Error(`settings of ${s.code}: ${res.status}`);
            });
            note(
              `merchant keeps activity-reserved ${s.code} for Youzan only (Kuaishou shows ${visible[s.code].kuaishou})`,
            );
          }
          await sleep(50);
        }
      })(),
      (async () => {
        await at(Math.max(p.reauthAt, p.revokeAt));
        await retrying(() =>
          connectInBrowser(url, merchantId, 'kuaishou', { shop: ksShop.openId, cookie: access.owner.cookie }),
        );
        unwritable.delete('kuaishou');
        note('Kuaishou merchant authorized again');
        // Writers start for the restocked SKUs (one more unit each) while failures are replayed.
        for (const s of restocked) physical.set(s.code, physical.get(s.code)! + 1);
        await Promise.all([
          erp.send(restocked.map((s) => ({ skuCode: s.code, onHand: physical.get(s.code)! }))),
          replayOpenFailures(),
        ]);
      })(),
      (async () => {
        // Youzan refuses stock writes for a moment: the failures recorded are then replayed
        // (ops retry → a second writer run for the SKU) while buyers keep its writer busy.
        await at(p.replayAt);
        // Failures already open (from earlier steps) do not count: wait for one this window caused.
        const before = new Set((await openFailures()).map((f) => f.id));
        await yzControl.setFaults({ rules: yzRules({ errorRate: 1, error: 'business' }) });
        note('Youzan refuses stock writes');
        const until = Date.now() + 15_000;
        while (Date.now() < until && !(await openFailures()).some((f) => !before.has(f.id))) await sleep(300);
        await yzControl.setFaults({ rules: yzRules() });
        note('Youzan takes stock writes again');
        await replayOpenFailures();
      })(),
      (async () => {
        await at(p.killAt);
        const down = Date.now();
        await service.kill();
        note('service killed with SIGKILL');
        await service.start();
        serviceDownMs = Date.now() - down;
        note(`service restarted after ${serviceDownMs} ms`);
        await replayOpenFailures();
      })(),
    ];
    // A step that fails is part of the result, not the end of the run.
    const [storm] = await Promise.all([
      stormDone,
      ...steps.map((step) => step.catch((error: Error) => note(`step failed: ${error.message}`))),
    ]);
    const stormMs = storm.stormMs;
    const chaosMs = Date.now() - stormStarted;

    // Let everything settle (lost pushes are found by the polling backstop): injected faults off,
    // the platforms' read lag stays; the last orders become readable after it.
    await ksControl.resetFaults();
    await yzControl.resetFaults();
    await sleep(Math.max(p.ksReadLagMs, p.yzReadLagMs));
    const settled = await ask(
      { kind: 'quiet', quietMs: Math.max(p.settleQuietMs, 2 * p.pollMs + 1000), maxMs: p.settleMaxS * 1000 },
      'quiet-done',
    );
    const report = await ask({ kind: 'report', unwritable: [...unwritable] }, 'report');
    const f = report.figures;
    const metricsText = await (await fetch(`${url}/metrics`, { headers: asOps })).text();

    const faultsFired: Record<string, number> = {};
    const add = (counts: Record<string, number>) => {
      for (const [kind, n] of Object.entries(counts)) faultsFired[kind] = (faultsFired[kind] ?? 0) + n;
    };
    add(report.counters.kuaishou.faultsFired);
    add(report.counters.youzan.faultsFired);
    add({ writer_replay: replays, service_sigkill: service.kills });
    // The kinds this run's parameters set off: each must have fired at least once.
    const expected: [string, boolean][] = [
      ['latency', p.latencyMs > 0],
      ['read_lag', p.ksReadLagMs > 0 || p.yzReadLagMs > 0],
      ['late_apply', p.lateApply > 0],
      ['response_dropped_after_apply', p.dropResponse > 0],
      ['busy_after_apply', p.busyAfterApply > 0],
      ['push_delayed', p.latencyMs > 0],
      ['push_lost', p.pushLoss > 0],
      ['push_duplicated', p.pushDuplicate > 0],
      ['shop_revoked', true],
      ['refused_negative_increment', p.refuseNegativeIncrement],
      ['activity_reserve_refused', p.ksReservedEvery > 0],
      ['error', true],
      ['writer_replay', true],
      ['service_sigkill', true],
    ];
    const notFired = expected.filter(([kind, on]) => on && !faultsFired[kind]).map(([kind]) => kind);

    const unsold = f.skus.filter((s) => s.sold.kuaishou + s.sold.youzan < s.physical);
    // What the service believes about the unsold ones, to explain them (its view, not a figure).
    const serviceView: Record<string, unknown> = {};
    for (const s of unsold.slice(0, 6)) {
      const res = await fetch(`${url}/api/merchants/${merchantId}/skus/${s.code}`, { headers: asOwner }).catch(
        () => undefined,
      );
      if (res?.status === 200) serviceView[s.code] = await res.json();
    }
    const sellable = f.physicalUnits - report.strandedUnits;
    const realSold = f.skus.reduce((a, s) => a + Math.min(s.physical, s.sold.kuaishou + s.sold.youzan), 0);
    const result = {
      oversold_units: f.oversoldUnits,
      oversold_by_sku: f.oversoldBySku,
      max_exposure_over_stock: f.maxExposureOverStock,
      exposure_by_sku: f.exposureBySku.slice(0, 10),
      skus_exposed: f.exposureBySku.length,
      shown_beyond_stock_at_rest: f.skus.reduce(
        (a, s) => a + Math.max(0, s.visible.kuaishou + s.visible.youzan + s.sold.kuaishou + s.sold.youzan - s.physical),
        0,
      ),
      // Units sold beyond physical are oversold, not sell-through.
      sellthrough: sellable > 0 ? Math.round((realSold / sellable) * 10_000) / 10_000 : 1,
      units_sold: f.unitsSold,
      sold_by_platform: f.soldBy,
      physical_units: f.physicalUnits,
      stranded_units: report.strandedUnits,
      unsold: unsold.map((s) => ({ sku: s.code, physical: s.physical, sold: s.sold, shown: s.visible })),
      unsold_as_the_service_sees_them: serviceView,
      faults_fired: faultsFired,
      faults_not_fired: notFired,
      faults_fired_by_platform: {
        kuaishou: report.counters.kuaishou.faultsFired,
        youzan: report.counters.youzan.faultsFired,
      },
      latency_ms: f.latencyMs,
      platform_writes: f.apiWrites,
      double_applies: report.counters.kuaishou.duplicateOperationIds + report.counters.youzan.duplicateOperationIds,
      observer_mismatches: report.mismatches,
      platforms_event_loop_delay_ms: report.eventLoopDelayMs,
      buy_attempts: storm.attempts,
      orders: storm.orders,
      buyer_errors: storm.buyerErrors,
      pushes: { kuaishou: report.counters.kuaishou.push, youzan: report.counters.youzan.push },
      chaos,
      storm_started_at: stormStarted,
      timelines_of_exposed_or_unsold_skus: f.timelines,
      service_down_ms: serviceDownMs,
      settled: settled.quiet,
      settle_ms: settled.waitedMs,
      storm_ms: stormMs,
      storm_and_chaos_ms: chaosMs,
      setup_ms: stormStarted - setupStarted,
      total_ms: Date.now() - started,
      stages_since_restart: {
        publish_lag_by_topic: histogramStages(metricsText, 'kwaizan_outbox_publish_lag_seconds', 'topic'),
        handle_time_by_consumer: histogramStages(metricsText, 'kwaizan_event_handle_seconds', 'consumer'),
        platform_call_by_api: histogramStages(metricsText, 'kwaizan_platform_call_seconds', 'api'),
        stock_sync_phase: histogramStages(metricsText, 'kwaizan_stock_sync_phase_seconds', 'phase'),
        ledger_lock_wait: histogramStages(metricsText, 'kwaizan_ledger_lock_wait_seconds', 'none'),
      },
      params: { ...p, out: undefined, db: p.db === 'sqlite' ? 'embedded sqlite' : 'mysql' },
      at: new Date().toISOString(),
    };
    mkdirSync(join(p.out, '..'), { recursive: true });
    writeFileSync(p.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      [
        `oversell storm: ${p.buyers} buyers, ${p.skus} SKUs, ${f.physicalUnits} units, ${p.durationS}s`,
        `  oversold units           ${result.oversold_units}`,
        `  max exposure over stock  ${result.max_exposure_over_stock} (${result.skus_exposed} SKUs ever above 0)`,
        `  sell-through             ${(result.sellthrough * 100).toFixed(2)}% (${realSold} of ${sellable} sellable units; ${report.strandedUnits} stranded; ${f.unitsSold} sold in all)`,
        `  double applies           ${result.double_applies}`,
        `  latency                  p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms (sale on one platform → stock write applied on the other)`,
        `  faults fired             ${Object.entries(faultsFired)
          .map(([k, n]) => `${k}=${n}`)
          .join(' ')}`,
        `  faults not fired         ${notFired.length ? notFired.join(' ') : 'none'}`,
        `  storm ${stormMs} ms, settled ${settled.quiet ? 'yes' : 'NO'}, total ${result.total_ms} ms → ${p.out}`,
      ].join('\n'),
    );
    if (result.oversold_units > 0 || result.max_exposure_over_stock > 0 || result.double_applies > 0)
      process.exitCode = 1;
    if (notFired.length || result.sellthrough < 0.99) process.exitCode = 1;
  } finally {
    await service.stop();
    worker.disconnect();
    if (databaseName) await dropBenchDatabase(p.db, databaseName);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
