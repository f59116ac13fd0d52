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
  /** Units of the flash-sale SKUs (the storm's stock). */
  unitsSold: number;
  unitsInWarehouse: number;
  soldBy: { kuaishou: number; youzan: number };
  /** The Youzan item published to Kuaishou through the listings API. */
  catalog: {
    item: string;
    status: string;
    findingsFixed: number;
    kuaishouItemId: string;
    kuaishouAudit: 'approved' | 'not approved';
    skusBound: number;
  };
  /** Spreads in percent (`max/min − 1`) of the prices the emulators show, per merchant SKU. */
  parity: { held: boolean; maxSpreadPct: number; spreadBySku: Record<string, number> };
  shipped: { orders: number; ofOrders: number };
  /** Shipped orders by their platform's ship-by (Kuaishou's promise time; Youzan 48 h after payment). */
  deadlines: {
    met: number;
    missed: number;
    kuaishou: { met: number; missed: number };
    youzan: { met: number; missed: number };
  };
  /** Coupons on each platform, and orders that used the campaign's coupon (the platforms' counts). */
  coupons: {
    kuaishou: number;
    youzan: number;
    redeemed: { kuaishou: number; youzan: number };
    /** The campaign's redemptions as the service recorded them from the orders. */
    recordedByService: number;
  };
  /** Failures: refused or missing write-backs, refused coupons, and the service's open sync failures, by kind. */
  failures: Record<string, number>;
  /** Buyers a platform refused (sold out there), by platform and the platform's reason. */
  turnedAway: Record<string, number>;
  /** The ops console pages the demo opened as the ops user, and what each answered (200 with its heading when it works). */
  consolePages: ConsolePageCheck[];
}

export interface ConsolePageCheck {
  name: string;
  url: string;
  status: number;
  ok: boolean;
}

/** The ops console pages a newcomer is pointed to after the story. */
const CONSOLE_PAGES: [string, string, string][] = [
  ['console home', '/ops/console', '<h1>运维控制台 Ops console'],
  ['failure center', '/ops/console/failures', '<h1>失败中心 Failure center'],
  ['platform health', '/ops/console/platforms', '<h1>平台健康 Platform health'],
  ['live charts', '/ops/console/live', '<h1>实时图表 Live charts'],
  ['ops settings', '/ops-settings', '<h1>运维设置 Ops settings'],
];

interface ListedSku {
  code: string;
  ks: { itemId: string; skuId: string };
  yz: { itemId: string; skuId: string };
}
interface PlacedOrder {
  platform: 'kuaishou' | 'youzan';
  id: string;
  code: string;
}

