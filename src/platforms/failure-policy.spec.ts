import {
  describePlatformFailure,
  dispositionOf,
  FAILURE_POLICY,
  FailureDisposition,
  failureDisposition,
  needsReauth,
} from './failure-policy';
import { PLATFORM_ERROR_CODES, PlatformError, PlatformErrorCode } from './platform-error';

const DISPOSITIONS: FailureDisposition[] = ['retry', 'reauth', 'park', 'drop'];
const error = (code: PlatformErrorCode, extra: Partial<ConstructorParameters<typeof PlatformError>[0]> = {}) =>
  new PlatformError({ platform: 'youzan', api: 'youzan.trade.get', code, message: `${code} happened`, ...extra });

describe('failure policy', () => {
  it('gives every normalized code exactly one disposition, and knows no other code', () => {
    expect(new Set(PLATFORM_ERROR_CODES).size).toBe(PLATFORM_ERROR_CODES.length);
    expect(Object.keys(FAILURE_POLICY).sort()).toEqual([...PLATFORM_ERROR_CODES].sort());
    for (const code of PLATFORM_ERROR_CODES) expect(DISPOSITIONS).toContain(dispositionOf(code));
  });

  it('retries what an outage or a lag explains', () => {
    for (const code of ['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN', 'AUTH_EXPIRED', 'NOT_FOUND'] as const)
      expect(dispositionOf(code)).toBe('retry');
    // Whatever the error says of itself: a transient one is always worth retrying.
    for (const code of PLATFORM_ERROR_CODES) if (error(code).transient) expect(dispositionOf(code)).toBe('retry');
  });

  it('sends a withdrawn grant or a missing permission to re-authorization, and parks a refused request', () => {
    expect(dispositionOf('AUTH_REVOKED')).toBe('reauth');
    expect(dispositionOf('INSUFFICIENT_SCOPE')).toBe('reauth');
    expect(dispositionOf('INVALID_REQUEST')).toBe('park');
    expect(PLATFORM_ERROR_CODES.filter((code) => needsReauth(error(code)))).toEqual([
      'AUTH_REVOKED',
      'INSUFFICIENT_SCOPE',
    ]);
  });

  it('retries an error that is not a platform’s (a bug or the database may pass)', () => {
    expect(failureDisposition(new Error('deadlock'))).toBe('retry');
    expect(needsReauth(new Error('AUTH_REVOKED'))).toBe(false);
    expect(describePlatformFailure(new Error('boom'))).toBeUndefined();
  });

  it('describes a platform failure with its code and the platform’s own, retryable only when the table says retry', () => {
    expect(describePlatformFailure(error('INVALID_REQUEST', { rawCode: '5002', rawMessage: '业务异常' }))).toEqual({
      errorCode: 'INVALID_REQUEST',
      reason: 'INVALID_REQUEST happened',
      platform: 'youzan',
      platformCode: '5002',
      platformMessage: '业务异常',
      retryable: false,
    });
    for (const code of PLATFORM_ERROR_CODES)
      expect(describePlatformFailure(error(code))!.retryable).toBe(dispositionOf(code) === 'retry');
  });
});
