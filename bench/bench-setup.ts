import { ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { connectInBrowser } from '@app/sandbox/sandbox-connect';
import type { KuaishouSandboxControl, SandboxShop } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import type { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import type { BenchAccess } from './bench-access';
import type { WorkerAnswer, WorkerEnvelope, WorkerRequest } from './platforms.worker';

/** The benchmarks' shared setup: ports, a database per run, the service's environment and a connected merchant. */

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A root connection to the MariaDB server of `db` (its path is ignored). */
export function adminConnection(db: string): Promise<mysql.Connection> {
  const server = new URL(db);
  return mysql.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
  });
}

async function adminQuery(db: string, sql: string): Promise<void> {
  const c = await adminConnection(db);
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A fresh database `<prefix>_<now>` on the server of `db`: its name and its URL. */
export async function createBenchDatabase(db: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${Date.now()}`;
  await adminQuery(db, `CREATE DATABASE \`${name}\``);
  const url = new URL(db);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export function dropBenchDatabase(db: string, name: string): Promise<void> {
  return adminQuery(db, `DROP DATABASE IF EXISTS \`${name}\``);
}

/** What every benchmark's service process is started with: where it listens and where the two platforms are. */
export function serviceBaseEnv(at: { url: string; port: number; ks: string; yz: string; dataDir: string }) {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    DATA_DIR: at.dataDir,
    PORT: String(at.port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: at.url,
    KUAISHOU_API_BASE_URL: at.ks,
    KUAISHOU_AUTHORIZE_URL: `${at.ks}/oauth/authorize`,
    YOUZAN_API_BASE_URL: at.yz,
    YOUZAN_AUTHORIZE_URL: `${at.yz}/oauth/authorize`,
  };
}

/** A new shop on each emulator, both connected by the merchant's owner through the real OAuth flow. */
export async function connectShops(
  url: string,
  access: BenchAccess,
  controls: { ks: KuaishouSandboxControl; yz: YouzanSandboxControl },
  kuaishouName: string,
): Promise<{ ksShop: SandboxShop; yzShop: { kdtId: number } }> {
  const ksShop = await controls.ks.createShop({ name: kuaishouName });
  const yzShop = await controls.yz.createShop({ name: '有赞商城', authorize: true });
  const cookie = access.owner.cookie;
  await connectInBrowser(url, access.merchantId, 'kuaishou', { shop: ksShop.openId, cookie });
  await connectInBrowser(url, access.merchantId, 'youzan', { shop: String(yzShop.kdtId), cookie });
  return { ksShop, yzShop };
}

/** One SKU of the merchant's code listed on both platforms with no stock: its item and SKU ids on each. */
export async function listOnBoth(
  controls: { ks: KuaishouSandboxControl; yz: YouzanSandboxControl },
  shops: { ksShop: SandboxShop; yzShop: { kdtId: number } },
  code: string,
  listing: { title: string; priceFen: number; promiseSeconds?: number },
): Promise<{ ks: { itemId: string; skuId: string }; yz: { itemId: string; skuId: string } }> {
  const ksItem = await controls.ks.createItem({
    openId: shops.ksShop.openId,
    title: listing.title,
    ...(listing.promiseSeconds !== undefined ? { promiseSeconds: listing.promiseSeconds } : {}),
    skus: [{ stock: 0, price: listing.priceFen, skuNick: code }],
  });
  const yzItem = await controls.yz.createItem({
    kdtId: shops.yzShop.kdtId,
    title: listing.title,
    skus: [{ itemNo: code, priceFen: listing.priceFen, stock: 0 }],
  });
  return {
    ks: { itemId: ksItem.itemId, skuId: ksItem.skus[0].skuId },
    yz: { itemId: yzItem.itemId, skuId: yzItem.skus[0].skuId },
  };
}

/** Each of the merchant's connections reads its shop's SKUs and binds them by code. */
export async function discoverSkus(url: string, merchantId: string, headers: Record<string, string>): Promise<void> {
  const connections = (await (await fetch(`${url}/api/merchants/${merchantId}/connections`, { headers })).json()) as {
    id: string;
  }[];
  for (const c of connections) {
    const res = await fetch(`${url}/api/merchants/${merchantId}/connections/${c.id}/discover-skus`, {
      method: 'POST',
      headers,
    });
    if (res.status >= 300) throw new Error(`discover-skus: ${res.status} ${await res.text()}`);
  }
}

/** The emulators in their own process (platforms.worker), asked over IPC; each answer must be of the kind expected. */
export function forkPlatformsWorker(): {
  worker: ChildProcess;
  ask: <K extends WorkerAnswer['kind']>(
    request: WorkerRequest,
    expect: K,
  ) => Promise<Extract<WorkerAnswer, { kind: K }>>;
} {
  const worker = fork(join(__dirname, 'platforms.worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let nextId = 0;
  const waiting = new Map<number, (answer: WorkerAnswer) => void>();
  worker.on('message', (m: WorkerEnvelope<WorkerAnswer>) => {
    waiting.get(m.id)?.(m.body);
    waiting.delete(m.id);
  });
  const ask = <K extends WorkerAnswer['kind']>(request: WorkerRequest, expect: K) =>
    new Promise<Extract<WorkerAnswer, { kind: K }>>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (answer) =>
        answer.kind === expect
          ? resolve(answer as Extract<WorkerAnswer, { kind: K }>)
          : reject(new Error(answer.kind === 'error' ? answer.message : `unexpected ${answer.kind}`)),
      );
      worker.send({ id, body: request });
    });
  return { worker, ask };
}
