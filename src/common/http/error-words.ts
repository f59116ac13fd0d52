/**
 * What an error code means, in words a merchant understands (Chinese and English). Pages show
 * these instead of codes like `AUTH_REVOKED`; the code stays in the API answers for scripts.
 */
const WORDS: Record<string, string> = {
  // Platform failures (normalized at the client boundary).
  TEMPORARY: '平台暂时不可用，稍后自动重试。 The platform is briefly unavailable; we try again by ourselves.',
  RATE_LIMITED: '平台限制了调用频率，稍后自动继续。 The platform asked us to slow down; we continue shortly.',
  AUTH_EXPIRED: '店铺授权已过期，请重新授权。 The shop’s authorization expired: please authorize again.',
  AUTH_REVOKED:
    '店铺已撤回授权，同步已暂停，请重新授权。 The shop withdrew access: syncing is paused until you authorize again.',
  INSUFFICIENT_SCOPE:
    '授权缺少所需权限，请重新授权并勾选全部权限。 The authorization lacks a permission: authorize again with all permissions.',
  NOT_FOUND: '平台上找不到该商品或订单。 The platform does not have this item or order.',
  INVALID_REQUEST: '平台拒绝了这个请求。 The platform refused the request.',
  UNKNOWN: '平台返回了未知错误，我们会核对结果。 The platform answered with an unknown error; we check what happened.',
  // Pricing.
  PARITY_LIMIT:
    '两个平台的价差会超过上限，价格未修改。 The gap between the two platforms would exceed the limit, so the price was not changed.',
  PRICE_OUT_OF_BOUNDS: '价格超出您设置的最低价或最高价。 The price is outside the floor or ceiling you set.',
  NOT_PLANNABLE:
    '无法在不超过价差上限的情况下分步修改价格。 The change cannot be made in steps that keep within the limit.',
  NO_LISTINGS: '该商品在已连接的店铺中没有上架。 This SKU has no listing in a connected shop.',
  NO_LISTING: '该商品在这个平台的已连接店铺中没有上架。 This SKU has no listing on that platform in a connected shop.',
  PARITY_BROKEN: '两个平台的价差超过上限。 The gap between the two platforms is over the limit.',
  PARITY_REFUSED: '一次价格修改因价差上限被拒绝。 A price change was refused because of the parity limit.',
  // Catalog and stock.
  SKU_NOT_FOUND: '找不到这个商品编码。 There is no SKU with this code.',
  NO_SETTINGS: '请至少修改一项设置。 Change at least one setting.',
  VALIDATION_FAILED: '有些字段填写不正确。 Some fields are not filled in correctly.',
  MERCHANT_NOT_FOUND: '找不到这个商家。 There is no such merchant.',
};

export function errorWords(code: string | null | undefined): string {
  if (!code) return '';
  return WORDS[code] ?? `出了点问题（${code}）。 Something went wrong (${code}).`;
}

/** Whether the code has words of its own (not the generic fallback). */
export function hasErrorWords(code: string): boolean {
  return code in WORDS;
}
