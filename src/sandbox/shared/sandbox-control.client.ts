import axios, { AxiosInstance } from 'axios';
import { SandboxControlError } from './control.errors';
import type { CountersSnapshot } from './counters';
import type { FaultRule, PushFaults } from './fault-injector';
import type { PriceChange } from './price-log';

export { SandboxControlError } from './control.errors';

export interface SandboxFaults {
  rules: FaultRule[];
  push: PushFaults;
}

/** What both emulators take on PUT /__sandbox/faults; each adds its own platform switches. */
export interface SandboxFaultsInput<Rule extends FaultRule = FaultRule> {
  /** Replaces the fault rules. */
  rules?: Rule[];
  /** Merged into the push faults. */
  push?: Partial<PushFaults>;
  /** Makes a run repeatable. */
  seed?: number;
  /** Orders become readable (order APIs, pushes) that long after they took stock (kept by resetFaults). */
  orderReadLagMs?: number;
}

export interface SandboxClock {
  now: number;
  offsetMs: number;
}

export interface SandboxPush {
  url: string | null;
  retryDelaysMs: number[];
  timeoutMs: number;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * The part of the `/__sandbox` control API both emulators share (faults, clock, counters, push),
 * with one request/error convention. The platform clients add shops, items, orders and refunds
 * under the same method names.
 */
export abstract class SandboxControlClient<Faults extends SandboxFaultsInput<FaultRule>> {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string) {
    const baseURL = `${baseUrl.replace(/\/$/, '')}/__sandbox`;
    this.http = axios.create({ baseURL, timeout: 10_000, validateStatus: () => true });
  }

  setFaults(input: Faults): Promise<SandboxFaults & Omit<Faults, 'rules' | 'push' | 'seed'>> {
    return this.request('put', '/faults', input);
  }

  getFaults(): Promise<SandboxFaults> {
    return this.request('get', '/faults');
  }

  /** Clears fault rules and push faults; platform switches such as `orderReadLagMs` stay. */
  resetFaults(): Promise<SandboxFaults> {
    return this.request('delete', '/faults');
  }

  advanceClock(ms: number): Promise<SandboxClock> {
    return this.request('post', '/clock/advance', { ms });
  }

  clock(): Promise<SandboxClock> {
    return this.request('get', '/clock');
  }

  counters(): Promise<CountersSnapshot> {
    return this.request('get', '/counters');
  }

  /** Every price the emulator applied (API writes and back-office edits), oldest first. */
  priceHistory(filter: { itemId?: string; skuId?: string } = {}): Promise<PriceChange[]> {
    const query = new URLSearchParams(
      Object.entries(filter).filter(([, v]) => v !== undefined) as [string, string][],
    ).toString();
    return this.request('get', `/price-history${query ? `?${query}` : ''}`);
  }

  resetCounters(): Promise<CountersSnapshot> {
    return this.request('post', '/counters/reset', {});
  }

  getPush(): Promise<SandboxPush> {
    return this.request('get', '/push');
  }

  /** Where pushes go (`url: null`: off), and optionally the retry schedule and receiver timeout. */
  setPush(input: { url: string | null; retryDelaysMs?: number[]; timeoutMs?: number }): Promise<SandboxPush> {
    return this.request('put', '/push', input);
  }

  protected async request<T>(method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const data = method === 'get' ? undefined : (body ?? {});
    const headers = { 'Content-Type': 'application/json' };
    const res = await this.http.request<unknown>({ method, url: path, data, headers });
    if (res.status >= 400) {
      const error = (res.data ?? {}) as { error?: string; message?: string };
      const message = error.message ?? `${method.toUpperCase()} ${path} answered ${res.status}`;
      throw new SandboxControlError(res.status, error.error ?? `http_${res.status}`, message);
    }
    return res.data as T;
  }
}
