import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERP_HEADERS, signErpPayload } from '../auth/erp-signature';
import { KuaishouSandboxControl } from '../sandbox/kuaishou/kuaishou-sandbox.control';
import { connectInBrowser } from '../sandbox/sandbox-connect';
import { YouzanSandboxControl } from '../sandbox/youzan/youzan-sandbox.control';

/**
 * `npm run demo`: the story a newcomer can watch, on embedded defaults (bundled emulators, embedded
 * SQLite in a fresh folder, in-process events). It starts the built service, drives it over HTTP as a
 * merchant's browser and an ERP would, runs a flash sale against the emulators, and prints a summary
 * computed from the emulators' own state. The service keeps running until Ctrl-C (`--exit`: stop after
 * the summary, exit code 0 only when nothing was oversold and parity held).
 *   npm run demo -- [--skus=3] [--stock=5] [--buyers=40] [--exit]
 */
export interface DemoOptions {
  skus: number;
  stock: number;
  buyers: number;
  exit: boolean;
  port: number;
  kuaishouPort: number;
  youzanPort: number;
}

export interface DemoSummary {
  oversoldUnits: number;
  unitsSold: number;
  unitsInWarehouse: number;
  soldBy: { kuaishou: number; youzan: number };
  parity: { held: boolean; maxSpreadPct: number };
  shipped: { orders: number; ofOrders: number };
  deadlines: { met: number; missed: number };
  coupons: { kuaishou: number; youzan: number };
  /** Failures of the sync (refused or missing write-backs), by kind. */
  failures: Record<string, number>;
  /** Buyers a platform refused (sold out there), by platform and the platform's reason. */
  turnedAway: Record<string, number>;
}

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`--${name} must be a whole number from 1 to 10000`);
  return n;
}

export function demoOptions(args: string[], env: NodeJS.ProcessEnv): DemoOptions {
  return {
    skus: option(args, 'skus', 3),
    stock: option(args, 'stock', 5),
    buyers: option(args, 'buyers', 40),
    exit: args.includes('--exit'),
    port: Number(env.PORT ?? 3000),
    kuaishouPort: Number(env.SANDBOX_KUAISHOU_PORT ?? 3101),
    youzanPort: Number(env.SANDBOX_YOUZAN_PORT ?? 3102),
  };
}

