/**
 * What a failure means for the work that met it (the table for platform errors is
 * `src/platforms/failure-policy.ts`):
 * - `retry`: try again with backoff;
 * - `reauth`: the grant is gone or lacks a permission: parked until the merchant authorizes again;
 * - `park`: the same request gets the same answer: kept as a sync failure for ops;
 * - `drop`: nothing is left to do: acknowledged without a sync failure.
 */
export type FailureDisposition = 'retry' | 'reauth' | 'park' | 'drop';

/** How a failure is written down in a sync failure (the platform's code and details). */
export interface DescribedFailure {
  errorCode: string;
  platform?: string;
  platformCode?: string;
  platformMessage?: string;
}

/** What the consumer runner asks of the failure policy. */
export interface FailurePolicy {
  dispositionOf(error: unknown): FailureDisposition;
  describe(error: unknown): DescribedFailure | undefined;
}