const STEPS = 11;

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
  say(`1/${STEPS} Start the service`, `embedded defaults, fresh data in ${dataDir}`);
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
    // The printed sign-in reaches the pipe on its own time, not always before /health answers.
    const signInLine =
      /merchant owner (\S+) \/ ([A-Za-z0-9_-]+) \(merchant ([0-9a-f-]{36})\); ops (\S+) \/ ([A-Za-z0-9_-]+)\./;
    const m = await until(
      "the sandbox sign-in in the service's log",
      async () => signInLine.exec(log) ?? undefined,
      30_000,
    ).catch(() => {
      throw new Error(`no sandbox sign-in in the service's log:\n${log}`);
    });
    const [, email, password, merchantId, opsEmail, opsPassword] = m;
    const api = `${url}/api/merchants/${merchantId}`;

    say(`2/${STEPS} Sign in as the merchant user`, `${email} (created on the first start, merchant ${merchantId})`);
    const { cookie, csrf } = await signIn(url, email, password);
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

    say(
      `3/${STEPS} Connect both shops`,
      'through the emulators’ OAuth pages, following the redirects as a browser would',
    );
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
    say(`4/${STEPS} A catalog in both shops, bound by merchant code`, `${codes.length} SKUs: ${codes.join(', ')}`);
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
    const listing: ListedSku[] = codes.map((code) => ({
      code,
      ks: { itemId: ksItem.itemId, skuId: ksItem.skus.find((s) => s.skuNick === code)!.skuId },
      yz: { itemId: yzItem.itemId, skuId: yzItem.skus.find((s) => s.itemNo === code)!.skuId },
    }));
    note(`bound ${listing.length * 2} listings (${listing.length} per platform)`);

    const published = await publishCatalogItem(yz, ks, yzConn, ksConn, get, post);
    const catalog = [...listing, ...published.skus];

    say(`6/${STEPS} The ERP reports the warehouse`, `${options.stock} units of each SKU (signed stock webhook)`);
    const erpKey = await post<{ keyId: string; secret: string }>('/erp-credentials', { name: 'demo ERP' });
    const stock = await erpPost(url, '/webhooks/erp/stock', erpKey, {
      updates: catalog.map((l) => ({ skuCode: l.code, onHand: options.stock, sequence: 1 })),
    });
    if (stock.status !== 200) throw new Error(`ERP stock: ${stock.status} ${await stock.text()}`);
    const shown = async () => {
      let total = 0;
      for (const l of catalog)
        total += (await ks.getSku(l.ks.itemId, l.ks.skuId)).stock + (await yz.getSku(l.yz.itemId, l.yz.skuId)).stock;
      return total;
    };
    // Every SKU on both platforms (the dress's new Kuaishou SKUs start at 0); on a slow machine, carry on.
    const everywhere = async () => {
      for (const l of catalog)
        if (
          (await ks.getSku(l.ks.itemId, l.ks.skuId)).stock < 1 ||
          (await yz.getSku(l.yz.itemId, l.yz.skuId)).stock < 1
        )
          return false;
      return true;
    };
    await until('both platforms to show the stock', async () => (await shown()) > 0);
    await until('every SKU to show stock on both platforms', everywhere, 60_000).catch(() => undefined);
    note(
      `the platforms now show ${await shown()} units in all (the warehouse holds ${options.stock * catalog.length})`,
    );

    say(`7/${STEPS} A coupon campaign on both platforms`, '¥10 off from ¥50, one per buyer; every other buyer uses it');
    await post('/campaigns', {
      name: '秒杀券 Flash coupon',
      discountFen: 1000,
      thresholdFen: 5000,
      budget: 100,
      perBuyerLimit: 1,
      startsAt: Date.now(),
      endsAt: Date.now() + 86_400_000,
    });
    const couponIds = await until(
      'the coupons to reach both platforms',
      async () => {
        const ids = {
          kuaishou: (await ks.listCoupons(ksConn.shopId))[0]?.couponId,
          youzan: (await yz.listCoupons(Number(yzConn.shopId)))[0]?.couponId,
        };
        return ids.kuaishou && ids.youzan ? ids : undefined;
      },
      60_000,
    ).catch(() => ({ kuaishou: undefined, youzan: undefined }));
    const coupons = {
      kuaishou: (await ks.listCoupons(ksConn.shopId)).length,
      youzan: (await yz.listCoupons(Number(yzConn.shopId))).length,
    };
    note(`coupons on the platforms: Kuaishou ${coupons.kuaishou}, Youzan ${coupons.youzan}`);

    say(
      `8/${STEPS} Flash sale`,
      `${options.buyers} buyers at once, on both platforms, for ${options.stock * codes.length} units`,
    );
    const failures: Record<string, number> = {};
    const count = (record: Record<string, number>, kind: string) => (record[kind] = (record[kind] ?? 0) + 1);
    const turnedAway: Record<string, number> = {};
    const placed: PlacedOrder[] = [];
    const buy = async (platform: 'kuaishou' | 'youzan', l: ListedSku, couponId: string | undefined) => {
      if (platform === 'kuaishou') {
        const o = await ks.placeOrder({ itemId: l.ks.itemId, skuId: l.ks.skuId, quantity: 1, pay: true, couponId });
        return o.oid;
      }
      const o = await yz.placeOrder({
        kdtId: Number(yzConn.shopId),
        lines: [{ itemId: l.yz.itemId, skuId: l.yz.skuId, quantity: 1 }],
        pay: true,
        couponId,
      });
      return o.tid;
    };
    await Promise.all(
      Array.from({ length: options.buyers }, async (_, i) => {
        const l = listing[i % listing.length];
        const platform = Math.floor(i / listing.length) % 2 === 0 ? 'kuaishou' : 'youzan';
        const couponId = i % 2 === 0 ? couponIds[platform] : undefined;
        try {
          let id: string;
          try {
            id = await buy(platform, l, couponId);
          } catch (error) {
            // A coupon the platform refuses is a failure of the campaign; the buyer pays full price.
            const code = (error as { code?: string }).code ?? '';
            if (!couponId || !/^coupon_/.test(code)) throw error;
            count(failures, `${platform} refused the campaign coupon: ${code}`);
            id = await buy(platform, l, undefined);
          }
          placed.push({ platform, id, code: l.code });
        } catch (error) {
          count(turnedAway, `${platform}: ${(error as { code?: string }).code ?? (error as Error).message}`);
        }
      }),
    );
    note(`${placed.length} orders placed, ${options.buyers - placed.length} buyers turned away`);

    say(`9/${STEPS} Orders ingested, shipments written back`, 'the ERP ships every order (signed shipment webhook)');
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
      if (res.status >= 300) count(failures, `shipment refused: ${res.status}`);
    }
    const isShipped = async (o: PlacedOrder) =>
      o.platform === 'kuaishou'
        ? (await ks.getOrder(o.id)).deliveryNum > 0
        : (await yz.getOrder(o.id)).lines.every((line) => line.shipped);
    await until(
      'the shipments to reach the platforms',
      async () => (await Promise.all(placed.map(isShipped))).every(Boolean),
      120_000,
    ).catch(() => undefined);
    note('every order shows as shipped on its platform');

    say(`10/${STEPS} Parity kept`, 'each SKU’s price read from both emulators');
    const spread = await spreadBySku(ks, yz, catalog);
    for (const [code, pct] of Object.entries(spread)) note(`${code}: ${pct}% between the platforms`);

    // The service records redemptions (and their anomalies) from the orders it ingests: let it catch up
    // with what the platforms count before the failure center is read.
    const usedOnPlatforms = async () =>
      ((await ks.listCoupons()).find((c) => c.couponId === couponIds.kuaishou)?.used ?? 0) +
      ((await yz.listCoupons()).find((c) => c.couponId === couponIds.youzan)?.totalUsed ?? 0);
    const redeemedByService = await until(
      'the service to record the coupon redemptions',
      async () => {
        const [campaign] = await get<{ redeemed: number }[]>('/campaigns');
        return campaign && campaign.redeemed >= (await usedOnPlatforms()) ? campaign.redeemed : undefined;
      },
      60_000,
    ).catch(async () => (await get<{ redeemed: number }[]>('/campaigns'))[0]?.redeemed ?? 0);

    console.log(`\n▶ ${STEPS}/${STEPS} Summary, from the emulators’ own state`);
    const ops = await signIn(url, opsEmail, opsPassword);
    const summary = await summarize(ks, yz, listing, placed, options, spread, {
      failures,
      coupons,
      couponIds,
      turnedAway,
      syncFailures: await openSyncFailures(url, ops.cookie),
      published: published.summary,
      redeemedByService,
      consolePages: await checkConsolePages(url, ops.cookie),
    });
    printSummary(summary, { url, email, password, opsEmail, opsPassword, merchantId });
    const ok = summary.oversoldUnits === 0 && summary.parity.held && summary.consolePages.every((p) => p.ok);
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

