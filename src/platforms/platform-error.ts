import { Platform } from './ports/platform.types';

/** The normalized failure vocabulary (conventions §10). Raw platform codes are kept for humans. */
export type PlatformErrorCode =
  | 'TEMPORARY'
  | 'RATE_LIMITED'
  | 'AUTH_EXPIRED'
  | 'AUTH_REVOKED'
  | 'INSUFFICIENT_SCOPE'
  | 'NOT_FOUND'
  | 'INVALID_REQUEST'
  | 'UNKNOWN';

export const PLATFORM_ERROR_CODES: PlatformErrorCode[] = [
  'TEMPORARY',
  'RATE_LIMITED',
  'AUTH_EXPIRED',
  'AUTH_REVOKED',
  'INSUFFICIENT_SCOPE',
  'NOT_FOUND',
  'INVALID_REQUEST',
  'UNKNOWN',
];

export interface PlatformErrorDetails {
  platform: Platform;
  api: string;
  code: PlatformErrorCode;
  message: string;
  rawCode?: string;
  rawMessage?: string;
  retryAfterMs?: number;
  requestId?: string;
  /** The request may have been applied (timeout, reset, 5xx after sending). */
  ambiguous?: boolean;
}

export class PlatformError extends Error {
  readonly platform: Platform;
  readonly api: string;
  readonly code: PlatformErrorCode;
  readonly rawCode?: string;
  readonly rawMessage?: string;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly ambiguous: boolean;

  constructor(details: PlatformErrorDetails) {
    super(details.message);
    this.name = 'PlatformError';
    this.platform = details.platform;
    this.api = details.api;
    this.code = details.code;
    this.rawCode = details.rawCode;
    this.rawMessage = details.rawMessage;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
    this.ambiguous = details.ambiguous ?? false;
  }

  /** Worth trying again later (the operation itself is fine). */
  get transient(): boolean {
    return this.code === 'TEMPORARY' || this.code === 'RATE_LIMITED';
  }
}

export function isPlatformError(error: unknown): error is PlatformError {
  return error instanceof PlatformError;
}
