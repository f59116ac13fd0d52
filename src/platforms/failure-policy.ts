import type { FailureDisposition } from '../messaging/consumer/failure-disposition';
import { isPlatformError, PlatformError, PlatformErrorCode } from './platform-error';

/**
 * What a failed platform call means for the work that made it (conventions §11):
 * - `retry`: the operation is fine, the platform is not (yet): try again with backoff;
 * - `reauth`: the grant is gone or lacks a permission: the connection stops until the merchant
 *   authorizes again (done at the channel boundary), and the work is parked, not retried;
 * - `park`: the platform refused this request; the same request gets the same answer, so it is
 *   kept as a sync failure for ops, who retry it by hand or dismiss it;
 * - `drop`: nothing is left to do (the work is moot); acknowledged without a sync failure.
 */
export type { FailureDisposition };

/** The one table: every normalized code has exactly one meaning (the type makes it exhaustive). */
export const FAILURE_POLICY: Readonly<Record<PlatformErrorCode, FailureDisposition>> = {
  TEMPORARY: 'retry',
  RATE_LIMITED: 'retry',
  // An outage without a recognizable code: like TEMPORARY (and counted against the breaker).
  UNKNOWN: 'retry',
  // The adapter already refreshed once and tried again; a refresh that cannot succeed marks the
  // connection itself (token refresh), so what is left is a refresh still in flight elsewhere.
  AUTH_EXPIRED: 'retry',
  AUTH_REVOKED: 'reauth',
  INSUFFICIENT_SCOPE: 'reauth',
  // Youzan answers a read right after a push with "not found yet" (a read lag of 30 s or more).
  NOT_FOUND: 'retry',
  INVALID_REQUEST: 'park',
};

export function dispositionOf(code: PlatformErrorCode): FailureDisposition {
  return FAILURE_POLICY[code];
}

/** The disposition of any error: a platform error's by the table; anything else is retried. */
export function failureDisposition(error: unknown): FailureDisposition {
  return isPlatformError(error) ? dispositionOf(error.code) : 'retry';
}

/** A withdrawn grant or a missing permission: the connection must be authorized again. */
export function needsReauth(error: unknown): error is PlatformError {
  return isPlatformError(error) && dispositionOf(error.code) === 'reauth';
}

/** How a platform failure is written down in a sync failure (code, platform details, whether to retry). */
export interface PlatformFailureRecord {
  errorCode: PlatformErrorCode;
  reason: string;
  platform: string;
  platformCode?: string;
  platformMessage?: string;
  /** False when retrying by itself cannot help (`reauth`, `park`). */
  retryable: boolean;
}

export function describePlatformFailure(error: unknown): PlatformFailureRecord | undefined {
  if (!isPlatformError(error)) return undefined;
  return {
    errorCode: error.code,
    reason: error.message,
    platform: error.platform,
    platformCode: error.rawCode,
    platformMessage: error.rawMessage,
    retryable: dispositionOf(error.code) === 'retry',
  };
}
