/** What a test or benchmark can read back from an emulator. */
export interface CountersSnapshot {
  calls: Record<string, number>;
  writesApplied: Record<string, number>;
  rejected: Record<string, number>;
  push: {
    sent: number;
    delivered: number;
    acknowledged: number;
    failedAttempts: number;
    lost: number;
    duplicated: number;
    pending: number;
  };
  /** Stock writes carrying an operation id already applied once (should stay 0). */
  duplicateOperationIds: number;
  /** Injected or modelled faults that actually happened, by kind (see {@link FaultKind}). */
  faultsFired: Record<string, number>;
}

/**
 * Fault kinds counted in `faultsFired`: injected latency, platform error bodies, throttling,
 * HTTP 502s, answers dropped after the write was applied, "system busy" answers to writes that
 * were applied, calls applied after the caller's
 * timeout, lost / duplicated / delayed pushes, shops whose merchant withdrew the app, order reads
 * that missed an order not readable yet (read lag), and the
 * platforms' own refusals a client must survive (Youzan refusing a negative increment, Kuaishou
 * refusing a decrease below the activity reserve).
 */
export type FaultKind =
  | 'latency'
  | 'error'
  | 'throttle'
  | 'http_error'
  | 'response_dropped_after_apply'
  | 'late_apply'
  | 'push_lost'
  | 'push_duplicated'
  | 'push_delayed'
  | 'shop_revoked'
  | 'read_lag'
  | 'refused_negative_increment'
  | 'activity_reserve_refused'
  | 'busy_after_apply'
  | (string & {});

export class Counters {
  private calls = new Map<string, number>();
  private applied = new Map<string, number>();
  private rejections = new Map<string, number>();
  private faults = new Map<string, number>();
  push = { sent: 0, delivered: 0, acknowledged: 0, failedAttempts: 0, lost: 0, duplicated: 0, pending: 0 };
  duplicateOperationIds = 0;

  call(api: string): void {
    this.calls.set(api, (this.calls.get(api) ?? 0) + 1);
  }

  writeApplied(api: string): void {
    this.applied.set(api, (this.applied.get(api) ?? 0) + 1);
  }

  fault(kind: FaultKind, times = 1): void {
    this.faults.set(kind, (this.faults.get(kind) ?? 0) + times);
  }

  rejected(reason: string): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  reset(): void {
    this.calls.clear();
    this.applied.clear();
    this.rejections.clear();
    this.faults.clear();
    this.push = { sent: 0, delivered: 0, acknowledged: 0, failedAttempts: 0, lost: 0, duplicated: 0, pending: 0 };
    this.duplicateOperationIds = 0;
  }

  snapshot(): CountersSnapshot {
    return {
      calls: Object.fromEntries(this.calls),
      writesApplied: Object.fromEntries(this.applied),
      rejected: Object.fromEntries(this.rejections),
      push: { ...this.push },
      duplicateOperationIds: this.duplicateOperationIds,
      faultsFired: Object.fromEntries(this.faults),
    };
  }
}