const say = (step: string, text: string) => console.log(`\n▶ ${step}\n  ${text}`);
const note = (text: string) => console.log(`  · ${text}`);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`demo: gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function erpPost(url: string, path: string, key: { keyId: string; secret: string }, payload: unknown) {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const deliveryId = randomUUID();
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ERP_HEADERS.keyId]: key.keyId,
      [ERP_HEADERS.timestamp]: String(timestamp),
      [ERP_HEADERS.delivery]: deliveryId,
      [ERP_HEADERS.signature]: signErpPayload(key.secret, timestamp, deliveryId, body),
    },
    body,
  });
}

export async function runDemo(options: DemoOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const url = `http://localhost:${options.port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'kwaizan-demo-'));
  say('1/9 Start the service', `embedded defaults, fresh data in ${dataDir}`);
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, '..', 'main.js')], {
    env: {
      PATH: env.PATH,
      HOME: env.HOME,
      PORT: String(options.port),
      DATA_DIR: dataDir,
      SANDBOX_KUAISHOU_PORT: String(options.kuaishouPort),
      SANDBOX_YOUZAN_PORT: String(options.youzanPort),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Stopped through npm (which may not pass SIGTERM on): stop the service too.
  const parent = process.ppid;
  setInterval(() => {
    if (parent > 1 && process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
  void exited.then(() => {
    if (!stopping) {
      console.error(`\nthe service stopped:\n${log.slice(-2000)}`);
      process.exit(1);
    }
  });
  let stopping = false;
  try {
    await until('the service to answer /health', async () => (await fetch(`${url}/health`)).ok, 120_000);
    const m =
      /merchant owner (\S+) \/ ([A-Za-z0-9_-]+) \(merchant ([0-9a-f-]{36})\); ops (\S+) \/ ([A-Za-z0-9_-]+)\./.exec(
        log,
      );
    if (!m) throw new Error(`no sandbox sign-in in the service's log:\n${log}`);
    const [, email, password, merchantId, opsEmail, opsPassword] = m;
    const api = `${url}/api/merchants/${merchantId}`;

    say('2/9 Sign in as the merchant user', `${email} (created on the first start, merchant ${merchantId})`);
    const signIn = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status}`);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
    const get = async <T>(path: string) => {
      const res = await fetch(`${api}${path}`, { headers: { cookie } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const post = async <T>(path: string, body: unknown = {}) => {
      const res = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };

    say('3/9 Connect both shops', 'through the emulators’ OAuth pages, following the redirects as a browser would');
    for (const platform of ['kuaishou', 'youzan'] as const) {
      const result = await connectInBrowser(url, merchantId, platform, { cookie });
      if (result.status !== 200) throw new Error(`connecting ${platform}: ${result.status}`);
      note(`${platform}: connected`);
    }
    const connections = await get<{ id: string; platform: string; shopId: string }[]>('/connections');
    const ksConn = connections.find((c) => c.platform === 'kuaishou')!;
    const yzConn = connections.find((c) => c.platform === 'youzan')!;

    const ks = new KuaishouSandboxControl(`http://127.0.0.1:${options.kuaishouPort}`);
    const yz = new YouzanSandboxControl(`http://127.0.0.1:${options.youzanPort}`);
    const codes = Array.from({ length: options.skus }, (_, i) => `FLASH-${String(i + 1).padStart(3, '0')}`);
    say('4/9 A catalog in both shops, bound by merchant code', `${codes.length} SKUs: ${codes.join(', ')}`);
    const ksItem = await ks.createItem({
      openId: ksConn.shopId,
      title: '限时秒杀 保温杯',
      skus: codes.map((code) => ({ stock: 0, price: 9900, skuNick: code, specs: [{ name: '款式', value: code }] })),
    });
    const yzItem = await yz.createItem({
      kdtId: Number(yzConn.shopId),
      title: '限时秒杀 保温杯',
      skus: codes.map((code) => ({ itemNo: code, priceFen: 9900, stock: 0, specs: [{ k: '款式', v: code }] })),
    });
    for (const c of [ksConn, yzConn]) await post(`/connections/${c.id}/discover-skus`);
    const listing = codes.map((code) => ({
      code,
      ks: ksItem.skus.find((s) => s.skuNick === code)!,
      yz: yzItem.skus.find((s) => s.itemNo === code)!,
    }));
    note(`bound ${listing.length * 2} listings (${listing.length} per platform)`);

    say('5/9 The ERP reports the warehouse', `${options.stock} units of each SKU (signed stock webhook)`);
    const erpKey = await post<{ keyId: string; secret: string }>('/erp-credentials', { name: 'demo ERP' });
    const stock = await erpPost(url, '/webhooks/erp/stock', erpKey, {
      updates: codes.map((skuCode) => ({ skuCode, onHand: options.stock, sequence: 1 })),
    });
    if (stock.status !== 200) throw new Error(`ERP stock: ${stock.status} ${await stock.text()}`);
    const shown = async () => {
      let total = 0;
      for (const l of listing)
        total +=
          (await ks.getSku(ksItem.itemId, l.ks.skuId)).stock + (await yz.getSku(yzItem.itemId, l.yz.skuId)).stock;
      return total;
    };
    await until('both platforms to show the stock', async () => (await shown()) > 0);
    note(`the platforms now show ${await shown()} units in all (the warehouse holds ${options.stock * codes.length})`);

    say('6/9 A coupon campaign on both platforms', '¥10 off from ¥50, one per buyer');
    await post('/campaigns', {
      name: '秒杀券 Flash coupon',
      discountFen: 1000,
      thresholdFen: 5000,
      budget: 100,
      perBuyerLimit: 1,
      startsAt: Date.now(),
      endsAt: Date.now() + 86_400_000,
    });
    const coupons = await until(
      'the coupons to reach both platforms',
      async () => {
        const counts = {
          kuaishou: (await ks.listCoupons(ksConn.shopId)).length,
          youzan: (await yz.listCoupons(Number(yzConn.shopId))).length,
        };
        return counts.kuaishou && counts.youzan ? counts : undefined;
      },
      30_000,
    ).catch(() => ({ kuaishou: 0, youzan: 0 }));
    note(`coupons on the platforms: Kuaishou ${coupons.kuaishou}, Youzan ${coupons.youzan}`);

    say(
      '7/9 Flash sale',
      `${options.buyers} buyers at once, on both platforms, for ${options.stock * codes.length} units`,
    );
    const failures: Record<string, number> = {};
    const turnedAway: Record<string, number> = {};
    const placed: { platform: 'kuaishou' | 'youzan'; id: string; code: string }[] = [];
    await Promise.all(
      Array.from({ length: options.buyers }, async (_, i) => {
        const l = listing[i % listing.length];
        const platform = Math.floor(i / listing.length) % 2 === 0 ? 'kuaishou' : 'youzan';
        try {
          if (platform === 'kuaishou') {
            const o = await ks.placeOrder({ itemId: ksItem.itemId, skuId: l.ks.skuId, quantity: 1, pay: true });
            placed.push({ platform, id: o.oid, code: l.code });
          } else {
            const o = await yz.placeOrder({
              kdtId: Number(yzConn.shopId),
              lines: [{ itemId: yzItem.itemId, skuId: l.yz.skuId, quantity: 1 }],
              pay: true,
            });
            placed.push({ platform, id: o.tid, code: l.code });
          }
        } catch (error) {
          const kind = `${platform}: ${(error as { code?: string }).code ?? (error as Error).message}`;
          turnedAway[kind] = (turnedAway[kind] ?? 0) + 1;
        }
      }),
    );
    note(`${placed.length} orders placed, ${options.buyers - placed.length} buyers turned away`);

    say('8/9 Orders ingested, shipments written back', 'the ERP ships every order (signed shipment webhook)');
    await until(
      'every order to be registered',
      async () => ((await get<{ total: number }>('/orders?pageSize=1')).total >= placed.length ? true : undefined),
      120_000,
    );
    note(`${placed.length} orders registered by the service`);
    for (const [i, o] of placed.entries()) {
      const res = await erpPost(url, '/webhooks/erp/shipments', erpKey, {
        orderId: o.id,
        carrier: 'SF',
        trackingNo: `SF${String(1_000_000_000 + i)}`,
      });
      if (res.status >= 300) {
        const kind = `shipment refused: ${res.status}`;
        failures[kind] = (failures[kind] ?? 0) + 1;
      }
    }
    const isShipped = async (o: (typeof placed)[number]) =>
      o.platform === 'kuaishou'
        ? (await ks.getOrder(o.id)).deliveryNum > 0
        : (await yz.getOrder(o.id)).lines.every((line) => line.shipped);
    await until(
      'the shipments to reach the platforms',
      async () => (await Promise.all(placed.map(isShipped))).every(Boolean),
      120_000,
    ).catch(() => undefined);

    console.log('\n▶ 9/9 Summary, from the emulators’ own state');
    const summary = await summarize(
      ks,
      yz,
      listing,
      ksItem.itemId,
      yzItem.itemId,
      placed,
      options,
      failures,
      coupons,
      turnedAway,
    );
    printSummary(summary, { url, email, password, opsEmail, opsPassword, merchantId });
    const ok = summary.oversoldUnits === 0 && summary.parity.held;
    if (options.exit) {
      stopping = true;
      stop();
      await exited;
      return ok ? 0 : 2;
    }
    console.log('\nThe service keeps running: open the URLs above. Ctrl-C stops it.');
    const code = await new Promise<number>((resolve) => {
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      const end = () => {
        stopping = true;
        stop();
        void exited.then(() => resolve(0));
      };
      process.once('SIGINT', end);
      process.once('SIGTERM', end);
    });
    return code;
  } catch (error) {
    stopping = true;
    stop();
    await exited;
    throw error;
  }
}

async function summarize(
  ks: KuaishouSandboxControl,
  yz: YouzanSandboxControl,
  listing: { code: string; ks: { skuId: string }; yz: { skuId: string } }[],
  ksItemId: string,
  yzItemId: string,
  placed: { platform: 'kuaishou' | 'youzan'; id: string; code: string }[],
  options: DemoOptions,
  failures: Record<string, number>,
  coupons: { kuaishou: number; youzan: number },
  turnedAway: Record<string, number>,
): Promise<DemoSummary> {
  const soldByCode = new Map<string, number>();
  const soldBy = { kuaishou: 0, youzan: 0 };
  let shippedOrders = 0;
  const deadlines = { met: 0, missed: 0 };
  for (const o of placed) {
    let units = 0;
    let shipped = false;
    if (o.platform === 'kuaishou') {
      const order = await ks.getOrder(o.id);
      units = order.payTime ? order.quantity : 0;
      shipped = order.deliveryNum >= order.quantity;
      if (shipped) {
        if (order.updateTime <= order.validPromiseShipmentTimeStamp) deadlines.met++;
        else deadlines.missed++;
      }
    } else {
      const order = await yz.getOrder(o.id);
      units = order.lines.reduce((n, l) => n + l.quantity, 0);
      shipped = order.lines.every((l) => l.shipped);
    }
    soldBy[o.platform] += units;
    soldByCode.set(o.code, (soldByCode.get(o.code) ?? 0) + units);
    if (shipped) shippedOrders++;
    else failures['shipment not on the platform'] = (failures['shipment not on the platform'] ?? 0) + 1;
  }
  let oversoldUnits = 0;
  for (const sold of soldByCode.values()) oversoldUnits += Math.max(0, sold - options.stock);
  let maxSpreadPct = 0;
  for (const l of listing) {
    const a = (await ks.getSku(ksItemId, l.ks.skuId)).price;
    const b = (await yz.getSku(yzItemId, l.yz.skuId)).priceFen;
    maxSpreadPct = Math.max(maxSpreadPct, (Math.abs(a - b) / Math.min(a, b)) * 100);
  }
  return {
    oversoldUnits,
    unitsSold: soldBy.kuaishou + soldBy.youzan,
    unitsInWarehouse: options.stock * listing.length,
    soldBy,
    parity: { held: maxSpreadPct <= 5, maxSpreadPct: Math.round(maxSpreadPct * 100) / 100 },
    shipped: { orders: shippedOrders, ofOrders: placed.length },
    deadlines,
    coupons,
    failures,
    turnedAway,
  };
}

function printSummary(
  s: DemoSummary,
  access: { url: string; email: string; password: string; opsEmail: string; opsPassword: string; merchantId: string },
): void {
  const lines = [
    `  oversold units:   ${s.oversoldUnits}  (sold ${s.unitsSold} of ${s.unitsInWarehouse} in the warehouse; Kuaishou ${s.soldBy.kuaishou}, Youzan ${s.soldBy.youzan})`,
    `  price parity:     ${s.parity.held ? 'held' : 'BROKEN'}  (max spread ${s.parity.maxSpreadPct}% between the platforms)`,
    `  shipped:          ${s.shipped.orders} of ${s.shipped.ofOrders} orders written back to the platforms`,
    `  deadlines:        ${s.deadlines.met} met, ${s.deadlines.missed} missed (Kuaishou promise times)`,
    `  coupons:          Kuaishou ${s.coupons.kuaishou}, Youzan ${s.coupons.youzan}`,
    `  failures by kind: ${Object.keys(s.failures).length ? '' : 'none'}`,
    ...Object.entries(s.failures).map(([kind, n]) => `    ${n} × ${kind}`),
    `  buyers turned away (sold out on their platform): ${Object.values(s.turnedAway).reduce((a, b) => a + b, 0)}`,
    ...Object.entries(s.turnedAway).map(([kind, n]) => `    ${n} × ${kind}`),
    '',
    `  workspace: ${access.url}/merchants/${access.merchantId}  sign in as ${access.email} / ${access.password}`,
    `  ops:       ${access.url}/sign-in  as ${access.opsEmail} / ${access.opsPassword}`,
    `DEMO SUMMARY ${JSON.stringify(s)}`,
  ];
  console.log(lines.join('\n'));
}

if (require.main === module) {
  // eslint-disable-next-line no-restricted-properties -- a CLI outside the service: its ports, as `npm start` reads them
  const env = process.env;
  let options: DemoOptions;
  try {
    options = demoOptions(process.argv.slice(2), env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(64);
  }
  runDemo(options, env).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`demo failed: ${error.message}`);
      process.exit(1);
    },
  );
}
