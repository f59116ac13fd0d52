/** Calls counted in one-second buckets over the last minute: how close a key runs to its QPS limit. */
export class CallRate {
  private readonly buckets = new Map<string, Map<number, number>>();

  constructor(private readonly seconds = 60) {}

  add(key: string, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    let counts = this.buckets.get(key);
    if (!counts) {
      counts = new Map();
      this.buckets.set(key, counts);
    }
    counts.set(second, (counts.get(second) ?? 0) + 1);
    for (const at of counts.keys()) if (at <= second - this.seconds) counts.delete(at);
  }

  /** Per key with a call in the window: calls in it and the busiest second. */
  snapshot(nowMs: number): Map<string, { lastMinute: number; peakPerSecond: number }> {
    const from = Math.floor(nowMs / 1000) - this.seconds;
    const out = new Map<string, { lastMinute: number; peakPerSecond: number }>();
    for (const [key, counts] of this.buckets) {
      let total = 0;
      let peak = 0;
      for (const [at, n] of counts) {
        if (at <= from) continue;
        total += n;
        peak = Math.max(peak, n);
      }
      if (total > 0) out.set(key, { lastMinute: total, peakPerSecond: peak });
      else this.buckets.delete(key);
    }
    return out;
  }
}
