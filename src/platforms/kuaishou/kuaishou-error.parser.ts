import { PlatformError, PlatformErrorCode } from '../platform-error';

/** Any Kuaishou answer that may be an error: the API envelope or a flat OAuth body. */
export interface KuaishouErrorBody {
  result?: number | string;
  error_msg?: string;
  /** OAuth endpoints only (`access_denied`, `invalid_grant`…). */
  error?: string;
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  requestId?: string;
  request_id?: string;
}

const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
const QPS_RETRY_AFTER_MS = 1_000;

export function isKuaishouSuccess(body: KuaishouErrorBody): boolean {
  return Number(body.result) === 1;
}

/**
 * Normalizes a failed Kuaishou answer. Only a few numeric codes are documented (11, 21, 24, 26,
 * 3401, the 1002001xx OAuth family, after-sale 3000xx); signature, token, scope and QPS failures
 * have unconfirmed numbers, so they are recognised by their documented message text.
 */
export function parseKuaishouError(api: string, body: KuaishouErrorBody, now: number = Date.now()): PlatformError {
  const result = body.result === undefined ? undefined : Number(body.result);
  const rawMessage = [body.error, body.error_msg, body.msg, body.sub_msg]
    .filter((part) => part !== undefined && part !== '')
    .join(': ');
  const { code, retryAfterMs } = classify(result, body.error, rawMessage, now);
  const oauth = body.error !== undefined || (result !== undefined && result >= 100200100 && result <= 100200599);
  return new PlatformError({
    platform: 'kuaishou',
    api,
    code,
    message: `${api} failed (result ${result ?? '?'}): ${rawMessage || 'no message'}`,
    rawCode: result === undefined ? body.code : String(result),
    rawMessage,
    retryAfterMs,
    requestId: body.requestId ?? body.request_id,
    // A timeout, "system busy" or an answer we cannot classify does not say the call was refused:
    // a write may have landed, so its outcome is unknown (as Youzan's timeout codes).
    ambiguous: !oauth && (code === 'TEMPORARY' || code === 'UNKNOWN'),
  });
}

function classify(
  result: number | undefined,
  oauthError: string | undefined,
  text: string,
  now: number,
): { code: PlatformErrorCode; retryAfterMs?: number } {
  const oauth = classifyOAuth(result, oauthError);
  if (oauth) return { code: oauth };
  if (/无scope权限|scope权限|insufficient[_ ]?scope/i.test(text)) return { code: 'INSUFFICIENT_SCOPE' };
  if (result === 24 || /AUTHORIZATION_REVOKED|revokedAuthorization|授权已(取消|撤销|失效|解除)/i.test(text))
    return { code: 'AUTH_REVOKED' };
  // 26 "主账号不存在": wrong token type or the authorizing sub-account is gone; only re-authorization helps.
  if (result === 26 || /主账号不存在/.test(text)) return { code: 'AUTH_REVOKED' };
  // Unconfirmed numbers: the "鉴权失败 / TOKEN过期" family (FAQ-K0004) is matched on text.
  if (
    /TOKEN过期|token.{0,3}expired|access_token.{0,12}(过期|失效|无效)|鉴权失败|invalid[_ ]access[_ ]token/i.test(text)
  )
    return { code: 'AUTH_EXPIRED' };
  // Unconfirmed numbers: QPS and quota messages from FAQ-K1008.
  if (/exceed qps limit/i.test(text)) return { code: 'RATE_LIMITED', retryAfterMs: QPS_RETRY_AFTER_MS };
  if (/exceed quota limit/i.test(text)) return { code: 'RATE_LIMITED', retryAfterMs: untilNextChinaMidnight(now) };
  if (/验签失败|签名校验失败|签名错误|sign(ature)?\s*(invalid|error|fail)|invalid\s*sign/i.test(text))
    return { code: 'INVALID_REQUEST' };
  if (/appkey.{0,6}(不存在|无效|invalid|not exist)/i.test(text)) return { code: 'INVALID_REQUEST' };
  // FAQ-K1003: a wrong, non-leaf or unopened category; the listing must change, nothing is missing.
  if (/不可售卖/.test(text)) return { code: 'INVALID_REQUEST' };
  if (result === 300011 || /不存在|not exist|not found|未找到/i.test(text)) return { code: 'NOT_FOUND' };
  // Documented business rejections: waybill check, "reject" family, online-edited item, after-sale rules.
  if (result === 11 || result === 21 || result === 3401 || result === 1800608) return { code: 'INVALID_REQUEST' };
  if (result !== undefined && result >= 300002 && result <= 300019) return { code: 'INVALID_REQUEST' };
  if (
    /系统(错误|繁忙|异常)|服务(繁忙|异常|不可用)|稍后重试|请重试|timeout|超时|internal error|system error|server error|busy/i.test(
      text,
    )
  )
    return { code: 'TEMPORARY' };
  if (/参数|param|invalid|illegal|不合法|不能为空|超过|不允许|不支持/i.test(text)) return { code: 'INVALID_REQUEST' };
  return { code: 'UNKNOWN' };
}

/** OAuth bodies carry `error` and a 1002001xx result (sheet §1.6). */
function classifyOAuth(result: number | undefined, oauthError: string | undefined): PlatformErrorCode | undefined {
  switch (
    oauthError ??
    (result !== undefined && result >= 100200100 && result <= 100200599 ? String(result) : undefined)
  ) {
    case 'access_denied':
    case '100200102':
      // invalid refresh_token, refreshToken.discarded, refreshToken.revokedAuthorization: the grant is gone.
      return 'AUTH_REVOKED';
    case 'unauthorized_client':
    case '100200101':
      return 'AUTH_REVOKED';
    case 'invalid_scope':
    case '100200106':
      return 'INSUFFICIENT_SCOPE';
    case 'server_error':
    case '100200500':
      return 'TEMPORARY';
    case 'invalid_request':
    case 'unsupported_response_type':
    case 'unsupported_grant_type':
    case 'invalid_grant':
    case 'invalid_openid':
    case '100200100':
    case '100200103':
    case '100200104':
    case '100200105':
    case '100200107':
      return 'INVALID_REQUEST';
    case undefined:
      return undefined;
    default:
      return oauthError ? 'UNKNOWN' : undefined;
  }
}

/** Daily quotas reset at midnight China time (an assumption: the reset moment is unconfirmed). */
function untilNextChinaMidnight(now: number): number {
  const day = 86_400_000;
  const local = now + CHINA_UTC_OFFSET_MS;
  return day - (local % day);
}
