import 'reflect-metadata';
import { createServer as createHttpServer, Server } from 'node:http';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import { KUAISHOU_API_QPS, KUAISHOU_DEFAULT_API_QPS } from '@app/platforms/kuaishou/kuaishou-rate-limits';
import { YOUZAN_API_QPS, YOUZAN_DEFAULT_API_QPS } from '@app/platforms/youzan/youzan-rate-limits';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { KuaishouEmulator } from '@app/sandbox/kuaishou/kuaishou.emulator';
import { SeededRandom } from '@app/sandbox/shared/random';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { YouzanEmulator } from '@app/sandbox/youzan/youzan.emulator';
import { benchAccess } from './bench-access';
import {
  connectShops,
  createBenchDatabase,
  discoverSkus,
  dropBenchDatabase,
  freePort,
  listOnBoth,
  serviceBaseEnv,
} from './bench-setup';
import { dueBy, textTable, writeResult } from './bench-stats';
import { ErpDriver } from './erp-driver';
import {
  EmulatorOrder,
  FlagSpec,
  lostOrders,
  onTimeRate,
  ordersPerMinute,
  parseFlags,
  qpsCeilingPerMinute,
  writebackLatency,
} from './orders-stats';
import { ServiceProcess } from './service.process';

/**
 * Orders benchmark: the real service in its own process against both emulators (in this process,
 * with the platforms' documented QPS enforced), and an ERP that subscribes to the service's
 * outbound order webhooks and ships through the signed ERP shipment webhook.
 * 1. push: a burst of orders, pushes delivered; 2. poll: a burst with every push dropped;
 * 3. storm: orders with tight ship-by deadlines at a steady rate, the ERP shipping each after a
 * handling delay. Every figure comes from the emulators' order books (creation, pay, deadline,
 * shipment timestamps) and from what the ERP receiver got — never from the service.
 */
const SPECS: FlagSpec[] = [
  { name: 'push-orders', fallback: 120, help: 'orders in the push burst (half per platform)' },
  { name: 'poll-orders', fallback: 120, help: 'orders in the poll-only burst (every push dropped)' },
  { name: 'burst-rate', fallback: 200, help: 'orders per second offered in the push and poll bursts' },
  { name: 'poll-ms', fallback: 2000, help: 'ORDER_POLL_INTERVAL_MS of the service' },
  { name: 'storm-orders', fallback: 300, help: 'orders in the ship-to-deadline storm' },
  { name: 'storm-rate', fallback: 4, help: 'storm orders per second' },
  { name: 'promise-s', fallback: 120, help: 'ship-by after payment, s (Kuaishou item promise; Youzan bench promise)' },
  { name: 'ship-delay-min-ms', fallback: 2000, help: 'ERP handling time before it ships, lower bound' },
  { name: 'ship-delay-max-ms', fallback: 30_000, help: 'ERP handling time before it ships, upper bound' },
  { name: 'late-share', fallback: 0.02, help: 'share of orders the ERP ships only after their deadline' },
  { name: 'erp-concurrency', fallback: 16, help: 'ERP shipment webhooks in flight at once' },
  { name: 'skus', fallback: 20, help: 'SKUs listed on both platforms' },
  { name: 'phase-max-s', fallback: 90, help: 'longest wait for a phase to drain' },
  { name: 'seed', fallback: 7, help: 'random seed' },
];
const USAGE = [
  'npm run bench:orders -- [flags]',
  'Writes bench/results/orders.json (BENCH_ORDERS_OUT overrides); MariaDB from BENCH_DATABASE_URL',
  '(default mysql://root@127.0.0.1:3306/), a fresh database per run.',
].join('\n');

type Platform = 'kuaishou' | 'youzan';
type Phase = 'push' | 'poll' | 'storm';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ERP's webhook endpoint: verifies every delivery with the Standard Webhooks library and notes the first receipt per platform order. */
class ErpReceiver {
  readonly receivedAt = new Map<string, number>();
  rejected = 0;
  deliveries = 0;
  onOrder?: (platformOrderId: string, platform: Platform) => void;
  private server?: Server;
  secret = '';

