import { AxiosError, isAxiosError } from 'axios';
import { Platform } from '../ports/platform.types';
import { PlatformError } from '../platform-error';

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Maps a failure below the platform's envelope (network, timeout, non-200) to TEMPORARY.
 * `ambiguous` is set when the request may have reached the platform and been applied:
 * timeouts, resets and 5xx answers. A refused connection was never sent.
 */
export function toTransportError(platform: Platform, api: string, error: unknown): PlatformError {
  if (error instanceof PlatformError) return error;
  if (isAxiosError(error)) {
    const e = error as AxiosError;
    const status = e.response?.status;
    if (status === 429) {
      const retryAfter = Number(e.response?.headers?.['retry-after']);
      return new PlatformError({
        platform,
        api,
        code: 'RATE_LIMITED',
        message: `${api}: HTTP 429`,
        rawCode: '429',
        retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
      });
    }
    if (status !== undefined) {
      return new PlatformError({
        platform,
        api,
        code: status >= 500 ? 'TEMPORARY' : 'UNKNOWN',
        message: `${api}: HTTP ${status}`,
        rawCode: `HTTP_${status}`,
        ambiguous: status >= 500,
      });
    }
    const sent = !NOT_SENT.has(e.code ?? '');
    return new PlatformError({
      platform,
      api,
      code: 'TEMPORARY',
      message: `${api}: ${e.code ?? 'network error'} ${e.message}`.trim(),
      rawCode: e.code,
      ambiguous: sent,
    });
  }
  return new PlatformError({
    platform,
    api,
    code: 'UNKNOWN',
    message: `${api}: ${(error as Error)?.message ?? String(error)}`,
    ambiguous: true,
  });
}
