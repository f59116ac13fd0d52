import type { StockChange } from '../src/sandbox/shared/stock-listener';

export type StormPlatform = 'kuaishou' | 'youzan';

export interface ObservedSku {
  code: string;
  ks: { itemId: string; skuId: string };
  yz: { itemId: string; skuId: string };
}

interface SkuState {
  code: string;
  visible: Record<StormPlatform, number>;
  sold: Record<StormPlatform, number>;
  /** What the ERP last said the warehouse holds (nothing ships during a storm). */
  physical: number;
  maxExposure: number;
  maxExposureAt?: number;
  exposedSince?: number;
  exposedMs: number;
  /** Sales not yet followed by a stock write on the other platform, by the platform that sold. */
  unanswered: Record<StormPlatform, number[]>;
  /** Every change, to explain an exposure: [emulator time (ms), platform, cause, delta, stock after, exposure after]. */
  timeline: [number, string, string, number, number, number][];
}

export interface ObserverFigures {
  oversoldUnits: number;
  oversoldBySku: Record<string, number>;
  maxExposureOverStock: number;
  exposureBySku: { sku: string; maxExposure: number; exposedMs: number; at?: string }[];
  unitsSold: number;
  soldBy: Record<StormPlatform, number>;
  physicalUnits: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; samples: number; salesWithoutAnswer: number };
  stockChanges: number;
  apiWrites: Record<StormPlatform, number>;
  skus: {
    code: string;
    physical: number;
    sold: Record<StormPlatform, number>;
    visible: Record<StormPlatform, number>;
  }[];
  /** Timelines of the SKUs that were ever exposed beyond stock, oversold, or left with units unsold. */
  timelines: Record<string, [number, string, string, number, number, number][]>;
}

const OTHER: Record<StormPlatform, StormPlatform> = { kuaishou: 'youzan', youzan: 'kuaishou' };

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;

/**
 * Watches both emulators' stock from inside their process, on every change, and keeps per SKU
 * (Σ visible + Σ sold since start) − physical: the units buyers could take beyond what exists.
 * Latency is from a sale on one platform to the next API stock write applied on the other.
 */
export class StormObserver {
  private readonly bySku = new Map<string, SkuState>();
  private readonly byListing = new Map<string, SkuState>();
  private readonly latencies: number[] = [];
  private changes = 0;
  private readonly apiWrites: Record<StormPlatform, number> = { kuaishou: 0, youzan: 0 };
  lastChangeAt = Date.now();

  track(skus: ObservedSku[]): void {
    for (const s of skus) {
      const state: SkuState = {
        code: s.code,
        visible: { kuaishou: 0, youzan: 0 },
        sold: { kuaishou: 0, youzan: 0 },
        physical: 0,
        maxExposure: 0,
        exposedMs: 0,
        unanswered: { kuaishou: [], youzan: [] },
        timeline: [],
      };
      this.bySku.set(s.code, state);
      this.byListing.set(`kuaishou:${s.ks.itemId}:${s.ks.skuId}`, state);
      this.byListing.set(`youzan:${s.yz.itemId}:${s.yz.skuId}`, state);
    }
  }

  /** The ERP driver reports what it is about to send, before it is sent. */
  physical(code: string, onHand: number, at: number): void {
    const state = this.bySku.get(code);
    if (!state) return;
    state.physical = onHand;
    this.measure(state, at, 'erp', 'physical', onHand, onHand);
  }

  /** Listings tracked before they had stock: their current stock, as the starting point. */
  seed(platform: StormPlatform, itemId: string, skuId: string, stock: number): void {
    const state = this.byListing.get(`${platform}:${itemId}:${skuId}`);
    if (state) state.visible[platform] = stock;
  }

