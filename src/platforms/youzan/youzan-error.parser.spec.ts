import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonSafe } from '@app/common/json';
import { PlatformErrorCode } from '../platform-error';
import { parseYouzanBody, YOUZAN_THROTTLE_BACKOFF_MS } from './youzan-error.parser';

function fixture(name: string): unknown {
  return parseJsonSafe(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
}

function errorOf(name: string) {
  const parsed = parseYouzanBody('youzan.test.api', fixture(name));
  if (parsed.ok) throw new Error(`${name} parsed as a success`);
  return parsed.error;
}

describe('parseYouzanBody', () => {
  describe('errors', () => {
    const cases: [string, PlatformErrorCode, string][] = [
      ['gateway-4001-missing-version', 'INVALID_REQUEST', '4001'],
      ['gateway-4005-unknown-api', 'INVALID_REQUEST', '4005'],
      ['gateway-4007-ip-whitelist', 'INVALID_REQUEST', '4007'],
      ['gateway-4101-throttled', 'RATE_LIMITED', '4101'],
      ['gateway-4201-token-missing', 'AUTH_EXPIRED', '4201'],
      ['gateway-4201-shop-revoked', 'AUTH_REVOKED', '4201'],
      ['gateway-4202-token-expired', 'AUTH_EXPIRED', '4202'],
      ['gateway-4203-token-unknown', 'AUTH_EXPIRED', '4203'],
      ['gateway-4204-no-permission', 'INSUFFICIENT_SCOPE', '4204'],
      ['gateway-5001-wrong-type', 'INVALID_REQUEST', '5001'],
      ['gateway-5003-plugin', 'UNKNOWN', '5003'],
      ['business-5000-trade-not-found', 'NOT_FOUND', '5000'],
      ['business-102570007-already-shipped', 'INVALID_REQUEST', '102570007'],
      ['business-102570020-nothing-to-ship', 'INVALID_REQUEST', '102570020'],
      ['business-106000001-timeout', 'TEMPORARY', '106000001'],
      ['business-106100118-timeout', 'TEMPORARY', '106100118'],
      ['business-123000042-throttled', 'RATE_LIMITED', '123000042'],
      ['business-500100004-throttled', 'RATE_LIMITED', '500100004'],
      ['business-123004002-sku-not-found', 'NOT_FOUND', '123004002'],
      ['business-122001001-item-not-found', 'NOT_FOUND', '122001001'],
      ['business-105000016-order-not-found', 'NOT_FOUND', '105000016'],
      ['business-103011024-refund-not-found', 'NOT_FOUND', '103011024'],
      ['business-121000103-invalid-item', 'INVALID_REQUEST', '121000103'],
      ['legacy-error-response', 'INVALID_REQUEST', '50000'],
      ['token-1000-form-content-type', 'INVALID_REQUEST', '1000'],
      ['token-1004-authorization-expired', 'AUTH_REVOKED', '1004'],
      ['token-1005-invalid-code', 'INVALID_REQUEST', '1005'],
      ['token-1103-client-unknown', 'INVALID_REQUEST', '1103'],
      ['token-1105-unsupported-app-type', 'INVALID_REQUEST', '1105'],
    ];

    it.each(cases)('%s → %s', (name, code, rawCode) => {
      const error = errorOf(name);
      expect(error.code).toBe(code);
      expect(error.rawCode).toBe(rawCode);
      expect(error.platform).toBe('youzan');
      expect(error.api).toBe('youzan.test.api');
    });

    it('keeps the raw message and trace id of a gateway error', () => {
      const error = errorOf('gateway-4203-token-unknown');
      expect(error.rawMessage).toBe('Token 不存在');
      expect(error.requestId).toBe('yz7-0a3e1f2b-1700000000008-100008');
      expect(error.message).toContain('4203');
    });

    it('reads the err_message spelling some gateways use', () => {
      expect(errorOf('gateway-5003-plugin').rawMessage).toBe('插件执行异常');
    });

    it('gives throttles the first step of the documented 3/6/12 s backoff', () => {
      for (const name of ['gateway-4101-throttled', 'business-123000042-throttled', 'business-500100004-throttled']) {
        expect(errorOf(name).retryAfterMs).toBe(YOUZAN_THROTTLE_BACKOFF_MS[0]);
      }
      expect(YOUZAN_THROTTLE_BACKOFF_MS.slice(0, 3)).toEqual([3000, 6000, 12000]);
    });

    it('marks backend timeouts as possibly applied', () => {
      expect(errorOf('business-106000001-timeout').ambiguous).toBe(true);
      expect(errorOf('gateway-4101-throttled').ambiguous).toBe(false);
    });

    it('treats success:false with an empty data skeleton as an error, never as an empty result', () => {
      expect(errorOf('business-success-false-empty-data').code).toBe('UNKNOWN');
      expect(errorOf('business-5000-trade-not-found').code).toBe('NOT_FOUND');
    });

    it('explains the token endpoint codes in the message', () => {
      expect(errorOf('token-1005-invalid-code').message).toContain('invalid or reused authorization code');
      expect(errorOf('token-1103-client-unknown').message).toContain('Client 不存在');
    });

    it('rejects bodies with no known envelope', () => {
      expect(parseYouzanBody('x', { foo: 1 }).ok).toBe(false);
      expect(parseYouzanBody('x', 'text').ok).toBe(false);
    });
  });

  describe('successes', () => {
    it('returns data and trace id of a business success', () => {
      const parsed = parseYouzanBody('youzan.test.api', fixture('business-success'));
      expect(parsed).toEqual({ ok: true, data: { is_success: true }, traceId: 'yz7-0a3e1f2b-1700000000012-100012' });
    });

    it('unwraps the legacy response envelope', () => {
      expect(parseYouzanBody('youzan.trade.memo.update', fixture('legacy-response-success'))).toEqual({
        ok: true,
        data: { is_success: true },
      });
    });

    it('returns the token endpoint data', () => {
      const parsed = parseYouzanBody('auth.token', fixture('token-success'));
      expect(parsed.ok && (parsed.data as { authority_id: string }).authority_id).toBe('42583152');
    });
  });
});