interface Finding {
  code: string;
  field: string;
  severity: 'error' | 'warning';
  message: { zh: string; en: string };
  hint: { zh: string; en: string };
}
interface ListingView {
  id: string;
  status: string;
  targetItemId: string | null;
  auditState: string | null;
  reason: string | null;
  findings: Finding[];
}
interface ImportReportView {
  scanned: number;
  bound: unknown[];
  created: unknown[];
  needsDecision: { sourceItemId: string; outerItemId: string | null; reason?: string; findings?: string[] }[];
  existing: unknown[];
}
type Get = <T>(path: string) => Promise<T>;
type Post = <T>(path: string, body?: unknown) => Promise<T>;

/** 连衣裙 in the emulator's Kuaishou tree: brand, fabric and skirt length are required there. */
const DRESS_CATEGORY = '1584';
const DRESS_PROPERTIES = [
  { propertyId: '102', valueIds: ['990000001'] },
  { propertyId: '99000001', valueIds: ['990000007'] },
  { propertyId: '99000002', valueIds: ['990000012'] },
];
const DRESS_IMAGE = 'https://img.example.com/demo-dress-main.jpg';

/**
 * A Youzan item Kuaishou does not have: the import's dry run, a draft with the validator's findings,
 * the fixed draft, the publish, the audit (read from the service and the Kuaishou emulator) and the
 * bindings the publish made.
 */