  change(platform: StormPlatform, change: StockChange): void {
    const state = this.byListing.get(`${platform}:${change.itemId}:${change.skuId}`);
    if (!state) return;
    this.changes++;
    this.lastChangeAt = Date.now();
    state.visible[platform] = change.stock;
    if (change.cause === 'sale') {
      state.sold[platform] -= change.delta;
      for (let i = 0; i < -change.delta; i++) state.unanswered[platform].push(change.at);
    } else if (change.cause === 'restock') {
      state.sold[platform] -= change.delta;
    } else if (change.cause === 'api') {
      this.apiWrites[platform]++;
      const waiting = state.unanswered[OTHER[platform]];
      for (const soldAt of waiting) this.latencies.push(change.at - soldAt);
      waiting.length = 0;
    }
    this.measure(state, change.at, platform, change.cause, change.delta, change.stock);
  }

  /** Every sale → other-platform write latency so far (ms), in arrival order. */
  latencySamples(): number[] {
    return [...this.latencies];
  }

  /** Listings whose observed stock differs from the store's own (should be none). */
  verify(actual: (platform: StormPlatform, code: string) => number): string[] {
    const wrong: string[] = [];
    for (const s of this.bySku.values()) {
      for (const p of ['kuaishou', 'youzan'] as const)
        if (actual(p, s.code) !== s.visible[p])
          wrong.push(`${s.code}@${p}: observed ${s.visible[p]}, store ${actual(p, s.code)}`);
    }
    return wrong;
  }

  visible(code: string): Record<StormPlatform, number> {
    return { ...this.bySku.get(code)!.visible };
  }

  figures(now = Date.now()): ObserverFigures {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const all = [...this.bySku.values()];
    for (const s of all) if (s.exposedSince !== undefined) s.exposedMs += now - s.exposedSince;
    const oversoldBySku: Record<string, number> = {};
    for (const s of all) {
      const over = s.sold.kuaishou + s.sold.youzan - s.physical;
      if (over > 0) oversoldBySku[s.code] = over;
    }
    return {
      oversoldUnits: Object.values(oversoldBySku).reduce((a, n) => a + n, 0),
      oversoldBySku,
      maxExposureOverStock: all.reduce((m, s) => Math.max(m, s.maxExposure), 0),
      exposureBySku: all
        .filter((s) => s.maxExposure > 0)
        .sort((a, b) => b.maxExposure - a.maxExposure || b.exposedMs - a.exposedMs)
        .map((s) => ({
          sku: s.code,
          maxExposure: s.maxExposure,
          exposedMs: s.exposedMs,
          at: s.maxExposureAt ? new Date(s.maxExposureAt).toISOString() : undefined,
        })),
      unitsSold: all.reduce((a, s) => a + s.sold.kuaishou + s.sold.youzan, 0),
      soldBy: {
        kuaishou: all.reduce((a, s) => a + s.sold.kuaishou, 0),
        youzan: all.reduce((a, s) => a + s.sold.youzan, 0),
      },
      physicalUnits: all.reduce((a, s) => a + s.physical, 0),
      latencyMs: {
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
        samples: sorted.length,
        salesWithoutAnswer: all.reduce((a, s) => a + s.unanswered.kuaishou.length + s.unanswered.youzan.length, 0),
      },
      stockChanges: this.changes,
      apiWrites: { ...this.apiWrites },
      skus: all.map((s) => ({ code: s.code, physical: s.physical, sold: { ...s.sold }, visible: { ...s.visible } })),
      timelines: Object.fromEntries(
        all
          .filter((s) => s.maxExposure > 0 || oversoldBySku[s.code] || s.sold.kuaishou + s.sold.youzan < s.physical)
          .map((s) => [s.code, s.timeline]),
      ),
    };
  }

  private measure(state: SkuState, at: number, platform: string, cause: string, delta: number, stock: number): void {
    const exposure =
      state.visible.kuaishou + state.visible.youzan + state.sold.kuaishou + state.sold.youzan - state.physical;
    state.timeline.push([at, platform, cause, delta, stock, exposure]);
    if (exposure > state.maxExposure) {
      state.maxExposure = exposure;
      state.maxExposureAt = at;
    }
    if (exposure > 0 && state.exposedSince === undefined) state.exposedSince = at;
    if (exposure <= 0 && state.exposedSince !== undefined) {
      state.exposedMs += at - state.exposedSince;
      state.exposedSince = undefined;
    }
  }
}
