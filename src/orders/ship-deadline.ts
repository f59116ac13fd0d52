import type { ChannelOrderStatus } from '../platforms/ports/orders.port';

export const HOUR_MS = 3_600_000;
/** Youzan documents no ship-by: the shop's promise after payment, 48 h unless the shop says otherwise. */
export const DEFAULT_PROMISE_HOURS = 48;

/** Where a deadline came from: the platform's own ship-by, its approved delay, a presale promise or the shop policy. */
export type DeadlineSource = 'platform' | 'platform_delay' | 'presale' | 'policy';

export interface DeadlineInput {
  status: ChannelOrderStatus;
  paidAt?: number | null;
  /** The platform's ship-by (Kuaishou `validPromiseShipmentTimeStamp`; 0 or absent = none given). */
  platformShipBy?: number | null;
  /** A later ship-by the platform approved (Kuaishou `sellerDelayPromiseTimeStamp`). */
  delayedShipBy?: number | null;
  /** Whether the platform computes a ship-by itself (then a missing one means "must not ship"). */
  platformComputesShipBy: boolean;
  /** Reasons the platform forbids shipping now. */
  shipHolds: string[];
  /** Presale ship times the platform promised per line. */
  presaleShipAt: (number | undefined)[];
  /** The shop's promise after payment, in hours. */
  promiseHours: number;
}

export interface ShipDeadline {
  /** Ship-by in epoch ms; null when there is none (unpaid, cancelled, held, must not ship). */
  at: number | null;
  source: DeadlineSource | null;
  /** The platform forbids shipping now (hold reasons, or a platform ship-by of 0 on a paid order). */
  held: boolean;
}

const NO_DEADLINE: ShipDeadline = { at: null, source: null, held: false };

/**
 * The ship-by of one order. The platform's own field wins when it computes one (an approved delay
 * moves it later); otherwise pay time plus the shop's promise, or the latest presale promise
 * when a line is presale. Shipped orders keep their deadline (for the on-time rate).
 */
export function shipDeadline(input: DeadlineInput): ShipDeadline {
  if (input.status === 'unpaid' || input.status === 'cancelled') return NO_DEADLINE;
  const open = input.status === 'paid';
  const held = open && input.shipHolds.length > 0;
  if (input.platformComputesShipBy) {
    const base = input.platformShipBy || 0;
    const delayed = input.delayedShipBy || 0;
    if (delayed > base) return { at: delayed, source: 'platform_delay', held };
    if (base > 0) return { at: base, source: 'platform', held };
    return { at: null, source: null, held: open };
  }
  const presale = input.presaleShipAt.filter((t): t is number => typeof t === 'number' && t > 0);
  if (presale.length) return { at: Math.max(...presale), source: 'presale', held };
  if (!input.paidAt) return { at: null, source: null, held };
  const hours = input.promiseHours > 0 ? input.promiseHours : DEFAULT_PROMISE_HOURS;
  return { at: input.paidAt + hours * HOUR_MS, source: 'policy', held };
}

/** Alert levels, in the order they are reached. */
export const RISK_LEVELS = ['h12', 'h4', 'overdue'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The level an open order has reached at `now`: 12 h left, 4 h left, overdue; null before that. */
export function riskLevel(deadlineAt: number | null, now: number): RiskLevel | null {
  if (deadlineAt === null) return null;
  const left = deadlineAt - now;
  if (left <= 0) return 'overdue';
  if (left <= 4 * HOUR_MS) return 'h4';
  if (left <= 12 * HOUR_MS) return 'h12';
  return null;
}

/** Whether `level` is further than `reached` (a level is raised once, higher ones later). */
export function isHigherRisk(level: RiskLevel, reached: RiskLevel | null): boolean {
  return reached === null || RISK_LEVELS.indexOf(level) > RISK_LEVELS.indexOf(reached);
}

export interface OnTimeRate {
  /** Orders with a deadline that shipped, or whose deadline passed unshipped. */
  due: number;
  onTime: number;
  late: number;
  /** onTime / due, null when nothing was due. */
  rate: number | null;
}

/**
 * The on-time shipping rate: of the orders whose deadline fell in the window or that shipped,
 * those shipped by their deadline. An unshipped order counts only once its deadline has passed.
 */
export function onTimeRate(orders: { deadlineAt: number | null; shippedAt: number | null }[], now: number): OnTimeRate {
  let onTime = 0;
  let late = 0;
  for (const o of orders) {
    if (o.deadlineAt === null) continue;
    if (o.shippedAt !== null) {
      if (o.shippedAt <= o.deadlineAt) onTime++;
      else late++;
    } else if (o.deadlineAt < now) late++;
  }
  const due = onTime + late;
  return { due, onTime, late, rate: due ? onTime / due : null };
}