async function publishCatalogItem(
  yz: YouzanSandboxControl,
  ks: KuaishouSandboxControl,
  yzConn: { id: string; shopId: string },
  ksConn: { id: string },
  get: Get,
  post: Post,
): Promise<{ skus: ListedSku[]; summary: DemoSummary['catalog'] }> {
  say(
    `5/${STEPS} Import and publish a catalog item`,
    'a Youzan dress that Kuaishou does not have: draft, validate, fix, publish, audit',
  );
  const codes = ['DRESS-S', 'DRESS-M'];
  const item = await yz.createItem({
    kdtId: Number(yzConn.shopId),
    title: '法式碎花连衣裙',
    desc: '法式碎花雪纺连衣裙，收腰显瘦，夏季新款',
    itemNo: 'DRESS',
    skus: codes.map((c) => ({ itemNo: c, priceFen: 19_900, stock: 0, specs: [{ k: '尺码', v: c.slice(-1) }] })),
  });
  const report = await post<ImportReportView>('/listings/import', {
    sourceConnectionId: yzConn.id,
    targetConnectionId: ksConn.id,
    dryRun: true,
  });
  note(
    `import of the Youzan shop (dry run): ${report.scanned} items; ${report.bound.length} to bind, ` +
      `${report.created.length} to create, ${report.needsDecision.length} need a decision, ${report.existing.length} listed already`,
  );
  for (const d of report.needsDecision)
    note(
      `  ${d.outerItemId ?? `item ${d.sourceItemId}`}: ${d.reason ?? ''} ${(d.findings ?? []).join(', ')}`.trimEnd(),
    );

  const base = {
    sourceConnectionId: yzConn.id,
    sourceItemId: item.itemId,
    targetConnectionId: ksConn.id,
    categoryId: DRESS_CATEGORY,
  };
  const first = await post<ListingView>('/listings', base);
  const errors = first.findings.filter((f) => f.severity === 'error');
  note(`draft for Kuaishou in 连衣裙 (category ${DRESS_CATEGORY}): ${errors.length} findings to fix`);
  for (const f of errors) note(`  ${f.code} ${f.field}: ${f.message.en} (${f.hint.en})`);
  const fixed = await post<ListingView>('/listings', {
    ...base,
    imageUrls: [DRESS_IMAGE],
    properties: DRESS_PROPERTIES,
  });
  const left = fixed.findings.filter((f) => f.severity === 'error');
  if (left.length) throw new Error(`the fixed draft still has findings: ${left.map((f) => f.code).join(', ')}`);
  note('fixed: main image, brand, fabric and skirt length filled in; no findings left');
  await post(`/listings/${fixed.id}/publish`);
  const settled = await until(
    'the listing to be published and audited',
    async () => {
      const l = await get<ListingView>(`/listings/${fixed.id}`);
      return ['live', 'rejected', 'failed'].includes(l.status) ? l : undefined;
    },
    120_000,
  );
  if (settled.status !== 'live' || !settled.targetItemId)
    throw new Error(`publishing the dress: ${settled.status} ${settled.reason ?? ''}`);
  const onKuaishou = await ks.getItem(settled.targetItemId);
  note(
    `published: Kuaishou item ${onKuaishou.itemId}, audit ${settled.auditState} ` +
      `(the emulator's auditStatus ${onKuaishou.auditStatus}: ${onKuaishou.auditStatus === 2 ? 'approved' : 'not approved'})`,
  );
  const bindings = await until('the dress SKUs to be bound on both platforms', async () => {
    const rows =
      await get<{ platform: string; platformItemId: string; platformSkuId: string; outerSkuId: string | null }[]>(
        '/sku-bindings',
      );
    const of = (code: string, platform: string) => rows.find((b) => b.outerSkuId === code && b.platform === platform);
    return codes.every((c) => of(c, 'kuaishou') && of(c, 'youzan')) ? of : undefined;
  });
  const skus = codes.map((code) => {
    const k = bindings(code, 'kuaishou')!;
    const y = bindings(code, 'youzan')!;
    note(`  ${code}: Kuaishou ${k.platformItemId}/${k.platformSkuId} ↔ Youzan ${y.platformItemId}/${y.platformSkuId}`);
    return {
      code,
      ks: { itemId: k.platformItemId, skuId: k.platformSkuId },
      yz: { itemId: y.platformItemId, skuId: y.platformSkuId },
    };
  });
  note('the flash-sale SKUs stay bound by merchant code');
  return {
    skus,
    summary: {
      item: 'DRESS',
      status: settled.status,
      findingsFixed: errors.length,
      kuaishouItemId: onKuaishou.itemId,
      kuaishouAudit: onKuaishou.auditStatus === 2 ? 'approved' : 'not approved',
      skusBound: skus.length,
    },
  };
}

