import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The service under test as its own OS process (`node dist/src/main.js`), so a benchmark can
 * kill it with SIGKILL mid-burst and start it again on the same database and port.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  starts = 0;
  kills = 0;

  constructor(
    readonly url: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Resident set size of the running service (bytes, from /proc), undefined when not running. */
  rssBytes(): number | undefined {
    const pid = this.child?.exitCode === null ? this.child.pid : undefined;
    if (!pid) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const main = join(__dirname, '..', 'src', 'main.js');
    this.child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    this.starts++;
    const child = this.child;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} while starting`);
      try {
        const res = await fetch(`${this.url}/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the service did not answer /health within ${timeoutMs} ms`);
  }

  /** SIGKILL: no shutdown hooks, no flush; whatever was in flight is cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
