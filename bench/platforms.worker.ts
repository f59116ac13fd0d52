import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SANDBOX_CREDENTIALS } from '../src/config/app-config';
import type { CountersSnapshot } from '../src/sandbox/shared/counters';
import { SeededRandom } from '../src/sandbox/shared/random';
import { SandboxError } from '../src/sandbox/shared/control.errors';
import { KuaishouEmulator } from '../src/sandbox/kuaishou/kuaishou.emulator';
import { YouzanEmulator } from '../src/sandbox/youzan/youzan.emulator';
import { dueBy } from './bench-stats';
import { ObservedSku, ObserverFigures, StormObserver, StormPlatform } from './storm-observer';

/**
 * "The platforms" of a benchmark, in a process of their own: both emulators, the buyers that
 * hammer them, and the observer that measures exposure and latency from the emulators' own state
 * and timestamps. Driven over IPC by the benchmark process.
 */
export interface PlatformOptions {
  pushBaseUrl: string;
  seed: number;
  /** Youzan refuses type-1 stock updates with a negative quantity. */
  refuseNegativeIncrement: boolean;
}

export type WorkerRequest =
  | { kind: 'start'; options: PlatformOptions }
  | { kind: 'track'; skus: ObservedSku[] }
  | { kind: 'physical'; updates: { code: string; onHand: number }[] }
  | {
      kind: 'storm';
      skus: ObservedSku[];
      youzanShop: number;
      buyers: number;
      durationS: number;
      retryMinMs: number;
      retryMaxMs: number;
      seed: number;
    }
  | {
      kind: 'rate';
      skus: ObservedSku[];
      youzanShop: number;
      ratePerS: number;
      durationS: number;
      seed: number;
    }
  | { kind: 'reset' }
  | { kind: 'latencies' }
  | { kind: 'quiet'; quietMs: number; maxMs: number }
  | { kind: 'visible'; codes: string[] }
  | { kind: 'report'; unwritable: StormPlatform[] };

export type WorkerAnswer =
  | { kind: 'ready'; kuaishouUrl: string; youzanUrl: string }
  | { kind: 'ok' }
  | { kind: 'storm-done'; attempts: number; orders: number; buyerErrors: number; stormMs: number }
  | {
      kind: 'rate-done';
      sent: number;
      refused: number;
      lagsMs: number[];
      firstAt: number;
      lastAt: number;
      /** Sales per 1 s bucket since the first send, to chart. */
      perSecond: number[];
    }
  | { kind: 'latencies'; samples: number[] }
  | { kind: 'quiet-done'; quiet: boolean; waitedMs: number; lastChangeAt: number }
  | { kind: 'visible'; visible: Record<string, Record<StormPlatform, number>> }
  | {
      kind: 'report';
      figures: ObserverFigures;
      strandedUnits: number;
      mismatches: string[];
      counters: { kuaishou: CountersSnapshot; youzan: CountersSnapshot };
      eventLoopDelayMs: { p50: number; p99: number; max: number };
    }
  | { kind: 'error'; message: string };

export interface WorkerEnvelope<T> {
  id: number;
  body: T;
}

let emulators: { ks: KuaishouEmulator; yz: YouzanEmulator } | undefined;
let observer = new StormObserver();
// How late this process ran its callbacks: a saturated platforms process would distort every figure.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let tracked: ObservedSku[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(options: PlatformOptions): Promise<WorkerAnswer> {
  const retry = [500, 1500, 4000, 8000];
  const ks = await KuaishouEmulator.start({
    ...SANDBOX_CREDENTIALS.kuaishou,
    seedShops: 0,
    seed: options.seed,
    pushUrl: `${options.pushBaseUrl}/webhooks/kuaishou`,
    pushRetryDelaysMs: retry,
  });
  const yz = await YouzanEmulator.start({
    ...SANDBOX_CREDENTIALS.youzan,
    seed: options.seed + 1,
    pushUrl: `${options.pushBaseUrl}/webhooks/youzan`,
    pushRetryDelaysMs: retry,
    refuseNegativeIncrement: options.refuseNegativeIncrement,
  });
  ks.store.stockListener = (change) => observer.change('kuaishou', change);
  yz.store.stockListener = (change) => observer.change('youzan', change);
  emulators = { ks, yz };
  return { kind: 'ready', kuaishouUrl: ks.url, youzanUrl: yz.url };
}

