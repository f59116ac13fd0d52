import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** e2e tests run the built service (`node dist/src/main.js`, as `npm start` does): build it once. */
export default function globalSetup(): void {
  execFileSync('npx', ['nest', 'build'], { cwd: join(__dirname, '..', '..'), stdio: 'inherit' });
}
