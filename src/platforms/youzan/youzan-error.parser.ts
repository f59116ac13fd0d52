import { PlatformError, PlatformErrorCode } from '../platform-error';

/** Where the error came from: the API gateway (`gw_err_resp`), the business envelope, or the legacy envelope. */
export type YouzanErrorShape = 'gateway' | 'business' | 'legacy';

export type YouzanParsedBody = { ok: true; data: unknown; traceId?: string } | { ok: false; error: PlatformError };

/** First retry delay after a throttle; the doc recommends 3 s, 6 s, 12 s, 24 s, 48 s. */
export const YOUZAN_THROTTLE_BACKOFF_MS = [3_000, 6_000, 12_000, 24_000, 48_000];

const RATE_LIMITED_CODES = new Set(['4101', '500100004', '123000042', '141500203']);
const AUTH_EXPIRED_CODES = new Set(['4201', '4202', '4203']);
const INVALID_REQUEST_CODES = new Set(['4001', '4004', '4005', '4006', '4007', '4008', '4009', '4010', '5001', '5002']);
const NOT_FOUND_CODES = new Set(['5000', '105000016', '122001001', '123005001', '123004002', '103011024']);
/** Backend timeouts: retryable, but a write may have been applied before the timeout. */
const TIMEOUT_CODES = new Set(['106000001', '106100118']);
/** 4201 also means "authorization gone" (subscription lapsed, shop revoked); only its wording tells. */
const REVOKED_WORDING =
  /authori[sz]ation (has )?(expired|revoked|cancell?ed)|revoked|授权(已)?(过期|失效|取消|解除|关系不存在)|解除授权|取消授权|订购(已)?(过期|到期)/i;

const TOKEN_ENDPOINT_CODES: Record<string, { code: PlatformErrorCode; message: string }> = {
  '1000': { code: 'INVALID_REQUEST', message: 'Youzan rejected the app credentials or request format' },
  '1004': {
    code: 'AUTH_REVOKED',
    message: 'Youzan authorization expired (the shop subscription lapsed or was revoked)',
  },
  '1005': { code: 'INVALID_REQUEST', message: 'invalid or reused authorization code' },
  '1103': { code: 'INVALID_REQUEST', message: 'unknown client or missing authorization relation' },
  '1105': { code: 'INVALID_REQUEST', message: 'authorize_type not supported for this app type' },
};

interface Raw {
  shape: YouzanErrorShape;
  code: string;
  message: string;
  traceId?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return undefined;
}

/**
 * Normalizes any Youzan answer (all arrive with HTTP 200) into data or a PlatformError.
 * Accepts the three shapes: business `{code, success, message, data, trace_id}`,
 * gateway `{gw_err_resp:{err_code, err_msg, trace_id}}`, and legacy `{response}` / `{error_response}`.
 * A business body is a success only when it says so: `success:false` with empty data is an error.
 */
export function parseYouzanBody(api: string, body: unknown): YouzanParsedBody {
  if (!isObject(body))
    return {
      ok: false,
      error: toError(api, { shape: 'business', code: 'NON_OBJECT', message: 'answer is not a JSON object' }),
    };

  if (isObject(body.gw_err_resp)) {
    const gw = body.gw_err_resp;
    return {
      ok: false,
      error: toError(api, {
        shape: 'gateway',
        code: text(gw.err_code) ?? '',
        message: text(gw.err_msg) ?? text(gw.err_message) ?? '',
        traceId: text(gw.trace_id),
      }),
    };
  }
  if (isObject(body.error_response)) {
    const er = body.error_response;
    return {
      ok: false,
      error: toError(api, {
        shape: 'legacy',
        code: text(er.code) ?? '',
        message: [text(er.msg), text(er.sub_msg)].filter(Boolean).join(': '),
      }),
    };
  }
  if ('code' in body || 'success' in body) {
    const code = text(body.code) ?? '';
    const traceId = text(body.trace_id) ?? text(body.request_id);
    const success = body.success === true || (body.success === undefined && code === '200');
    if (!success || (code !== '' && code !== '200' && code !== '0')) {
      return {
        ok: false,
        error: toError(api, {
          shape: 'business',
          code: code || 'UNKNOWN',
          message: text(body.message) ?? text(body.msg) ?? '',
          traceId,
        }),
      };
    }
    return { ok: true, data: body.data, traceId };
  }
  if ('response' in body) return { ok: true, data: body.response };
  return {
    ok: false,
    error: toError(api, { shape: 'business', code: 'UNRECOGNIZED', message: 'answer has no known Youzan envelope' }),
  };
}

/** Classifies one raw Youzan code (any of the three shapes) with the doc's meaning. */
export function classifyYouzanCode(
  code: string,
  message: string,
): { code: PlatformErrorCode; ambiguous?: boolean; retryAfterMs?: number } {
  if (RATE_LIMITED_CODES.has(code)) return { code: 'RATE_LIMITED', retryAfterMs: YOUZAN_THROTTLE_BACKOFF_MS[0] };
  if (code === '4201' && REVOKED_WORDING.test(message)) return { code: 'AUTH_REVOKED' };
  if (AUTH_EXPIRED_CODES.has(code)) return { code: 'AUTH_EXPIRED' };
  if (code === '4204') return { code: 'INSUFFICIENT_SCOPE' };
  if (TOKEN_ENDPOINT_CODES[code]) return { code: TOKEN_ENDPOINT_CODES[code].code };
  if (NOT_FOUND_CODES.has(code)) return { code: 'NOT_FOUND' };
  if (TIMEOUT_CODES.has(code)) return { code: 'TEMPORARY', ambiguous: true };
  if (INVALID_REQUEST_CODES.has(code)) return { code: 'INVALID_REQUEST' };
  if (code === '5003') return { code: 'UNKNOWN' };
  // Any other business code is a definite answer about this request, not an outage.
  if (/^\d{5,}$/.test(code)) return { code: 'INVALID_REQUEST' };
  return { code: 'UNKNOWN' };
}

function toError(api: string, raw: Raw): PlatformError {
  const classified = classifyYouzanCode(raw.code, raw.message);
  const known = TOKEN_ENDPOINT_CODES[raw.code];
  const what = known ? `${known.message}: ${raw.message}` : raw.message || 'no message';
  return new PlatformError({
    platform: 'youzan',
    api,
    code: classified.code,
    message: `${api}: Youzan ${raw.shape} error ${raw.code}: ${what}`,
    rawCode: raw.code,
    rawMessage: raw.message,
    requestId: raw.traceId,
    retryAfterMs: classified.retryAfterMs,
    ambiguous: classified.ambiguous,
  });
}