function track(skus: ObservedSku[]): WorkerAnswer {
  tracked = skus;
  observer.track(skus);
  for (const s of skus) {
    observer.seed('kuaishou', s.ks.itemId, s.ks.skuId, platformStock('kuaishou', s));
    observer.seed('youzan', s.yz.itemId, s.yz.skuId, platformStock('youzan', s));
  }
  return { kind: 'ok' };
}

function platformStock(platform: StormPlatform, sku: ObservedSku): number {
  if (platform === 'kuaishou')
    return emulators!.ks.store.items.get(sku.ks.itemId)!.skus.find((s) => s.kwaiSkuId === sku.ks.skuId)!.stock;
  return emulators!.yz.store.items.get(sku.yz.itemId)!.skus.find((s) => String(s.skuId) === sku.yz.skuId)!.stock;
}

/**
 * Every buyer keeps trying until the storm ends, whatever it or anyone else bought: nobody knows
 * the true stock. Buyer i wants SKU i mod S on one platform, so every SKU has buyers on both.
 */
async function storm(request: Extract<WorkerRequest, { kind: 'storm' }>): Promise<WorkerAnswer> {
  const dice = new SeededRandom(request.seed);
  const random = () => dice.next();
  const { ks, yz } = emulators!;
  const started = Date.now();
  const deadline = started + request.durationS * 1000;
  let attempts = 0;
  let orders = 0;
  let buyerErrors = 0;
  const pause = () => sleep(request.retryMinMs + random() * (request.retryMaxMs - request.retryMinMs));
  const buyer = async (index: number) => {
    const sku = request.skus[index % request.skus.length];
    const platform: StormPlatform = Math.floor(index / request.skus.length) % 2 === 0 ? 'kuaishou' : 'youzan';
    await sleep(random() * 1500);
    while (Date.now() < deadline) {
      attempts++;
      // Straight into the platform's order book (what its checkout does): buyers over HTTP would
      // queue the control API and the service's calls behind thousands of checkouts.
      try {
        if (platform === 'kuaishou')
          ks.store.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity: 1, pay: true });
        else
          yz.store.placeOrder({
            kdtId: request.youzanShop,
            lines: [{ skuId: Number(sku.yz.skuId), quantity: 1 }],
            pay: true,
          });
        orders++;
      } catch (error) {
        if (!(error instanceof SandboxError && error.status === 409)) buyerErrors++;
      }
      await pause();
    }
  };
  await Promise.all(Array.from({ length: request.buyers }, (_, i) => buyer(i)));
  return { kind: 'storm-done', attempts, orders, buyerErrors, stormMs: Date.now() - started };
}

/**
 * Open-loop load: sale i is due at start + i / rate (one unit of a SKU picked at random, on a
 * platform picked at random), whatever happened to the sales before it. Each wake-up sends every
 * sale already due, so a late timer shows up as lag, not as a lower rate.
 */
async function rate(request: Extract<WorkerRequest, { kind: 'rate' }>): Promise<WorkerAnswer> {
  const dice = new SeededRandom(request.seed);
  const { ks, yz } = emulators!;
  const total = Math.max(1, Math.round(request.ratePerS * request.durationS));
  const lagsMs: number[] = [];
  const buckets: number[] = [];
  let refused = 0;
  const start = Date.now() + 20;
  let sent = 0;
  while (sent < total) {
    const due = dueBy(start, request.ratePerS, total, Date.now());
    for (; sent < due; sent++) {
      const now = Date.now();
      lagsMs.push(now - (start + (sent * 1000) / request.ratePerS));
      const second = Math.floor((now - start) / 1000);
      buckets[second] = (buckets[second] ?? 0) + 1;
      const sku = request.skus[Math.floor(dice.next() * request.skus.length)];
      try {
        if (dice.next() < 0.5)
          ks.store.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity: 1, pay: true });
        else
          yz.store.placeOrder({
            kdtId: request.youzanShop,
            lines: [{ skuId: Number(sku.yz.skuId), quantity: 1 }],
            pay: true,
          });
      } catch {
        refused++;
      }
    }
    if (sent < total) await sleep(Math.max(0, start + (sent * 1000) / request.ratePerS - Date.now()));
  }
  return {
    kind: 'rate-done',
    sent,
    refused,
    lagsMs,
    firstAt: start,
    lastAt: Date.now(),
    perSecond: Array.from(buckets, (n) => n ?? 0),
  };
}

