import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { SecretCipher } from '@app/common/crypto/secret-cipher';
import { SANDBOX_CREDENTIALS, SANDBOX_ERP_SECRET } from '@app/config/app-config';
import { freePort } from '../support/free-port';
import { connectInBrowser } from '@app/sandbox/sandbox-connect';
import { sandboxSignIns, signInOverHttp } from '../support/sandbox-sign-in';
import { eventually } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { REAL_SHOP_CREDENTIALS } from '../support/real-shops';

const root = join(__dirname, '..', '..');

/**
 * The real process on sandbox defaults with the most verbose logs: after connecting both shops
 * and refreshing, neither the stored rows, the API answers nor anything logged holds a token
 * or an app secret in plain text.
 */
describe('secrets stay secret (the real process)', () => {
  let child: ChildProcess;
  let logs = '';
  let database: TestDatabase;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('secrets');
    dataDir = mkdtempSync(join(tmpdir(), 'kwaizan-secrets-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        PUBLIC_BASE_URL: url,
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'trace',
        SANDBOX_KUAISHOU_PORT: String(await freePort()),
        SANDBOX_YOUZAN_PORT: String(await freePort()),
      },
    });
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${url}/health`)).ok) return;
      } catch {
        // starting
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`service did not start:\n${logs}`);
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await database?.drop();
  });

  it('never stores, answers or logs a token or app secret in plain text', async () => {
    // The printed sign-in reaches the pipe on its own time, not always before /health answers.
    const demo = await eventually(() => sandboxSignIns(logs), 20_000, 100);
    const merchantId = demo.owner.merchantId;
    const session = await signInOverHttp(url, demo.owner.email, demo.owner.password);
    expect((await connectInBrowser(url, merchantId, 'kuaishou', { cookie: session.cookie })).status).toBe(200);
    expect((await connectInBrowser(url, merchantId, 'youzan', { cookie: session.cookie })).status).toBe(200);
    const connections = (await (
      await fetch(`${url}/api/merchants/${merchantId}/connections`, { headers: { cookie: session.cookie } })
    ).json()) as { id: string }[];
    const answers: string[] = [JSON.stringify(connections)];
    for (const c of connections) {
      const res = await fetch(`${url}/api/merchants/${merchantId}/connections/${c.id}/refresh`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      });
      expect(res.status).toBe(200);
      answers.push(await res.text());
    }
    answers.push(await (await fetch(`${url}/merchants/${merchantId}`, { headers: { cookie: session.cookie } })).text());

    const connection = await mysql.createConnection(database.url);
    const [rows] = await connection.query('SELECT * FROM shop_connection WHERE merchant_id = ?', [merchantId]);
    await connection.end();
    const stored = rows as {
      id: string;
      access_token_enc: string;
      refresh_token_enc: string | null;
      token_key_id: string;
    }[];
    expect(stored).toHaveLength(2);

    const cipher = new SecretCipher(
      [{ id: 'local', key: Buffer.from(readFileSync(join(dataDir, 'encryption.key'), 'utf8').trim(), 'base64') }],
      'local',
    );
    // The session cookie's value is a credential too.
    const secrets: string[] = [
      SANDBOX_CREDENTIALS.kuaishou.appSecret,
      SANDBOX_CREDENTIALS.kuaishou.signSecret,
      SANDBOX_CREDENTIALS.youzan.clientSecret,
      session.cookie.split('=')[1],
    ];
    for (const row of stored) {
      expect(row.token_key_id).toBe('local');
      const access = cipher.decrypt(row.access_token_enc, `${row.id}:access`);
      secrets.push(access);
      if (row.refresh_token_enc) secrets.push(cipher.decrypt(row.refresh_token_enc, `${row.id}:refresh`));
      expect(JSON.stringify(row)).not.toContain(access);
    }
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      for (const answer of answers) expect(answer).not.toContain(secret);
    }
  });
});

/** Real platform credentials switch sandbox mode off: the process must not start on public or generated secrets. */
describe('start-up outside sandbox mode (the real process)', () => {
  const realShops = REAL_SHOP_CREDENTIALS;

  async function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(await freePort()),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-secrets-')),
        ...env,
      },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    return { code, output };
  }

  it.each(['development', 'test'])(
    'refuses to start without real ERP and encryption secrets (NODE_ENV=%s)',
    async (nodeEnv) => {
      const { code, output } = await start({ NODE_ENV: nodeEnv, ...realShops });
      expect(code).toBe(78);
      expect(output).toContain('ENCRYPTION_KEYS is required outside sandbox mode');
      expect(output).toContain('ERP_WEBHOOK_SECRET is required outside sandbox mode');
    },
  );

  it('refuses the public sandbox ERP secret', async () => {
    const { code, output } = await start({
      NODE_ENV: 'development',
      ...realShops,
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      ERP_WEBHOOK_SECRET: SANDBOX_ERP_SECRET,
    });
    expect(code).toBe(78);
    expect(output).toContain('ERP_WEBHOOK_SECRET is the public sandbox secret');
  });
});
