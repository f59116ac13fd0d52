import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KuaishouSandboxControl } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { DEMO_SKUS } from '@app/sandbox/sandbox-runner';
import { YouzanSandboxControl } from '@app/sandbox/youzan/youzan-sandbox.control';
import { connectInBrowser } from '@app/sandbox/sandbox-connect';
import { ErpKey, sendErpStock } from '../support/erp';
import { freePort } from '../support/free-port';
import { sandboxSignIns, signInOverHttp } from '../support/sandbox-sign-in';
import { eventually } from '../support/test-app';

const root = join(__dirname, '..', '..');

/**
 * The README's walkthrough on `npm start` defaults — embedded SQLite, in-process events, the
 * bundled emulators — run by the real process: sign in with the printed demo sign-in, connect,
 * make an API token and an ERP credential, bind, ERP stock, a sale, and the other platform
 * follows. Nothing may be logged at error level along the way.
 */
describe('sandbox walkthrough on embedded defaults (the real process)', () => {
  let child: ChildProcess;
  let logs = '';
  let url: string;
  let ks: KuaishouSandboxControl;
  let yz: YouzanSandboxControl;

  beforeAll(async () => {
    const [port, ksPort, yzPort] = [await freePort(), await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    ks = new KuaishouSandboxControl(`http://127.0.0.1:${ksPort}`);
    yz = new YouzanSandboxControl(`http://127.0.0.1:${yzPort}`);
    child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-demo-')),
        SANDBOX_KUAISHOU_PORT: String(ksPort),
        SANDBOX_YOUZAN_PORT: String(yzPort),
        LOG_LEVEL: 'info',
      },
    });
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    await eventually(async () => (await fetch(`${url}/health`)).ok, 60_000, 250);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('keeps both demo shops in sync after connecting, binding and an ERP report, and follows a sale', async () => {
    expect(logs).toContain('SANDBOX MODE');
    // The printed sign-in reaches the pipe on its own time, not always before /health answers.
    const demo = await eventually(() => sandboxSignIns(logs), 20_000, 100);
    const merchantId = demo.owner.merchantId;
    expect((await fetch(`${url}/api/merchants/${merchantId}`)).status).toBe(401);
    const session = await signInOverHttp(url, demo.owner.email, demo.owner.password);
    expect((await connectInBrowser(url, merchantId, 'kuaishou', { cookie: session.cookie })).status).toBe(200);
    expect((await connectInBrowser(url, merchantId, 'youzan', { cookie: session.cookie })).status).toBe(200);
    const post = (path: string, body: unknown) =>
      fetch(`${url}/api/merchants/${merchantId}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
        body: JSON.stringify(body),
      });
    const auth = {
      authorization: `Bearer ${((await (await post('/api-tokens', { name: 'walkthrough' })).json()) as { token: string }).token}`,
    };
    const erpKey = (await (await post('/erp-credentials', { name: 'demo ERP' })).json()) as ErpKey;
    const connections = (await (
      await fetch(`${url}/api/merchants/${merchantId}/connections`, { headers: auth })
    ).json()) as { id: string; platform: string }[];
    for (const c of connections)
      expect(
        (
          await fetch(`${url}/api/merchants/${merchantId}/connections/${c.id}/discover-skus`, {
            method: 'POST',
            headers: auth,
          })
        ).status,
      ).toBe(200);
    const [red] = DEMO_SKUS;
    expect((await sendErpStock(url, erpKey, [{ skuCode: red.code, onHand: 10, sequence: 1 }])).status).toBe(200);

    const bindings = (await (
      await fetch(`${url}/api/merchants/${merchantId}/sku-bindings`, { headers: auth })
    ).json()) as { platform: string; outerSkuId: string; platformItemId: string; platformSkuId: string }[];
    const ksRed = bindings.find((b) => b.platform === 'kuaishou' && b.outerSkuId === red.code)!;
    const yzRed = bindings.find((b) => b.platform === 'youzan' && b.outerSkuId === red.code)!;
    const shown = async () =>
      (await ks.getSku(ksRed.platformItemId, ksRed.platformSkuId)).stock +
      (await yz.getSku(yzRed.platformItemId, yzRed.platformSkuId)).stock;
    // The demo listings started at 30 on each platform; the warehouse holds 10.
    await eventually(async () => (await shown()) <= 10 && (await shown()) > 0, 20_000, 200);

    await ks.placeOrder({ itemId: ksRed.platformItemId, skuId: ksRed.platformSkuId, quantity: 1, pay: true });
    const stock = await eventually(
      async () => {
        const sku = (await (
          await fetch(`${url}/api/merchants/${merchantId}/skus/${red.code}`, { headers: auth })
        ).json()) as { reserved: number; sellable: number };
        return sku.reserved === 1 ? sku : undefined;
      },
      20_000,
      200,
    );
    expect(stock.sellable).toBe(9);
    await eventually(async () => (await shown()) <= 9, 20_000, 200);
    // Give the scheduled jobs (every few seconds) a chance to run on the embedded database.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(logs.split('\n').filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});
