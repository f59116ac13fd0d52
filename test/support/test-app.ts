import { INestApplication, Type } from '@nestjs/common';
import { createApp } from '@app/bootstrap';
import { AppConfigShape } from '@app/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';
import { testConfig } from './test-config';

export interface TestApp {
  app: INestApplication;
  config: AppConfigShape;
  database: TestDatabase;
  /** Base URL when started with `listen: true`. */
  url: string;
  close(): Promise<void>;
}

const listening = new Map<string, INestApplication>();

/** The app listening at `url` (helpers that only get a URL create users through it). */
export function appAt(url: string): INestApplication {
  const app = listening.get(url);
  if (!app) throw new Error(`no test app listens at ${url}`);
  return app;
}

/** The real app on a fresh MariaDB database of its own; jobs off unless asked for. */
export async function startTestApp(
  options: {
    label?: string;
    env?: Record<string, string | undefined>;
    extraModules?: Type[];
    listen?: boolean;
    schedule?: boolean;
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(options.label ?? 'app'));
  const ownsDatabase = !options.database;
  const config = testConfig({ DATABASE_URL: database.url, ...options.env });
  let app: INestApplication | undefined;
  try {
    app = await createApp(config, { schedule: options.schedule ?? false, extraModules: options.extraModules });
    if (options.listen) await app.listen(config.http.port, '127.0.0.1');
    else await app.init();
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (ownsDatabase) await database.drop();
    throw error;
  }
  const address = options.listen ? (app.getHttpServer().address() as { port: number }) : undefined;
  const started = app;
  const url = address ? `http://127.0.0.1:${address.port}` : '';
  if (url) listening.set(url, started);
  return {
    app: started,
    config,
    database,
    url,
    close: async () => {
      listening.delete(url);
      await started.close();
      if (ownsDatabase) await database.drop();
    },
  };
}

/** Polls until `check` returns a truthy value. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  stepMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}