async function signIn(url: string, email: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  return { cookie, csrf };
}

/** Opens each console page as the ops user would (their session, no redirect followed) and checks it is the page. */
async function checkConsolePages(url: string, cookie: string): Promise<ConsolePageCheck[]> {
  const checks: ConsolePageCheck[] = [];
  for (const [name, path, marker] of CONSOLE_PAGES) {
    const res = await fetch(`${url}${path}`, { headers: { cookie }, redirect: 'manual' }).catch(() => undefined);
    const body = res?.status === 200 ? await res.text() : '';
    checks.push({ name, url: `${url}${path}`, status: res?.status ?? 0, ok: body.includes(marker) });
  }
  return checks;
}

/** The service's own failure center (as ops see it): open and retrying sync failures by kind. */
async function openSyncFailures(url: string, cookie: string): Promise<Record<string, number>> {
  const res = await fetch(`${url}/ops/failures?status=open,retrying&pageSize=100`, { headers: { cookie } });
  if (!res.ok) return { [`failure center unreadable: ${res.status}`]: 1 };
  const page = (await res.json()) as { items: { context: string; operation: string; errorCode: string }[] };
  const out: Record<string, number> = {};
  for (const f of page.items) {
    const kind = `sync failure ${f.context}/${f.operation}: ${f.errorCode}`;
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}

/** Price spread per SKU in percent, `max/min − 1` over the prices both emulators show. */
async function spreadBySku(
  ks: KuaishouSandboxControl,
  yz: YouzanSandboxControl,
  catalog: ListedSku[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const l of catalog) {
    const a = (await ks.getSku(l.ks.itemId, l.ks.skuId)).price;
    const b = (await yz.getSku(l.yz.itemId, l.yz.skuId)).priceFen;
    out[l.code] = Math.round((Math.max(a, b) / Math.min(a, b) - 1) * 10_000) / 100;
  }
  return out;
}

/** Youzan documents no ship-by; the service (and this check) take the shop's 48 h after payment. */
const YOUZAN_PROMISE_MS = 48 * 3600 * 1000;
/** The pricing context's default parity limit (`parityLimitBp` 1000). */
const PARITY_LIMIT_PCT = 10;

async function summarize(
  ks: KuaishouSandboxControl,
  yz: YouzanSandboxControl,
  listing: ListedSku[],
  placed: PlacedOrder[],
  options: DemoOptions,
  spread: Record<string, number>,
  seen: {
    failures: Record<string, number>;
    coupons: { kuaishou: number; youzan: number };
    couponIds: { kuaishou?: string; youzan?: string };
    turnedAway: Record<string, number>;
    syncFailures: Record<string, number>;
    published: DemoSummary['catalog'];
    redeemedByService: number;
    consolePages: ConsolePageCheck[];
  },
): Promise<DemoSummary> {
  const failures = { ...seen.failures, ...seen.syncFailures };
  for (const page of seen.consolePages)
    if (!page.ok) failures[`console page ${page.name} did not open for ops (HTTP ${page.status})`] = 1;
  const soldByCode = new Map<string, number>();
  const soldBy = { kuaishou: 0, youzan: 0 };
  let shippedOrders = 0;
  const deadlines = { kuaishou: { met: 0, missed: 0 }, youzan: { met: 0, missed: 0 } };
  for (const o of placed) {
    let units = 0;
    let shipped = false;
    let inTime = false;
    if (o.platform === 'kuaishou') {
      const order = await ks.getOrder(o.id);
      units = order.payTime ? order.quantity : 0;
      shipped = order.deliveryNum >= order.quantity;
      inTime = order.updateTime <= order.validPromiseShipmentTimeStamp;
    } else {
      const order = await yz.getOrder(o.id);
      units = order.payTime ? order.lines.reduce((n, l) => n + l.quantity, 0) : 0;
      shipped = order.lines.every((l) => l.shipped);
      inTime =
        order.payTime !== null && order.consignTime !== null && order.consignTime <= order.payTime + YOUZAN_PROMISE_MS;
    }
    soldBy[o.platform] += units;
    soldByCode.set(o.code, (soldByCode.get(o.code) ?? 0) + units);
    if (shipped) {
      shippedOrders++;
      deadlines[o.platform][inTime ? 'met' : 'missed']++;
    } else failures['shipment not on the platform'] = (failures['shipment not on the platform'] ?? 0) + 1;
  }
  let oversoldUnits = 0;
  for (const sold of soldByCode.values()) oversoldUnits += Math.max(0, sold - options.stock);
  const maxSpreadPct = Math.max(0, ...Object.values(spread));
  const ksCoupon = (await ks.listCoupons()).find((c) => c.couponId === seen.couponIds.kuaishou);
  const yzCoupon = (await yz.listCoupons()).find((c) => c.couponId === seen.couponIds.youzan);
  return {
    oversoldUnits,
    unitsSold: soldBy.kuaishou + soldBy.youzan,
    unitsInWarehouse: options.stock * listing.length,
    soldBy,
    catalog: seen.published,
    parity: { held: maxSpreadPct <= PARITY_LIMIT_PCT, maxSpreadPct, spreadBySku: spread },
    shipped: { orders: shippedOrders, ofOrders: placed.length },
    deadlines: {
      met: deadlines.kuaishou.met + deadlines.youzan.met,
      missed: deadlines.kuaishou.missed + deadlines.youzan.missed,
      ...deadlines,
    },
    coupons: {
      ...seen.coupons,
      redeemed: { kuaishou: ksCoupon?.used ?? 0, youzan: yzCoupon?.totalUsed ?? 0 },
      recordedByService: seen.redeemedByService,
    },
    failures,
    turnedAway: seen.turnedAway,
    consolePages: seen.consolePages,
  };
}

function printSummary(
  s: DemoSummary,
  access: { url: string; email: string; password: string; opsEmail: string; opsPassword: string; merchantId: string },
): void {
  const d = s.deadlines;
  const lines = [
    `  oversold units:   ${s.oversoldUnits}  (sold ${s.unitsSold} of ${s.unitsInWarehouse} in the warehouse; Kuaishou ${s.soldBy.kuaishou}, Youzan ${s.soldBy.youzan})`,
    `  catalog:          ${s.catalog.item} published to Kuaishou, ${s.catalog.status} (audit ${s.catalog.kuaishouAudit}, ${s.catalog.findingsFixed} findings fixed, ${s.catalog.skusBound} SKUs bound)`,
    `  price parity:     ${s.parity.held ? 'held' : 'BROKEN'}  (max spread ${s.parity.maxSpreadPct}% between the platforms, limit ${PARITY_LIMIT_PCT}%)`,
    ...Object.entries(s.parity.spreadBySku).map(([code, pct]) => `    ${code}: ${pct}%`),
    `  shipped:          ${s.shipped.orders} of ${s.shipped.ofOrders} orders shipped on the platforms`,
    `  deadlines:        ${d.missed === 0 ? 'met' : 'MISSED'}  (${d.met} met, ${d.missed} missed; Kuaishou ${d.kuaishou.met}/${d.kuaishou.met + d.kuaishou.missed} by the promise time, Youzan ${d.youzan.met}/${d.youzan.met + d.youzan.missed} within 48 h of payment)`,
    `  coupons:          on the platforms Kuaishou ${s.coupons.kuaishou}, Youzan ${s.coupons.youzan}; redeemed Kuaishou ${s.coupons.redeemed.kuaishou}, Youzan ${s.coupons.redeemed.youzan} (the service recorded ${s.coupons.recordedByService})`,
    `  failures by kind: ${Object.keys(s.failures).length ? '' : 'none'}`,
    ...Object.entries(s.failures).map(([kind, n]) => `    ${n} × ${kind}`),
    `  buyers turned away (sold out on their platform): ${Object.values(s.turnedAway).reduce((a, b) => a + b, 0)}`,
    ...Object.entries(s.turnedAway).map(([kind, n]) => `    ${n} × ${kind}`),
    '',
    `  workspace: ${access.url}/merchants/${access.merchantId}  sign in as ${access.email} / ${access.password}`,
    `  console:   ${access.url}/ops/console  sign in at ${access.url}/sign-in as ${access.opsEmail} / ${access.opsPassword}`,
    `  console pages, opened as ops:`,
    ...s.consolePages.map(
      (p) => `    ${p.ok ? 'ok  ' : 'FAIL'} ${p.name.padEnd(16)} ${p.url}${p.ok ? '' : ` (HTTP ${p.status})`}`,
    ),
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
