import type { IncomingHttpHeaders } from 'node:http';

/**
 * Login CSRF: another site must not sign a browser into an account it chose. Browsers say where a
 * request came from (Sec-Fetch-Site, Origin); scripts send neither and are not refused.
 */
export function isCrossSiteSignIn(headers: IncomingHttpHeaders, publicBaseUrl: string): boolean {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  return host !== headers.host && host !== new URL(publicBaseUrl).host;
}
