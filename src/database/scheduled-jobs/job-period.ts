/** The period a moment falls in: periods are aligned on the epoch, so every instance agrees. */
export function periodStart(nowMs: number, periodMs: number): number {
  if (!Number.isInteger(periodMs) || periodMs <= 0)
    throw new Error(`period must be a positive integer (ms), got ${periodMs}`);
  return Math.floor(nowMs / periodMs) * periodMs;
}

/**
 * Claims older than this are deleted when a job claims a new period: enough history to see what
 * ran (at least an hour, at least 100 periods), without growing for 5-second sweeps.
 */
export function claimRetentionMs(periodMs: number): number {
  return Math.max(3_600_000, 100 * periodMs);
}
