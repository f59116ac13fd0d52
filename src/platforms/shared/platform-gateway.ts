import { Logger } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { backoffDelay, sleep } from '@app/common/sleep';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { Platform } from '../ports/platform.types';
import { PlatformError } from '../platform-error';
import { METRICS } from '@app/ops/metrics/metric-names';
import { CallRate } from './call-rate';

export interface GatewayOptions {
  platform: Platform;
  /** QPS per API name (documented defaults merged with configured overrides). */
  apiQps: Record<string, number>;
  defaultApiQps: number;
  shopQps: number;
  retryAttempts: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  breaker: { errorThresholdPercent: number; volumeThreshold: number; resetTimeoutMs: number };
  /** Longest a call waits for a rate-limit token before failing RATE_LIMITED locally. */
  maxQueueWaitMs?: number;
  /**
   * A retry that would have to wait longer than this (e.g. a daily quota's retry-after) is not
   * waited for in-process: the error is thrown for the caller to schedule. Unset: always wait.
   */
  maxRetryDelayMs?: number;
}

export interface CallSpec {
  api: string;
  /** Key of the shop the call is for; calls without one (OAuth) skip the per-shop limit. */
  shopKey?: string;
  /** Safe to repeat: retried on TEMPORARY / RATE_LIMITED with backoff. */
  idempotent: boolean;
  /** Breaker group; defaults to the whole platform. */
  group?: string;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** Calls that took a rate-limit token in the last minute, against the limit they are held to. */
export interface CallUsage {
  key: string;
  limitQps: number;
  lastMinute: number;
  peakPerSecond: number;
}

/** Calls made and failed (any answer but success) for one API in one minute, not yet persisted. */
export interface CallTally {
  api: string;
  minuteStart: number;
  calls: number;
  errors: number;
}

export interface GatewayUsage {
  breakers: Record<string, BreakerState>;
  apis: CallUsage[];
  shops: CallUsage[];
}

const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

/**
 * Resilience around every call to one platform: per-(app, API) and per-shop rate limits,
 * an opossum circuit breaker per operation group, and retries with exponential backoff and
 * jitter for operations that are safe to repeat. Only outages (TEMPORARY/UNKNOWN) count
 * against the breaker; a business rejection says nothing about the platform's health.
 */
export class PlatformGateway {
  private readonly logger: Logger;
  private readonly apiLimiters = new Map<string, RateLimiterQueue>();
  private readonly shopLimiters = new Map<string, RateLimiterQueue>();
  private readonly breakers = new Map<string, CircuitBreaker<[() => Promise<unknown>], unknown>>();
  private readonly apiRate = new CallRate();
  private readonly shopRate = new CallRate();
  private tally = new Map<string, CallTally>();

  constructor(
    private readonly options: GatewayOptions,
    private readonly metrics: MetricsService,
  ) {
    this.logger = new Logger(`${options.platform}-gateway`);
  }

  get platform(): Platform {
    return this.options.platform;
  }