/** Waits until neither emulator's stock moved for quietMs and no push is waiting for delivery. */
async function quiet(quietMs: number, maxMs: number): Promise<WorkerAnswer> {
  const started = Date.now();
  while (Date.now() - started < maxMs) {
    const pending = emulators!.ks.counters.snapshot().push.pending + emulators!.yz.counters.snapshot().push.pending;
    if (pending === 0 && Date.now() - observer.lastChangeAt >= quietMs)
      return { kind: 'quiet-done', quiet: true, waitedMs: Date.now() - started, lastChangeAt: observer.lastChangeAt };
    await sleep(200);
  }
  return { kind: 'quiet-done', quiet: false, waitedMs: Date.now() - started, lastChangeAt: observer.lastChangeAt };
}

function report(unwritable: StormPlatform[]): WorkerAnswer {
  const byCode = new Map(tracked.map((s) => [s.code, s]));
  const mismatches = observer.verify((platform, code) => platformStock(platform, byCode.get(code)!));
  let strandedUnits = 0;
  for (const s of tracked) {
    const visible = observer.visible(s.code);
    for (const p of unwritable) strandedUnits += visible[p];
    // A listing the service took off the shelf (the platform refused to lower it) sells nothing.
    if (!unwritable.includes('kuaishou') && emulators!.ks.store.items.get(s.ks.itemId)!.shelf !== 1)
      strandedUnits += visible.kuaishou;
    if (!unwritable.includes('youzan') && !emulators!.yz.store.items.get(s.yz.itemId)!.listed)
      strandedUnits += visible.youzan;
  }
  return {
    kind: 'report',
    figures: observer.figures(),
    strandedUnits,
    mismatches,
    counters: { kuaishou: emulators!.ks.counters.snapshot(), youzan: emulators!.yz.counters.snapshot() },
    eventLoopDelayMs: {
      p50: Math.round(loopDelay.percentile(50) / 1e6),
      p99: Math.round(loopDelay.percentile(99) / 1e6),
      max: Math.round(loopDelay.max / 1e6),
    },
  };
}

async function handle(message: WorkerRequest): Promise<WorkerAnswer> {
  switch (message.kind) {
    case 'start':
      return start(message.options);
    case 'track':
      return track(message.skus);
    case 'physical':
      for (const u of message.updates) observer.physical(u.code, u.onHand, Date.now());
      return { kind: 'ok' };
    case 'storm':
      return storm(message);
    case 'rate':
      return rate(message);
    case 'reset':
      observer = new StormObserver();
      track(tracked);
      return { kind: 'ok' };
    case 'latencies':
      return { kind: 'latencies', samples: observer.latencySamples() };
    case 'quiet':
      return quiet(message.quietMs, message.maxMs);
    case 'report':
      return report(message.unwritable);
    case 'visible':
      return {
        kind: 'visible',
        visible: Object.fromEntries(message.codes.map((code) => [code, observer.visible(code)])),
      };
  }
}

process.on('message', (message: WorkerEnvelope<WorkerRequest>) => {
  const reply = (body: WorkerAnswer) => process.send!({ id: message.id, body });
  handle(message.body).then(reply, (error: Error) => reply({ kind: 'error', message: error.stack ?? error.message }));
});

process.on('disconnect', () => {
  void Promise.all([emulators?.ks.stop(), emulators?.yz.stop()]).finally(() => process.exit(0));
});
