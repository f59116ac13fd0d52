import { LatencySummary, summarize } from './bench-stats';

/** Pure figures of the orders benchmark, from the emulators' timestamps and what the ERP receiver got. */

/** One order as the emulator holds it (ms timestamps of the emulator's clock; 0 / undefined = not yet). */
export interface EmulatorOrder {
  id: string;
  createdAt: number;
  /** The ship-by: Kuaishou's own promise timestamp; Youzan has none, so pay time + the bench's promise. */
  deadlineAt: number;
  shippedAt?: number;
}

/**
 * Orders ingested per minute: of `orders` (created on the emulator), those the ERP receiver got,
 * over the span from the first creation to the last receipt. 0 when none arrived.
 */
export function ordersPerMinute(orders: readonly EmulatorOrder[], receivedAt: ReadonlyMap<string, number>): number {
  const got = orders.filter((o) => receivedAt.has(o.id));
  if (!got.length) return 0;
  const first = Math.min(...orders.map((o) => o.createdAt));
  const last = Math.max(...got.map((o) => receivedAt.get(o.id)!));
  const span = Math.max(1, last - first);
  return Math.round((got.length * 600_000) / span) / 10;
}

/** Ids of the emulator's orders the ERP receiver never got. */
export function lostOrders(orders: readonly EmulatorOrder[], receivedAt: ReadonlyMap<string, number>): string[] {
  return orders.filter((o) => !receivedAt.has(o.id)).map((o) => o.id);
}

/** Share of orders shipped on the emulator by their deadline (an unshipped order is late); 1 when there are none. */
export function onTimeRate(orders: readonly EmulatorOrder[]): number {
  if (!orders.length) return 1;
  const onTime = orders.filter((o) => o.shippedAt !== undefined && o.shippedAt > 0 && o.shippedAt <= o.deadlineAt);
  return Math.round((onTime.length / orders.length) * 10_000) / 10_000;
}

/** ERP shipment webhook sent → shipment applied on the emulator, for the orders that shipped. */
export function writebackLatency(
  orders: readonly EmulatorOrder[],
  shipmentSentAt: ReadonlyMap<string, number>,
): LatencySummary {
  const samples: number[] = [];
  for (const o of orders) {
    const sent = shipmentSentAt.get(o.id);
    if (sent !== undefined && o.shippedAt) samples.push(Math.max(0, o.shippedAt - sent));
  }
  return summarize(samples);
}

/**
 * The ceiling the platforms' documented QPS puts on ingestion, per minute: a pushed order costs one
 * detail read; polling reads a page of `pageSize` orders per list call.
 */
export function qpsCeilingPerMinute(qps: number, ordersPerCall: number): number {
  return Math.round(qps * ordersPerCall * 60);
}

export interface FlagSpec {
  name: string;
  fallback: number;
  help: string;
}

/** `--name=value` numbers (every one optional), or the usage text when `--help` is given. */
export function parseFlags(
  argv: readonly string[],
  specs: readonly FlagSpec[],
  usage: string,
): { help: string } | { values: Record<string, number> } {
  const help = [
    usage,
    '',
    ...specs.map((s) => `  --${s.name}=<n>`.padEnd(30) + `${s.help} (default ${s.fallback})`),
  ].join('\n');
  if (argv.includes('--help') || argv.includes('-h')) return { help };
  const values: Record<string, number> = {};
  for (const s of specs) values[s.name] = s.fallback;
  for (const arg of argv) {
    const m = /^--([a-z0-9-]+)=(.*)$/.exec(arg);
    if (!m) continue;
    const spec = specs.find((s) => s.name === m[1]);
    if (!spec) throw new Error(`unknown flag --${m[1]} (see --help)`);
    const value = Number(m[2]);
    if (m[2] === '' || !Number.isFinite(value) || value < 0) throw new Error(`--${m[1]} must be a number ≥ 0`);
    values[spec.name] = value;
  }
  return { values };
}
