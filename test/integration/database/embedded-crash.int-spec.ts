import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { eventually } from '@test/support/test-app';

const CHILD = join(__dirname, '..', '..', 'support', 'embedded-writer.child.ts');
// The child runs the project's TypeScript without a build step.
const TS_HOOK = `
const ts = require('typescript');
// The path aliases of tsconfig.json (@app/*, @test/*), as jest maps them.
const paths = require('tsconfig-paths');
const config = paths.loadConfig(process.cwd());
paths.register({ baseUrl: config.absoluteBaseUrl, paths: config.paths });
const fs = require('fs');
require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true },
  });
  m._compile(out.outputText, filename);
};
process.argv.splice(1, 0, ${JSON.stringify(CHILD)});
require(${JSON.stringify(CHILD)});
`;

interface Writer {
  child: ChildProcess;
  acked: number[];
  exited: Promise<void>;
  stderr: () => string;
}

function startWriter(file: string): Writer {
  const child = spawn(process.execPath, ['-e', TS_HOOK, file], {
    cwd: join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acked: number[] = [];
  let pending = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line) acked.push(Number(line));
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, acked, exited, stderr: () => errors };
}

/** Opened with better-sqlite3 directly, whatever driver the service uses. */
function inspect(file: string): { integrity: string; ids: Set<number> } {
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(file);
    const integrity = (sqlite.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'crash_probe'").get() !== undefined;
    const ids = new Set(
      hasTable ? (sqlite.prepare('SELECT id FROM crash_probe').all() as { id: number }[]).map((r) => r.id) : [],
    );
    return { integrity, ids };
  } catch (error) {
    return { integrity: `cannot open: ${(error as Error).message}`, ids: new Set() };
  } finally {
    sqlite?.close();
  }
}

describe('embedded database under SIGKILL', () => {
  jest.setTimeout(600_000);

  it('opens intact after every kill mid-write and keeps every acknowledged commit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kwaizan-crash-')), 'kwaizan.sqlite');
    const everAcked: number[] = [];
    for (let round = 1; round <= 12; round++) {
      const writer = startWriter(file);
      try {
        // Wait for this round's writes to be flowing, then kill at a random instant among them.
        const start = writer.acked.length;
        await eventually(
          () =>
            writer.acked.length >= start + 20 ||
            (writer.child.exitCode !== null && Promise.reject(new Error(writer.stderr()))),
          120_000,
        );
        await new Promise((r) => setTimeout(r, Math.random() * 150));
      } finally {
        writer.child.kill('SIGKILL');
        await writer.exited;
      }
      everAcked.push(...writer.acked);
      expect(existsSync(file)).toBe(true);
      const { integrity, ids } = inspect(file);
      expect({ round, integrity }).toEqual({ round, integrity: 'ok' });
      const lost = everAcked.filter((id) => !ids.has(id));
      expect({ round, lost: lost.length, of: everAcked.length }).toEqual({ round, lost: 0, of: everAcked.length });
    }
    expect(everAcked.length).toBeGreaterThanOrEqual(12 * 20);
  });
});
