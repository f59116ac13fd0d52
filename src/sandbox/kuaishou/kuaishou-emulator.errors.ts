/**
 * Error answers of the Kuaishou emulator. Texts follow the fact sheet; where the real numeric
 * `result` is unconfirmed (sheet §8 Q1: signature, token, scope, QPS, quota, system, parameter
 * errors) the number below is OUR CHOICE, not Kuaishou's. The client must not depend on these
 * numbers: it recognises those failures by message text.
 */
export const KS_RESULT = {
  SUCCESS: 1,
  /** Unconfirmed number. */
  SYSTEM_ERROR: 2,
  /** Documented: waybill validation (FAQ-K1009). */
  WAYBILL_REJECTED: 11,
  /** Documented: business rejection (FAQ-K1001, K1006). */
  BUSINESS_REJECTED: 21,
  /** Unconfirmed number. */
  SCOPE_MISSING: 22,
  /** Documented: AUTHORIZATION_REVOKED (FAQ-K0006). */
  AUTHORIZATION_REVOKED: 24,
  /** Documented: 主账号不存在, wrong token type (FAQ-K0005). */
  MAIN_ACCOUNT_MISSING: 26,
  /** Unconfirmed number: the "鉴权失败 / TOKEN过期" family (FAQ-K0004). */
  AUTH_FAILED: 27,
  /** Unconfirmed number: "验签失败 / 签名校验失败" (FAQ-K1004). */
  SIGN_INVALID: 28,
  /** Unconfirmed numbers: missing / malformed parameters, unknown API, unknown appkey. */
  PARAM_MISSING: 100,
  PARAM_INVALID: 101,
  API_NOT_FOUND: 102,
  APPKEY_INVALID: 103,
  /** Unconfirmed number for "Exceed qps limit" (FAQ-K1008). */
  QPS_LIMIT: 1016,
  /** 1017 appears inside the documented quota message; as a result value it is unconfirmed. */
  QUOTA_LIMIT: 1017,
  /** Documented: item edited in Kuaishou's own online editor (FAQ-K1002). */
  ONLINE_EDITED: 3401,
  /** Documented after-sale codes (返回码说明). */
  REFUND_RANGE: 300004,
  REFUND_LOOKBACK: 300005,
  REFUND_NOT_FOUND: 300011,
  /** 300010: the refund's status forbids the action; 300014: the refund changed, read it again. */
  REFUND_STATUS_FORBIDS: 300010,
  REFUND_UPDATED: 300014,
} as const;

export interface KsErrorBody {
  result: number;
  error_msg: string;
  code?: string;
  msg?: string;
  sub_code?: string;
  sub_msg?: string;
  requestId?: string;
}

/** A rejection raised anywhere in the emulator, answered as the envelope (HTTP 200). */
export class KsApiError extends Error {
  constructor(
    readonly result: number,
    message: string,
    /** Counter label for "rejected calls by reason". */
    readonly reason = 'business',
  ) {
    super(message);
    this.name = 'KsApiError';
  }
}

export const ksError = {
  system: () => new KsApiError(KS_RESULT.SYSTEM_ERROR, '系统繁忙，请稍后重试', 'system'),
  missing: (name: string) => new KsApiError(KS_RESULT.PARAM_MISSING, `缺少必要参数: ${name}`, 'missing_param'),
  invalid: (what: string) => new KsApiError(KS_RESULT.PARAM_INVALID, `参数错误: ${what}`, 'invalid_param'),
  apiNotFound: (method: string) => new KsApiError(KS_RESULT.API_NOT_FOUND, `API不存在: ${method}`, 'unknown_api'),
  appKey: (appKey: string) => new KsApiError(KS_RESULT.APPKEY_INVALID, `appkey不存在: ${appKey}`, 'unknown_appkey'),
  sign: () => new KsApiError(KS_RESULT.SIGN_INVALID, '签名校验失败', 'sign'),
  tokenExpired: () => new KsApiError(KS_RESULT.AUTH_FAILED, '鉴权失败:TOKEN过期', 'token_expired'),
  tokenInvalid: () => new KsApiError(KS_RESULT.AUTH_FAILED, '鉴权失败:access_token无效', 'token_invalid'),
  revoked: () => new KsApiError(KS_RESULT.AUTHORIZATION_REVOKED, 'AUTHORIZATION_REVOKED', 'revoked'),
  mainAccount: () => new KsApiError(KS_RESULT.MAIN_ACCOUNT_MISSING, '主账号不存在', 'main_account'),
  scope: (scope: string) => new KsApiError(KS_RESULT.SCOPE_MISSING, `token中无scope权限, scope: ${scope}`, 'scope'),
  qps: (apiId: number, appKey: string, maxQps: number) =>
    new KsApiError(
      KS_RESULT.QPS_LIMIT,
      `Exceed qps limit, KEY [apiId:${apiId};appkey:${appKey}], MAX_QPS [${maxQps.toFixed(1)}]`,
      'throttled',
    ),
  quota: (appKey: string) =>
    new KsApiError(KS_RESULT.QUOTA_LIMIT, `Exceed quota limit, KEY [appkey:${appKey}]`, 'quota'),
  business: (message: string) => new KsApiError(KS_RESULT.BUSINESS_REJECTED, message, 'business'),
  waybill: (message: string) => new KsApiError(KS_RESULT.WAYBILL_REJECTED, message, 'waybill'),
  onlineEdited: () =>
    new KsApiError(KS_RESULT.ONLINE_EDITED, '该商品已使用快手小店在线编辑，请在快手小店APP或PC端编辑', 'online_edited'),
};

/**
 * Error kinds a fault rule may name in `error` (FaultRule.error). Each answers with the body the
 * platform (or, for unconfirmed numbers, the emulator) uses for that failure.
 */
export const KS_FAULT_ERRORS: Record<string, (appKey: string) => KsApiError> = {
  system: () => ksError.system(),
  token_expired: () => ksError.tokenExpired(),
  token_invalid: () => ksError.tokenInvalid(),
  revoked: () => ksError.revoked(),
  main_account: () => ksError.mainAccount(),
  scope: () => ksError.scope('merchant_item'),
  sign: () => ksError.sign(),
  qps: (appKey) => ksError.qps(10_000, appKey, 300),
  quota: (appKey) => ksError.quota(appKey),
  business: () => ksError.business('业务处理失败'),
  order_reject: () => ksError.business('order operation reject'),
  reserve_stock: () => ksError.business('当前库存不足，请减少预留数量'),
  waybill: () => ksError.waybill('物流单号校验失败，请核实运单号与物流公司是否匹配'),
  online_edited: () => ksError.onlineEdited(),
};

/** OAuth endpoint errors (sheet §1.6): flat `{result, error, error_msg}`. */
export const KS_OAUTH = {
  INVALID_REQUEST: { result: 100200100, error: 'invalid_request' },
  UNAUTHORIZED_CLIENT: { result: 100200101, error: 'unauthorized_client' },
  ACCESS_DENIED: { result: 100200102, error: 'access_denied' },
  UNSUPPORTED_GRANT_TYPE: { result: 100200104, error: 'unsupported_grant_type' },
  INVALID_GRANT: { result: 100200105, error: 'invalid_grant' },
  INVALID_SCOPE: { result: 100200106, error: 'invalid_scope' },
  SERVER_ERROR: { result: 100200500, error: 'server_error' },
} as const;
