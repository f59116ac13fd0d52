import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfigShape, loadConfig } from '@app/config/app-config';

/** A validated config for tests: no .env, a private data dir, quiet logs, fast retries. */
export function testConfig(env: Record<string, string | undefined> = {}): AppConfigShape {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kwaizan-test-')),
    PORT: '0',
    OUTBOX_POLL_INTERVAL_MS: '50',
    CONSUMER_RETRY_BASE_MS: '10',
    CONSUMER_MAX_ATTEMPTS: '3',
    // Dead-letter after those 3 attempts; tests of in-lane retries set their own window.
    CONSUMER_RETRY_WINDOW_MS: '1',
    // Sandbox mode, but emulators are started by the tests that need them (never on fixed ports).
    KUAISHOU_API_BASE_URL: 'http://127.0.0.1:9',
    YOUZAN_API_BASE_URL: 'http://127.0.0.1:9',
    ...env,
  });
}
