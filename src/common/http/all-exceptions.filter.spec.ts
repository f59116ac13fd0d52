import { ArgumentsHost } from '@nestjs/common';
import { PLATFORM_ERROR_CODES, PlatformError, PlatformErrorCode } from '@app/platforms/platform-error';
import { dispositionOf } from '@app/platforms/failure-policy';
import { answerPlatformError } from '@app/platforms/platform-error.http';
import { AllExceptionsFilter, ErrorBody } from './all-exceptions.filter';

function answer(exception: unknown): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const out = { status: 0, body: undefined as unknown as ErrorBody, headers: {} as Record<string, string> };
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => (out.headers[name] = value),
    status: (status: number) => ((out.status = status), res),
    json: (body: ErrorBody) => (out.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter([answerPlatformError]).catch(exception, host);
  return out;
}

const failure = (code: PlatformErrorCode, retryAfterMs?: number) =>
  new PlatformError({
    platform: 'kuaishou',
    api: 'open.item.list.get',
    code,
    message: `${code} happened`,
    retryAfterMs,
  });

describe(AllExceptionsFilter.name, () => {
  it('answers a platform failure by its disposition, never with a 500', () => {
    const expected = { retry: 503, reauth: 409, park: 422, drop: 422 };
    for (const code of PLATFORM_ERROR_CODES) {
      const { status, body } = answer(failure(code));
      expect(status).toBe(expected[dispositionOf(code)]);
      expect(body).toMatchObject({
        statusCode: status,
        error: `PLATFORM_${code}`,
        message: `kuaishou: ${code} happened`,
      });
    }
  });

  it('says when to come back after a rate limit', () => {
    expect(answer(failure('RATE_LIMITED', 2_500)).headers).toEqual({ 'retry-after': '3' });
  });
});
