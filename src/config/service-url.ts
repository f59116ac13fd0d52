import { existsSync } from 'node:fs';

/**
 * Where a local CLI (erp:stock, erp:ship, demo) finds the service: `--url`, else PUBLIC_BASE_URL, else
 * http://localhost:$PORT — the same settings (and `.env`) `npm start` reads.
 */
export function serviceUrl(explicit?: string, env: NodeJS.ProcessEnv = readEnv()): string {
  const url = explicit ?? env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  return url.replace(/\/$/, '');
}

function readEnv(): NodeJS.ProcessEnv {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}
