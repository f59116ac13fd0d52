import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './bootstrap';
import { AppConfigShape, ConfigError, loadConfig } from './config/app-config';

/** What the process runs on, in a few lines (route mapping goes to the debug level). */
export function startBanner(config: AppConfigShape): string {
  const url = config.http.publicBaseUrl;
  const platforms = config.platforms.sandbox
    ? config.platforms.embeddedEmulators
      ? `sandbox (bundled emulators on ports ${config.platforms.sandboxPorts.kuaishou} and ${config.platforms.sandboxPorts.youzan})`
      : 'sandbox (external emulators)'
    : 'real Kuaishou and Youzan';
  const database =
    config.database.kind === 'sqlite' ? `embedded SQLite in ${config.dataDir}` : 'MySQL/MariaDB (DATABASE_URL)';
  const events = config.kafka ? 'Kafka (KAFKA_BROKERS)' : 'in-process from the outbox';
  return [
    `kwaizan-sync listening on ${url}`,
    `  platforms: ${platforms}; database: ${database}; events: ${events}`,
    `  sign in at ${url}/sign-in${config.platforms.embeddedEmulators ? ' (sandbox sign-ins are printed once, on the first start)' : ''}; API docs at ${url}/docs`,
  ].join('\n');
}

function addressInUse(error: unknown): { port?: number; address?: string } | undefined {
  const e = error as { code?: string; port?: number; address?: string } | undefined;
  return e?.code === 'EADDRINUSE' ? e : undefined;
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`kwaizan-sync cannot start. ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  try {
    const app = await createApp(config);
    await app.listen(config.http.port, config.http.host);
  } catch (error) {
    const inUse = addressInUse(error);
    if (!inUse) throw error;
    const port = inUse.port ?? config.http.port;
    const which =
      port === config.http.port
        ? 'PORT'
        : port === config.platforms.sandboxPorts.kuaishou
          ? 'SANDBOX_KUAISHOU_PORT'
          : port === config.platforms.sandboxPorts.youzan
            ? 'SANDBOX_YOUZAN_PORT'
            : 'its setting';
    console.error(
      `kwaizan-sync cannot start: port ${port} is already in use (another kwaizan-sync or another program). ` +
        `Stop it, or choose another port with ${which}.`,
    );
    process.exit(1);
  }
  console.log(startBanner(config));
  stopWithParent();
}

/**
 * Under `npm start` the parent is npm: when npm is stopped (SIGTERM, a closed terminal) without
 * passing the signal on, the service stops too instead of keeping its ports as an orphan.
 */
function stopWithParent(): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 500).unref();
}

void main();
