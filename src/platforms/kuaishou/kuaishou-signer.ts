import { createHash, createHmac } from 'node:crypto';

export type KuaishouSignMethod = 'MD5' | 'HMAC_SHA256';

/** The system parameters that take part in the signature (sheet §2.3); `sign` and anything else never do. */
export interface KuaishouSignedParams {
  access_token?: string;
  appkey: string;
  method: string;
  param?: string;
  signMethod: KuaishouSignMethod;
  timestamp: string;
  version: string;
}

const SIGNED_KEYS: (keyof KuaishouSignedParams)[] = [
  'access_token',
  'appkey',
  'method',
  'param',
  'signMethod',
  'timestamp',
  'version',
];

/** `k=v&…&signSecret=…` over raw (not URL-encoded) values, keys in ASCII order, null values skipped. */
export function kuaishouStringToSign(params: KuaishouSignedParams, signSecret: string): string {
  const pairs = [...SIGNED_KEYS]
    .sort()
    .filter((key) => params[key] !== undefined && params[key] !== null)
    .map((key) => `${key}=${params[key]}`);
  return `${pairs.join('&')}&signSecret=${signSecret}`;
}

/** MD5 → lowercase hex; HMAC_SHA256 (key = signSecret) → standard Base64 with padding. */
export function signKuaishouRequest(params: KuaishouSignedParams, signSecret: string): string {
  const text = kuaishouStringToSign(params, signSecret);
  if (params.signMethod === 'MD5') return createHash('md5').update(text, 'utf8').digest('hex');
  return createHmac('sha256', Buffer.from(signSecret, 'utf8')).update(text, 'utf8').digest('base64');
}