  async start(): Promise<string> {
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const event = new Webhook(this.secret).verify(body, req.headers as Record<string, string>) as {
            data: { platform: Platform; platformOrderId: string };
          };
          this.deliveries++;
          const id = event.data.platformOrderId;
          if (!this.receivedAt.has(id)) {
            this.receivedAt.set(id, Date.now());
            this.onOrder?.(id, event.data.platform);
          }
          res.writeHead(204).end();
        } catch {
          this.rejected++;
          res.writeHead(400).end();
        }
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${port}/erp/hooks`;
  }

  stop(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

async function main(): Promise<void> {
  const parsed = parseFlags(process.argv.slice(2), SPECS, USAGE);
  if ('help' in parsed) {
    console.log(parsed.help);
    return;
  }
  const p = parsed.values;
  const db = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';
  const out = process.env.BENCH_ORDERS_OUT ?? join(__dirname, '..', '..', 'bench', 'results');
  const dice = new SeededRandom(p.seed);
  const started = Date.now();
  const database = await createBenchDatabase(db, 'kz_bench_orders');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  // The platforms, with their documented QPS on the order and shipping APIs.
  const ks = await KuaishouEmulator.start({
    ...SANDBOX_CREDENTIALS.kuaishou,
    seedShops: 0,
    seed: p.seed,
    pushUrl: `${url}/webhooks/kuaishou`,
    pushRetryDelaysMs: [500, 1500, 4000, 8000],
  });
  const yz = await YouzanEmulator.start({
    ...SANDBOX_CREDENTIALS.youzan,
    seed: p.seed + 1,
    pushUrl: `${url}/webhooks/youzan`,
    pushRetryDelaysMs: [500, 1500, 4000, 8000],
  });
  const ksQps = (api: string) => KUAISHOU_API_QPS[api] ?? KUAISHOU_DEFAULT_API_QPS;
  const yzQps = (api: string) => YOUZAN_API_QPS[api] ?? YOUZAN_DEFAULT_API_QPS;
  const ksApis = ['open.order.cursor.list', 'open.order.detail', 'open.seller.order.goods.deliver'];
  const yzApis = ['youzan.trades.sold.get', 'youzan.trade.get', 'youzan.logistics.online.confirm'];
  const documentedQps = {
    kuaishou: Object.fromEntries(ksApis.map((a) => [a, ksQps(a)])),
    youzan: Object.fromEntries(yzApis.map((a) => [a, yzQps(a)])),
  };
  const ksControl = new KuaishouSandboxControl(ks.url);
  const yzControl = new YouzanSandboxControl(yz.url);
  const limits = (pushLoss: number) => ({
    ks: { rules: ksApis.map((api) => ({ api, maxQps: ksQps(api) })), push: { lossRate: pushLoss } },
    yz: { rules: yzApis.map((api) => ({ api, maxQps: yzQps(api) })), push: { lossRate: pushLoss } },
  });
  const setPushLoss = async (loss: number) => {
    await ksControl.setFaults(limits(loss).ks);
    await yzControl.setFaults(limits(loss).yz);
  };
  await setPushLoss(0);

  const serviceEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    ...serviceBaseEnv({
      url,
      port,
      ks: ks.url,
      yz: yz.url,
      dataDir: join(__dirname, '..', '..', 'data', `bench-orders-${Date.now()}`),
    }),
    OUTBOX_POLL_INTERVAL_MS: '100',
    ORDER_POLL_INTERVAL_MS: String(p['poll-ms']),
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_RETRY_DELAYS_S: '1,2,4,8,16,32,64,128',
  };
  const service = new ServiceProcess(url, serviceEnv);
  const receiver = new ErpReceiver();
  try {
    await service.start();
    const setupStarted = Date.now();
    const access = await benchAccess(serviceEnv, url);
    const merchantId = access.merchantId;
    const asOwner = {
      'content-type': 'application/json',
      cookie: access.owner.cookie,
      'x-csrf-token': access.owner.csrf,
    };
    const hookUrl = await receiver.start();
    const subscribed = await fetch(`${url}/api/merchants/${merchantId}/webhooks/subscriptions`, {
      method: 'POST',
      headers: asOwner,
      body: JSON.stringify({ url: hookUrl, eventTypes: ['order.created', 'order.paid'], description: 'bench ERP' }),
    });
    if (subscribed.status !== 201) throw new Error(`subscription: ${subscribed.status} ${await subscribed.text()}`);
    receiver.secret = ((await subscribed.json()) as { secret: string }).secret;

    const controls = { ks: ksControl, yz: yzControl };
    const shops = await connectShops(url, access, controls, '快手小店');
    const { ksShop, yzShop } = shops;
    const skus: { code: string; ks: { itemId: string; skuId: string }; yz: { itemId: string; skuId: number } }[] = [];
    for (let i = 0; i < p.skus; i++) {
      const code = `ORD-${String(i + 1).padStart(3, '0')}`;
      const listed = await listOnBoth(controls, shops, code, {
        title: `订单压测 ${code}`,
        priceFen: 1990,
        promiseSeconds: p['promise-s'],
      });
      skus.push({ code, ks: listed.ks, yz: { itemId: listed.yz.itemId, skuId: Number(listed.yz.skuId) } });
    }
    await discoverSkus(url, merchantId, asOwner);
    const erp = new ErpDriver(url, access.erpKey, () => Promise.resolve());
    await erp.send(skus.map((s) => ({ skuCode: s.code, onHand: 1_000_000 })));
    const stocked = () =>
      skus.every(
        (s) => ks.store.items.get(s.ks.itemId)!.skus[0].stock > 0 && yz.store.items.get(s.yz.itemId)!.skus[0].stock > 0,
      );
    for (const until = Date.now() + 60_000; !stocked(); await sleep(250))
      if (Date.now() > until) throw new Error('the ERP stock never reached both platforms');

    // Every order the bench places, by platform order id.
    const placed = new Map<string, { platform: Platform; phase: Phase }>();
    const place = (phase: Phase): void => {
      const sku = skus[Math.floor(dice.next() * skus.length)];
      const platform: Platform = placed.size % 2 === 0 ? 'kuaishou' : 'youzan';
      const id =
        platform === 'kuaishou'
          ? ks.store.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity: 1, pay: true }).oid
          : yz.store.placeOrder({ kdtId: yzShop.kdtId, lines: [{ skuId: sku.yz.skuId, quantity: 1 }], pay: true }).tid;
      placed.set(id, { platform, phase });
    };
    /** Open loop: order i is due at start + i / rate, whatever happened to the ones before. */
    const offer = async (phase: Phase, total: number, ratePerS: number) => {
      const start = Date.now();
      let sent = 0;
      while (sent < total) {
        for (const due = dueBy(start, ratePerS, total, Date.now()); sent < due; sent++) place(phase);
        if (sent < total) await sleep(Math.max(1, start + (sent * 1000) / ratePerS - Date.now()));
      }
    };
    const idsOf = (phase: Phase) => [...placed].filter(([, v]) => v.phase === phase).map(([id]) => id);
    const drain = async (done: () => boolean) => {
      for (const until = Date.now() + p['phase-max-s'] * 1000; !done() && Date.now() < until;) await sleep(250);
    };
    const allReceived = (phase: Phase) => () => idsOf(phase).every((id) => receiver.receivedAt.has(id));

    // The ERP ships each storm order after its handling time (a few only after their deadline).
    const shipmentSentAt = new Map<string, number>();
    const shipmentErrors: string[] = [];
    const queue: { id: string; at: number }[] = [];
    let inFlight = 0;
    let waybill = 0;
    const ship = async (id: string) => {
      inFlight++;
      try {
        shipmentSentAt.set(id, Date.now());
        await erp.post('/webhooks/erp/shipments', {
          orderId: id,
          carrier: 'SF',
          trackingNo: `SF${String(1_000_000_000 + ++waybill)}`,
        });
      } catch (error) {
        shipmentErrors.push(`${id}: ${(error as Error).message}`);
      } finally {
        inFlight--;
      }
    };
    let shipping = true;
    const shipper = (async () => {
      while (shipping || queue.length) {
        queue.sort((a, b) => a.at - b.at);
        while (queue.length && queue[0].at <= Date.now() && inFlight < p['erp-concurrency'])
          void ship(queue.shift()!.id);
        await sleep(50);
      }
    })();
    receiver.onOrder = (id) => {
      if (placed.get(id)?.phase !== 'storm') return;
      const late = dice.next() < p['late-share'];
      const delay = late
        ? p['promise-s'] * 1000 + p['ship-delay-min-ms']
        : p['ship-delay-min-ms'] + dice.next() * (p['ship-delay-max-ms'] - p['ship-delay-min-ms']);
      queue.push({ id, at: Date.now() + delay });
    };

    const phases: Record<string, { ms: number }> = {};
    const timed = async (name: string, run: () => Promise<void>) => {
      const t = Date.now();
      await run();
      phases[name] = { ms: Date.now() - t };
      console.log(`orders bench: ${name} phase done in ${phases[name].ms} ms`);
    };
    await timed('push', async () => {
      await offer('push', p['push-orders'], p['burst-rate']);
      await drain(allReceived('push'));
    });
    await timed('poll', async () => {
      await setPushLoss(1);
      await offer('poll', p['poll-orders'], p['burst-rate']);
      await drain(allReceived('poll'));
      await setPushLoss(0);
    });
    const stormStarted = Date.now();
    await timed('storm', async () => {
      await offer('storm', p['storm-orders'], p['storm-rate']);
      await drain(() => {
        const ids = idsOf('storm');
        return ids.every((id) => receiver.receivedAt.has(id)) && ids.every((id) => shipmentSentAt.has(id)) && !inFlight;
      });
      shipping = false;
      await shipper;
      await drain(() => idsOf('storm').every((id) => shippedAt(id) !== undefined));
    });

    // The emulators' own order books.
    const promiseMs = p['promise-s'] * 1000;
    function shippedAt(id: string): number | undefined {
      if (placed.get(id)!.platform === 'kuaishou') return ks.store.orders.get(id)!.sendTime || undefined;
      const order = yz.store.orders.get(id)!;
      return order.consignTime || undefined;
    }
    const emulatorOrder = (id: string): EmulatorOrder => {
      if (placed.get(id)!.platform === 'kuaishou') {
        const o = ks.store.orders.get(id)!;
        return { id, createdAt: o.createTime, deadlineAt: o.validPromise, shippedAt: o.sendTime || undefined };
      }
      const o = yz.store.orders.get(id)!;
      return { id, createdAt: o.created, deadlineAt: o.payTime! + promiseMs, shippedAt: o.consignTime || undefined };
    };
    const ordersOf = (phase: Phase, platform?: Platform) =>
      idsOf(phase)
        .filter((id) => !platform || placed.get(id)!.platform === platform)
        .map(emulatorOrder);
    const all = [...placed.keys()].map(emulatorOrder);
    const emulatorTotal = ks.store.ordersOf(ksShop.openId).length + yz.store.ordersOf(yzShop.kdtId).length;
    const lost = lostOrders(all, receiver.receivedAt);
    const storm = ordersOf('storm');
    const writeback = writebackLatency(storm, shipmentSentAt);
    const byPlatform = (platform: Platform) => ({
      orders_per_min_push: ordersPerMinute(ordersOf('push', platform), receiver.receivedAt),
      orders_per_min_poll: ordersPerMinute(ordersOf('poll', platform), receiver.receivedAt),
      on_time_rate: onTimeRate(ordersOf('storm', platform)),
      shipment_writeback_ms: writebackLatency(ordersOf('storm', platform), shipmentSentAt),
    });
    const result = {
      orders_per_min_push: ordersPerMinute(ordersOf('push'), receiver.receivedAt),
      orders_per_min_poll: ordersPerMinute(ordersOf('poll'), receiver.receivedAt),
      on_time_rate: onTimeRate(storm),
      shipment_writeback_ms: { p50: writeback.p50, p99: writeback.p99, max: writeback.max, samples: writeback.samples },
      lost_orders: lost.length,
      received_by_phase: Object.fromEntries(
        (['push', 'poll', 'storm'] as const).map((phase) => [
          phase,
          { placed: idsOf(phase).length, received: idsOf(phase).filter((id) => receiver.receivedAt.has(id)).length },
        ]),
      ),
      lost_order_ids: lost.slice(0, 20),
      by_platform: { kuaishou: byPlatform('kuaishou'), youzan: byPlatform('youzan') },
      storm: {
        orders: storm.length,
        shipped: storm.filter((o) => o.shippedAt).length,
        erp_shipments_sent: shipmentSentAt.size,
        erp_shipment_errors: shipmentErrors.length,
        erp_shipment_error_samples: shipmentErrors.slice(0, 5),
        planned_late_share: p['late-share'],
        order_to_shipped_ms: writebackLatency(storm, new Map(storm.map((o) => [o.id, o.createdAt]))),
      },
      emulator_orders: emulatorTotal,
      erp_receiver: { deliveries: receiver.deliveries, rejected_signatures: receiver.rejected },
      documented_qps: documentedQps,
      ceiling_orders_per_min: {
        push_kuaishou_detail: qpsCeilingPerMinute(ksQps('open.order.detail'), 1),
        push_youzan_trade_get: qpsCeilingPerMinute(yzQps('youzan.trade.get'), 1),
        poll_kuaishou_cursor_list_100_per_page: qpsCeilingPerMinute(ksQps('open.order.cursor.list'), 100),
        poll_youzan_trades_sold_get_100_per_page: qpsCeilingPerMinute(yzQps('youzan.trades.sold.get'), 100),
      },
      emulator_counters: { kuaishou: ks.counters.snapshot(), youzan: yz.counters.snapshot() },
      how_measured:
        'Ingest: emulator createTime of each burst order → first signed order webhook the ERP receiver verified; orders/min = received / (last receipt − first creation). On time: shipped on the emulator (Kuaishou sendTime, Youzan consign time) by the deadline (Kuaishou validPromiseShipmentTimeStamp; Youzan has no ship-by field: emulator pay time + promise-s). Write-back: ERP shipment webhook sent → shipment applied on the emulator. Lost: emulator orders the ERP receiver never got.',
      phases,
      storm_started_at: new Date(stormStarted).toISOString(),
      setup_ms: stormStarted - setupStarted,
      total_ms: Date.now() - started,
      params: p,
      at: new Date().toISOString(),
    };
    const file = writeResult(out, 'orders', result);
    console.log(
      textTable([
        ['figure', 'value'],
        ['orders/min through pushes', result.orders_per_min_push],
        ['orders/min polling alone', result.orders_per_min_poll],
        ['on-time rate (storm)', `${(result.on_time_rate * 100).toFixed(2)} %`],
        ['shipment write-back p50 / p99', `${writeback.p50} / ${writeback.p99} ms`],
        ['lost orders', result.lost_orders],
        ['storm orders shipped', `${result.storm.shipped} of ${storm.length}`],
      ]),
    );
    console.log(`→ ${file} (${result.total_ms} ms)`);
    if (result.lost_orders > 0 || result.storm.erp_shipment_errors > 0) process.exitCode = 1;
  } finally {
    await service.stop();
    await receiver.stop();
    await Promise.all([ks.stop(), yz.stop()]);
    await dropBenchDatabase(db, database.name);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
