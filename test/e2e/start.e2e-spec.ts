import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sandboxSignIns, signInOverHttp } from '../support/sandbox-sign-in';
import { eventually } from '../support/test-app';

const root = join(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Environment of a fresh machine: nothing of ours set. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' };
  return { ...env, ...extra };
}

function output(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

describe('npm start (the real process)', () => {
  it('boots on embedded defaults (no database server, no Kafka) and /health answers 200', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'kwaizan-start-'));
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: cleanEnv({
        PORT: String(port),
        DATA_DIR: dataDir,
        SANDBOX_KUAISHOU_PORT: String(await freePort()),
        SANDBOX_YOUZAN_PORT: String(await freePort()),
      }),
    });
    const log = output(child);
    try {
      let health:
        | { status: number; body: { status: string; checks: Record<string, { up: boolean; kind?: string }> } }
        | undefined;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && child.exitCode === null) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          health = { status: res.status, body: (await res.json()) as NonNullable<typeof health>['body'] };
          if (res.status === 200) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      expect({ exit: child.exitCode, status: health?.status, log: health ? '' : log() }).toEqual({
        exit: null,
        status: 200,
        log: '',
      });
      // Liveness is public; the checks are for operators (the printed sandbox ops sign-in).
      expect(health!.body).toEqual({ status: health!.body.status });
      const demo = await eventually(() => sandboxSignIns(log()), 20_000, 100);
      const ops = await signInOverHttp(`http://127.0.0.1:${port}`, demo.ops.email, demo.ops.password);
      const detailed = (await (
        await fetch(`http://127.0.0.1:${port}/health`, { headers: { cookie: ops.cookie } })
      ).json()) as NonNullable<typeof health>['body'];
      expect(detailed.checks.database).toMatchObject({ up: true, kind: 'sqlite' });
      expect(detailed.checks.bus).toMatchObject({ up: true, kind: 'in-process' });
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    expect(child.exitCode === 0 || child.signalCode === 'SIGTERM').toBe(true);
  });

  it('keeps every acknowledged write when killed with SIGKILL, and starts again on the same data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kwaizan-kill-'));
    const boot = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        cwd: root,
        env: cleanEnv({
          PORT: String(port),
          DATA_DIR: dataDir,
          SANDBOX_KUAISHOU_PORT: String(await freePort()),
          SANDBOX_YOUZAN_PORT: String(await freePort()),
        }),
      });
      const log = output(child);
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 60_000;
      let status: number | undefined;
      while (Date.now() < deadline && child.exitCode === null && status !== 200) {
        status = await fetch(`${url}/health`).then(
          (r) => r.status,
          () => undefined,
        );
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect({ exit: child.exitCode, status, log: status === 200 ? '' : log() }).toEqual({
        exit: null,
        status: 200,
        log: '',
      });
      return { child, url, log };
    };
    const first = await boot();
    // The demo owner printed at the first start; each API token it makes is an acknowledged write.
    const demo = await eventually(() => sandboxSignIns(first.log()), 20_000, 100);
    const names: string[] = [];
    try {
      const owner = await signInOverHttp(first.url, demo.owner.email, demo.owner.password);
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${first.url}/api/merchants/${demo.owner.merchantId}/api-tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: owner.cookie, 'x-csrf-token': owner.csrf },
          body: JSON.stringify({ name: `Survivor ${i}` }),
        });
        expect(res.status).toBe(201);
        names.push(`Survivor ${i}`);
      }
    } finally {
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
    }
    const second = await boot();
    try {
      const owner = await signInOverHttp(second.url, demo.owner.email, demo.owner.password);
      const tokens = (await (
        await fetch(`${second.url}/api/merchants/${demo.owner.merchantId}/api-tokens`, {
          headers: { cookie: owner.cookie },
        })
      ).json()) as { name: string }[];
      expect(tokens.map((t) => t.name).sort()).toEqual([...names].sort());
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });

  it('refuses to start on a bad configuration and names every bad variable', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: cleanEnv({
        PORT: 'eighty',
        DATABASE_URL: 'postgres://nope',
        KAFKA_BROKERS: 'nohostport',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-bad-')),
      }),
    });
    const log = output(child);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(log()).toMatch(/cannot start/);
    for (const name of ['PORT', 'DATABASE_URL', 'KAFKA_BROKERS']) expect(log()).toContain(name);
  });
});