  async call<T>(spec: CallSpec, fn: () => Promise<T>): Promise<T> {
    const attempts = spec.idempotent ? Math.max(1, this.options.retryAttempts) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(spec, fn);
      } catch (error) {
        const retryable = error instanceof PlatformError && error.transient && !error.ambiguous;
        const retryableAmbiguous = error instanceof PlatformError && error.ambiguous && spec.idempotent;
        if (attempt >= attempts || !(retryable || retryableAmbiguous) || this.breakerState(spec.group) === 'open')
          throw error;
        const delay = Math.max(
          (error as PlatformError).retryAfterMs ?? 0,
          backoffDelay(attempt, this.options.retryBaseMs ?? 200, this.options.retryCapMs ?? 5_000),
        );
        if (this.options.maxRetryDelayMs !== undefined && delay > this.options.maxRetryDelayMs) throw error;
        this.logger.warn(
          `${spec.api} attempt ${attempt} failed (${(error as PlatformError).code}); retrying in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  }

  breakerState(group?: string): BreakerState {
    const breaker = this.breakers.get(group ?? this.options.platform);
    if (!breaker) return 'closed';
    return breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed';
  }

  breakerStates(): Record<string, BreakerState> {
    const states: Record<string, BreakerState> = { [this.options.platform]: 'closed' };
    for (const group of this.breakers.keys()) states[group] = this.breakerState(group);
    return states;
  }

  /** Breakers and the last minute's calls per API and per shop, for the ops console. */
  usage(now = Date.now()): GatewayUsage {
    const rows = (rate: CallRate, limitOf: (key: string) => number): CallUsage[] =>
      [...rate.snapshot(now)]
        .map(([key, u]) => ({ key, limitQps: limitOf(key), ...u }))
        .sort((a, b) => b.peakPerSecond / b.limitQps - a.peakPerSecond / a.limitQps || a.key.localeCompare(b.key));
    return {
      breakers: this.breakerStates(),
      apis: rows(this.apiRate, (api) => this.options.apiQps[api] ?? this.options.defaultApiQps),
      shops: rows(this.shopRate, () => this.options.shopQps),
    };
  }

  /** The calls counted per API and minute since the last drain (the call-stats flush persists them). */
  drainTally(): CallTally[] {
    const drained = [...this.tally.values()];
    this.tally = new Map();
    return drained;
  }

  /** Puts back figures a failed flush could not persist, so they are counted in the next one. */
  restoreTally(rows: CallTally[]): void {
    for (const row of rows) {
      const key = `${row.minuteStart}|${row.api}`;
      const current = this.tally.get(key);
      this.tally.set(
        key,
        current ? { ...row, calls: row.calls + current.calls, errors: row.errors + current.errors } : row,
      );
    }
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private async once<T>(spec: CallSpec, fn: () => Promise<T>): Promise<T> {
    await this.acquire(spec);
    const started = Date.now();
    const breaker = this.breaker(spec.group ?? this.options.platform);
    try {
      const result = (await breaker.fire(fn)) as T;
      this.observe(spec.api, 'ok', started);
      return result;
    } catch (error) {
      if ((error as { code?: string }).code === 'EOPENBREAKER') {
        this.observe(spec.api, 'breaker_open', started);
        throw new PlatformError({
          platform: this.options.platform,
          api: spec.api,
          code: 'TEMPORARY',
          message: `${this.options.platform} circuit breaker is open: calls are paused after repeated failures`,
        });
      }
      this.observe(spec.api, error instanceof PlatformError ? error.code : 'UNKNOWN', started);
      throw error;
    }
  }

  private async acquire(spec: CallSpec): Promise<void> {
    const wait = this.options.maxQueueWaitMs ?? 30_000;
    const take = async (queue: RateLimiterQueue, what: string) => {
      const deadline = Date.now() + wait;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          queue.removeTokens(1),
          new Promise<never>((_, reject) => {
            // Cleared below: a pending timer per call would keep the process alive for `wait` ms.
            timer = setTimeout(() => reject(new Error('queue wait exceeded')), wait);
          }),
        ]);
      } catch {
        throw new PlatformError({
          platform: this.options.platform,
          api: spec.api,
          code: 'RATE_LIMITED',
          message: `local ${what} rate limit: no call slot within ${wait} ms`,
          retryAfterMs: Math.max(1000, deadline - Date.now()),
        });
      } finally {
        clearTimeout(timer);
      }
    };
    await take(this.apiLimiter(spec.api), 'per-API');
    this.apiRate.add(spec.api, Date.now());
    if (spec.shopKey) {
      await take(this.shopLimiter(spec.shopKey), 'per-shop');
      this.shopRate.add(spec.shopKey, Date.now());
    }
  }

  private apiLimiter(api: string): RateLimiterQueue {
    let queue = this.apiLimiters.get(api);
    if (!queue) {
      const qps = this.options.apiQps[api] ?? this.options.defaultApiQps;
      queue = new RateLimiterQueue(new RateLimiterMemory({ points: qps, duration: 1 }), { maxQueueSize: 10_000 });
      this.apiLimiters.set(api, queue);
    }
    return queue;
  }

  private shopLimiter(shopKey: string): RateLimiterQueue {
    let queue = this.shopLimiters.get(shopKey);
    if (!queue) {
      queue = new RateLimiterQueue(new RateLimiterMemory({ points: this.options.shopQps, duration: 1 }), {
        maxQueueSize: 10_000,
      });
      this.shopLimiters.set(shopKey, queue);
    }
    return queue;
  }

  private breaker(group: string): CircuitBreaker<[() => Promise<unknown>], unknown> {
    let breaker = this.breakers.get(group);
    if (!breaker) {
      const { errorThresholdPercent, volumeThreshold, resetTimeoutMs } = this.options.breaker;
      breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
        timeout: false,
        errorThresholdPercentage: errorThresholdPercent,
        volumeThreshold,
        resetTimeout: resetTimeoutMs,
        rollingCountTimeout: 10_000,
        rollingCountBuckets: 10,
        // Business rejections are answers, not outages: they do not count as failures.
        errorFilter: (error: unknown) =>
          error instanceof PlatformError && !['TEMPORARY', 'UNKNOWN'].includes(error.code),
      });
      const gauge = this.metrics.gauge(METRICS.platformBreakerState);
      const set = (state: BreakerState) =>
        gauge.set({ platform: this.options.platform, group }, BREAKER_STATE_VALUE[state]);
      breaker.on('open', () => {
        set('open');
        this.logger.warn(`breaker ${group} opened`);
      });
      breaker.on('halfOpen', () => set('half_open'));
      breaker.on('close', () => {
        set('closed');
        this.logger.log(`breaker ${group} closed`);
      });
      set('closed');
      this.breakers.set(group, breaker);
    }
    return breaker;
  }

  private observe(api: string, outcome: string, started: number): void {
    const now = Date.now();
    const minuteStart = now - (now % 60_000);
    const key = `${minuteStart}|${api}`;
    const row = this.tally.get(key) ?? { api, minuteStart, calls: 0, errors: 0 };
    row.calls += 1;
    if (outcome !== 'ok') row.errors += 1;
    this.tally.set(key, row);
    const labels = { platform: this.options.platform, api, outcome };
    this.metrics.counter(METRICS.platformCallsTotal).inc(labels);
    this.metrics
      .histogram(METRICS.platformCallSeconds)
      .observe({ platform: this.options.platform, api }, (Date.now() - started) / 1000);
  }
}
