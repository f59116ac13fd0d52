import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why an outbound webhook URL is refused (shown to the merchant and kept on the delivery). */
export class WebhookUrlRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlRefusedError';
  }
}

/** Only public unicast addresses: no loopback, private, link-local (cloud metadata), CGNAT, multicast or reserved. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) back into the IPv4 address it carries.
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Checks what can be checked without the network: an http(s) URL without credentials whose host, when it is an
 * address literal, is public. A host name is checked again after DNS resolution, at connect time (`guardedLookup`).
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefusedError('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlRefusedError('must be http or https');
  if (url.username || url.password) throw new WebhookUrlRefusedError('must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new WebhookUrlRefusedError('has no host');
  if (!allowPrivate) {
    if (isIP(host) && !isPublicAddress(host))
      throw new WebhookUrlRefusedError(`points at a private or reserved address (${host})`);
    if (/^localhost$|\.localhost$|\.local$|\.internal$/i.test(host))
      throw new WebhookUrlRefusedError(`points at a local host name (${host})`);
  }
  return url;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

type LookupCallback = (error: Error | null, addresses: ResolvedAddress[]) => void;

/**
 * A `lookup` for the HTTP client: resolves the host and refuses the connection when any address it resolves to
 * is not public, so a name that resolves (or re-resolves, DNS rebinding) to an internal address is never reached.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = allowPrivate ? undefined : addresses.find((a) => !isPublicAddress(a.address));
      if (refused)
        return callback(
          Object.assign(new WebhookUrlRefusedError(`${hostname} resolves to a private address (${refused.address})`), {
            code: 'EWEBHOOKPRIVATE',
          }),
          [],
        );
      callback(
        null,
        addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })),
      );
    });
  };
}
