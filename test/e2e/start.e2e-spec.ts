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
  /** Starts the built service on fresh ports and data; resolves once /health answers 200. */
  async function startService(level = 'info') {
    const ports = { http: await freePort(), kuaishou: await freePort(), youzan: await freePort() };
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: root,
      env: cleanEnv({
        PORT: String(ports.http),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-hygiene-')),
        SANDBOX_KUAISHOU_PORT: String(ports.kuaishou),
        SANDBOX_YOUZAN_PORT: String(ports.youzan),
        LOG_LEVEL: level,
      }),
    });
    const log = output(child);
    await eventually(
      async () => child.exitCode !== null || (await fetch(`http://127.0.0.1:${ports.http}/health`)).status === 200,
      60_000,
      250,
    );
    expect({ exit: child.exitCode, log: child.exitCode === null ? '' : log() }).toEqual({ exit: null, log: '' });
    return { child, ports, log };
  }

  const portIsFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });

  it('prints a short banner (URL, mode, where to sign in) and maps routes only at debug level', async () => {
    const { child, ports, log } = await startService('info');
    try {
      await eventually(() => log().includes('sign in at'), 20_000, 100);
      expect(log()).toContain(`kwaizan-sync listening on http://localhost:${ports.http}`);
      expect(log()).toMatch(/platforms: sandbox \(bundled emulators.*database: embedded SQLite.*events: in-process/);
      expect(log()).toContain(`sign in at http://localhost:${ports.http}/sign-in`);
      expect(log()).not.toContain('Mapped {');
      expect(
        log()
          .split('\n')
          .filter((l) => /RoutesResolver|RouterExplorer|InstanceLoader/.test(l)),
      ).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits on ${signal} and frees its port and the emulators' ports`, async () => {
      const { child, ports } = await startService('warn');
      for (const port of Object.values(ports)) expect(await portIsFree(port)).toBe(false);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      child.kill(signal);
      const end = await exited;
      expect(end.code === 0 || end.signal === signal).toBe(true);
      for (const port of Object.values(ports)) expect(await portIsFree(port)).toBe(true);
    });
  }

  it('leaves nothing behind when `npm start` (the npm wrapper) is stopped with SIGTERM', async () => {
    const ports = { http: await freePort(), kuaishou: await freePort(), youzan: await freePort() };
    const npm = spawn('npm', ['start'], {
      cwd: root,
      env: cleanEnv({
        PORT: String(ports.http),
        DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-npm-')),
        SANDBOX_KUAISHOU_PORT: String(ports.kuaishou),
        SANDBOX_YOUZAN_PORT: String(ports.youzan),
      }),
    });
    const log = output(npm);
    await eventually(
      async () => npm.exitCode !== null || (await fetch(`http://127.0.0.1:${ports.http}/health`)).status === 200,
      120_000,
      250,
    );
    expect({ exit: npm.exitCode, log: npm.exitCode === null ? '' : log() }).toEqual({ exit: null, log: '' });
    npm.kill('SIGTERM');
    await new Promise((r) => npm.once('exit', r));
    for (const port of Object.values(ports)) await eventually(() => portIsFree(port), 30_000, 200);
  });

  it('says once, without a stack trace, that the port is in use, and exits non-zero', async () => {
    const first = await startService('warn');
    try {
      const child = spawn(process.execPath, ['dist/src/main.js'], {
        cwd: root,
        env: cleanEnv({
          PORT: String(first.ports.http),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-inuse-')),
          SANDBOX_KUAISHOU_PORT: String(await freePort()),
          SANDBOX_YOUZAN_PORT: String(await freePort()),
        }),
      });
      const log = output(child);
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      const lines = log()
        .split('\n')
        .filter((l) => l.trim());
      expect(lines).toEqual([
        `kwaizan-sync cannot start: port ${first.ports.http} is already in use (another kwaizan-sync or another program). Stop it, or choose another port with PORT.`,
      ]);
      // An emulator's port taken says which setting moves it.
      const other = spawn(process.execPath, ['dist/src/main.js'], {
        cwd: root,
        env: cleanEnv({
          PORT: String(await freePort()),
          DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-inuse-')),
          SANDBOX_KUAISHOU_PORT: String(first.ports.kuaishou),
          SANDBOX_YOUZAN_PORT: String(await freePort()),
        }),
      });
      const otherLog = output(other);
      expect(await new Promise<number | null>((resolve) => other.once('exit', resolve))).toBe(1);
      expect(otherLog()).toContain(`port ${first.ports.kuaishou} is already in use`);
      expect(otherLog()).toContain('SANDBOX_KUAISHOU_PORT');
      expect(otherLog()).not.toMatch(/\n\s+at /);
    } finally {
      first.child.kill('SIGTERM');
      await new Promise((r) => first.child.once('exit', r));
    }
  });
});
