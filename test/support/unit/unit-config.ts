import { AppConfigShape, loadConfig } from '@app/config/app-config';

let cached: AppConfigShape | undefined;

/**
 * A validated sandbox config for unit tests (what `loadConfig` makes of a test environment), built
 * once per test file. Tests that need another value pass their own copy: never mutate this one.
 */
export function unitConfig(): AppConfigShape {
  cached ??= loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent/kwaizan-unit',
    PORT: '0',
    // A fixed key, so building the config writes no key file.
    ENCRYPTION_KEYS: `unit:${Buffer.alloc(32, 7).toString('base64')}`,
    KUAISHOU_API_BASE_URL: 'http://127.0.0.1:9',
    YOUZAN_API_BASE_URL: 'http://127.0.0.1:9',
  });
  return cached;
}
