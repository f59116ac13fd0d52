import { Injectable } from '@nestjs/common';

export interface CheckResult {
  up: boolean;
  [detail: string]: unknown;
}

export interface HealthCheck {
  name: string;
  /** A non-critical check (e.g. one platform's breaker) shows as degraded without failing /health. */
  critical: boolean;
  run(): Promise<CheckResult>;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, CheckResult & { critical: boolean }>;
}

const CHECK_TIMEOUT_MS = 3000;

/** Contexts register their own checks; /health reports them all. */
@Injectable()
export class HealthService {
  private readonly checks: HealthCheck[] = [];

  register(check: HealthCheck): void {
    this.checks.push(check);
  }

  async report(): Promise<HealthReport> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        let result: CheckResult;
        try {
          result = await Promise.race([
            check.run(),
            new Promise<CheckResult>((resolve) =>
              setTimeout(
                () => resolve({ up: false, error: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
                CHECK_TIMEOUT_MS,
              ).unref(),
            ),
          ]);
        } catch (error) {
          result = { up: false, error: (error as Error).message };
        }
        return [check.name, { ...result, critical: check.critical }] as const;
      }),
    );
    const checks = Object.fromEntries(results);
    const criticalDown = results.some(([, r]) => r.critical && !r.up);
    const anyDown = results.some(([, r]) => !r.up);
    return { status: criticalDown ? 'down' : anyDown ? 'degraded' : 'ok', checks };
  }
}
