import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The emulator's own check of a Kuaishou signature (written independently of the client): the
 * seven signed system parameters, ASCII-sorted, `k=v` joined by `&`, `&signSecret=` appended;
 * MD5 as lowercase hex or HMAC-SHA256 (keyed with the secret) as standard Base64.
 */
export function expectedKuaishouSign(
  params: Record<string, string | undefined>,
  signMethod: string,
  signSecret: string,
): string {
  const keys = ['access_token', 'appkey', 'method', 'param', 'signMethod', 'timestamp', 'version'].filter(
    (key) => params[key] !== undefined,
  );
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `${keys.map((key) => `${key}=${params[key]}`).join('&')}&signSecret=${signSecret}`;
  return signMethod === 'MD5'
    ? createHash('md5').update(text, 'utf8').digest('hex')
    : createHmac('sha256', signSecret).update(text, 'utf8').digest('base64');
}

export function kuaishouSignMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
