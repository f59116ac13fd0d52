import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * e2e tests run the built service (`node dist/src/main.js`, as `npm start` does): build it once,
 * through the same script as `npm start`'s prestart, so its build stamp is written. Without the stamp,
 * a test running `npm start` rebuilds, and the rebuild deletes dist/ under the tests running beside it.
 */
export default function globalSetup(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], {
    cwd: join(__dirname, '..', '..'),
    stdio: 'inherit',
  });
}
