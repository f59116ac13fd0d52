import { randomBytes } from 'node:crypto';

/** A Youzan-style trace id (`yz7-…`), present on every answer. */
export function traceId(now: number): string {
  return `yz7-${randomBytes(4).toString('hex')}-${now}-${randomBytes(3).readUIntBE(0, 3)}`;
}

/** Gateway rejection: `{gw_err_resp:{trace_id, err_code, err_msg}}`, no top-level code. */
export class GatewayError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
  body(now: number): unknown {
    return { gw_err_resp: { trace_id: traceId(now), err_code: this.code, err_msg: this.message } };
  }
}

/** Business rejection: `{code, success:false, message, data, trace_id}` (data may be a skeleton). */
export class BusinessError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: unknown = null,
  ) {
    super(message);
  }
  body(now: number): unknown {
    return { code: this.code, success: false, message: this.message, data: this.data, trace_id: traceId(now) };
  }
}

/** A rejection whose body is given verbatim (legacy shapes, the bare throttling body). */
export class RawError extends Error {
  constructor(
    readonly reason: string,
    private readonly raw: unknown,
  ) {
    super(reason);
  }
  body(): unknown {
    return this.raw;
  }
}

export type EmulatorError = GatewayError | BusinessError | RawError;

export const gw = {
  badAddress: () => new GatewayError(4001, '非法的请求地址'),
  badContent: () => new GatewayError(4004, '非法的请求内容'),
  badApi: () => new GatewayError(4005, '非法的API'),
  badPosture: (detail: string) => new GatewayError(4007, `非法的请求姿势(${detail})`),
  ipNotAllowed: (ip: string) => new GatewayError(4007, `源IP地址${ip}非法调用有赞云`),
  throttled: () => new GatewayError(4101, '访问频繁'),
  tokenMissing: () => new GatewayError(4201, '非法的凭证(access_token 不能为空)'),
  shopRevoked: () => new GatewayError(4201, '非法的凭证：店铺已取消授权'),
  tokenExpired: () => new GatewayError(4202, '凭证已过期'),
  tokenUnknown: () => new GatewayError(4203, 'Token 不存在'),
  noPermission: () => new GatewayError(4204, '没有权限，请订购能力包'),
  wrongType: () => new GatewayError(5001, '系统异常'),
  business: (detail: string) => new GatewayError(5002, `业务异常: ${detail}`),
  plugin: () => new GatewayError(5003, '插件执行异常'),
};

/**
 * Named error kinds for injected faults (`FaultRule.error`). Each answers with the real body
 * of that Youzan failure; `system` (the default) is a backend timeout, which clients treat as
 * transient and possibly applied.
 */
export const FAULT_ERRORS: Record<string, () => EmulatorError> = {
  system: () => new BusinessError(106000001, '系统超时，请稍后重试'),
  timeout: () => new BusinessError(106100118, '服务调用超时'),
  gateway_system: () => gw.wrongType(),
  business: () => gw.business('injected'),
  plugin: () => gw.plugin(),
  throttle: () => gw.throttled(),
  throttle_business: () => new BusinessError(123000042, '请求被限流'),
  throttle_legacy: () => new RawError('throttle_legacy', { msg: '请求被限流', code: 500100004 }),
  token_expired: () => gw.tokenExpired(),
  token_unknown: () => gw.tokenUnknown(),
  token_missing: () => gw.tokenMissing(),
  shop_revoked: () => gw.shopRevoked(),
  no_permission: () => gw.noPermission(),
  ip_whitelist: () => gw.ipNotAllowed('203.0.113.7'),
  not_found: () => new BusinessError(5000, 'trade not found'),
  legacy: () => new RawError('legacy', { error_response: { code: 50000, msg: '系统错误' } }),
};

export function rejectionReason(error: EmulatorError): string {
  if (error instanceof GatewayError) return `gateway:${error.code}`;
  if (error instanceof BusinessError) return `business:${error.code}`;
  return `raw:${error.reason}`;
}
