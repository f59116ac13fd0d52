import { SeededRandom } from './random';

/**
 * One fault rule. `api` is the platform's API name (`open.item.sku.stock.update`,
 * `youzan.item.quantity.update`) or `*` for every API.
 */
export interface FaultRule {
  api: string;
  /** Added latency in ms before the call is handled. */
  latencyMs?: number;
  /** Share of calls (0..1) answered with the platform's error body named by `error`. */
  errorRate?: number;
  /** Platform-specific error name (each emulator documents its list); default: its system error. */
  error?: string;
  /** Share of calls answered with the platform's throttling body. */
  throttleRate?: number;
  /** Calls per second above which calls are throttled (the platform's QPS limit). */
  maxQps?: number;
  /** Share of calls that are applied, then the connection is dropped before the answer. */
  dropResponseRate?: number;
  /** Answer with HTTP 502 and no body (gateway trouble), without applying. */
  httpErrorRate?: number;
  /**
   * Share of calls accepted, then held `lateApplyDelayMs` (past the client's timeout) before
   * they are applied: the caller sees a timeout for a write that lands afterwards.
   */
  lateApplyRate?: number;
  /** How long a late-applied call is held before it is applied (default 15 s). */
  lateApplyDelayMs?: number;
  /**
   * Share of calls applied, then answered with the platform's "system busy" error body (Kuaishou
   * result 2), as an overloaded gateway may: the write landed although the answer says it failed.
   * Kuaishou emulator only.
   */
  busyAfterApplyRate?: number;
}

export interface PushFaults {
  /** Share of push messages never delivered at all. */
  lossRate: number;
  /** Share of push messages delivered twice. */
  duplicateRate: number;
  /** Added delay before each delivery, in ms. */
  delayMs: number;
}

export interface CallPlan {
  latencyMs: number;
  error?: string;
  throttle: boolean;
  dropResponse: boolean;
  httpError: boolean;
  /** Set when the call is held this long, then applied. */
  lateApplyMs?: number;
  /** Applied, then answered "system busy". */
  busyAfterApply: boolean;
}

export const DEFAULT_LATE_APPLY_DELAY_MS = 15_000;

const NO_PUSH_FAULTS: PushFaults = { lossRate: 0, duplicateRate: 0, delayMs: 0 };

/** Decides, per call, which injected faults apply. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private pushFaults: PushFaults = { ...NO_PUSH_FAULTS };
  private readonly windows = new Map<string, number[]>();

  constructor(readonly random = new SeededRandom()) {}

  setRules(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r }));
  }

  addRule(rule: FaultRule): void {
    this.rules = [...this.rules.filter((r) => r.api !== rule.api), { ...rule }];
  }

  setPushFaults(faults: Partial<PushFaults>): void {
    this.pushFaults = { ...this.pushFaults, ...faults };
  }

  reset(): void {
    this.rules = [];
    this.pushFaults = { ...NO_PUSH_FAULTS };
    this.windows.clear();
  }

  get push(): PushFaults {
    return this.pushFaults;
  }

  describe(): { rules: FaultRule[]; push: PushFaults } {
    return { rules: this.rules, push: this.pushFaults };
  }

  plan(api: string): CallPlan {
    const matching = this.rules.filter((r) => r.api === api || r.api === '*');
    const plan: CallPlan = {
      latencyMs: 0,
      throttle: false,
      dropResponse: false,
      httpError: false,
      busyAfterApply: false,
    };
    for (const rule of matching) {
      plan.latencyMs += rule.latencyMs ?? 0;
      if (!plan.error && this.random.chance(rule.errorRate)) plan.error = rule.error ?? 'system';
      if (this.random.chance(rule.throttleRate)) plan.throttle = true;
      if (rule.maxQps !== undefined && this.overQps(`${rule.api}|${api}`, rule.maxQps)) plan.throttle = true;
      if (this.random.chance(rule.dropResponseRate)) plan.dropResponse = true;
      if (this.random.chance(rule.httpErrorRate)) plan.httpError = true;
      if (this.random.chance(rule.busyAfterApplyRate)) plan.busyAfterApply = true;
      if (plan.lateApplyMs === undefined && this.random.chance(rule.lateApplyRate))
        plan.lateApplyMs = rule.lateApplyDelayMs ?? DEFAULT_LATE_APPLY_DELAY_MS;
    }
    return plan;
  }

  private overQps(key: string, maxQps: number): boolean {
    const now = Date.now();
    const window = (this.windows.get(key) ?? []).filter((t) => now - t < 1000);
    const over = window.length >= maxQps;
    if (!over) window.push(now);
    this.windows.set(key, window);
    return over;
  }
}
