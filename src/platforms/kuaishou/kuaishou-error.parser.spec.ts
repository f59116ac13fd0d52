import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformErrorCode } from '../platform-error';
import { isKuaishouSuccess, KuaishouErrorBody, parseKuaishouError } from './kuaishou-error.parser';

const fixture = (name: string): KuaishouErrorBody =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as KuaishouErrorBody;

describe('parseKuaishouError', () => {
  it.each<[string, PlatformErrorCode]>([
    ['order-operation-reject', 'INVALID_REQUEST'],
    ['reserve-stock-insufficient', 'INVALID_REQUEST'],
    ['waybill-rejected', 'INVALID_REQUEST'],
    ['online-edited-item', 'INVALID_REQUEST'],
    ['authorization-revoked', 'AUTH_REVOKED'],
    ['main-account-missing', 'AUTH_REVOKED'],
    ['token-expired', 'AUTH_EXPIRED'],
    ['token-invalid', 'AUTH_EXPIRED'],
    ['scope-missing', 'INSUFFICIENT_SCOPE'],
    ['sign-invalid', 'INVALID_REQUEST'],
    ['qps-limit', 'RATE_LIMITED'],
    ['app-quota', 'RATE_LIMITED'],
    ['user-api-quota', 'RATE_LIMITED'],
    ['system-busy', 'TEMPORARY'],
    ['category-not-sellable', 'INVALID_REQUEST'],
    ['item-not-found', 'NOT_FOUND'],
    ['refund-not-found', 'NOT_FOUND'],
    ['refund-range-too-long', 'INVALID_REQUEST'],
    ['oauth-refresh-discarded', 'AUTH_REVOKED'],
    ['oauth-refresh-revoked', 'AUTH_REVOKED'],
    ['oauth-invalid-refresh-token', 'AUTH_REVOKED'],
    ['oauth-invalid-grant', 'INVALID_REQUEST'],
    ['oauth-unauthorized-client', 'AUTH_REVOKED'],
    ['oauth-server-error', 'TEMPORARY'],
  ])('maps %s to %s', (name, expected) => {
    expect(parseKuaishouError('open.test.api', fixture(name)).code).toBe(expected);
  });

  it('keeps the raw code, the raw message and the request id for humans', () => {
    const error = parseKuaishouError('open.order.detail', fixture('order-operation-reject'));
    expect(error).toMatchObject({
      platform: 'kuaishou',
      api: 'open.order.detail',
      rawCode: '21',
      rawMessage: 'order operation reject',
      requestId: '3c1f0a2e5b7d4e21',
    });
    expect(error.message).toContain('order operation reject');
  });

  it('recognises the token family by text whatever numeric result comes with it', () => {
    expect(parseKuaishouError('x', { result: 999, error_msg: '鉴权失败:TOKEN过期' }).code).toBe('AUTH_EXPIRED');
    expect(parseKuaishouError('x', { result: 17, error_msg: 'token中无scope权限' }).code).toBe('INSUFFICIENT_SCOPE');
    expect(
      parseKuaishouError('x', { result: 15, error_msg: 'Exceed qps limit, KEY [apiId:1;appkey:k], MAX_QPS [5.0]' })
        .code,
    ).toBe('RATE_LIMITED');
  });

  it('asks to retry a QPS rejection after a second and a daily quota after the next China midnight', () => {
    expect(parseKuaishouError('x', fixture('qps-limit')).retryAfterMs).toBe(1_000);
    const tenPastMidnightChina = Date.UTC(2026, 0, 1, 16, 10);
    expect(parseKuaishouError('x', fixture('app-quota'), tenPastMidnightChina).retryAfterMs).toBe(
      24 * 3_600_000 - 10 * 60_000,
    );
  });

  it('keeps the OAuth error name in the raw message', () => {
    expect(parseKuaishouError('oauth2.refresh_token', fixture('oauth-refresh-discarded')).rawMessage).toBe(
      'access_denied: refreshToken.discarded',
    );
  });

  it('falls back to UNKNOWN for an unrecognised failure', () => {
    expect(parseKuaishouError('x', { result: 987654, error_msg: '' }).code).toBe('UNKNOWN');
  });

  it('treats timeout, system-busy and unclassified answers as an unknown outcome (the call may have been applied)', () => {
    expect(parseKuaishouError('open.item.sku.stock.update', fixture('system-busy')).ambiguous).toBe(true);
    expect(parseKuaishouError('open.item.sku.stock.update', { result: 2, error_msg: '请求超时' }).ambiguous).toBe(true);
    expect(parseKuaishouError('open.item.sku.stock.update', { result: 987654, error_msg: '' }).ambiguous).toBe(true);
  });

  it('treats a definite rejection as not applied', () => {
    expect(parseKuaishouError('open.item.sku.stock.update', fixture('reserve-stock-insufficient')).ambiguous).toBe(
      false,
    );
    expect(parseKuaishouError('open.item.sku.stock.update', fixture('authorization-revoked')).ambiguous).toBe(false);
    expect(parseKuaishouError('open.item.sku.stock.update', fixture('qps-limit')).ambiguous).toBe(false);
  });
});

describe('isKuaishouSuccess', () => {
  it('accepts result 1 as a number or a string and nothing else', () => {
    expect(isKuaishouSuccess({ result: 1 })).toBe(true);
    expect(isKuaishouSuccess({ result: '1' })).toBe(true);
    expect(isKuaishouSuccess({ result: 21 })).toBe(false);
    expect(isKuaishouSuccess({})).toBe(false);
  });
});
