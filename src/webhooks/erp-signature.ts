import { createHmac, timingSafeEqual } from 'node:crypto';

export const ERP_HEADERS = {
  timestamp: 'x-kwaizan-timestamp',
  signature: 'x-kwaizan-signature',
  delivery: 'x-kwaizan-delivery',
} as const;

/** `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`); the same scheme both ways. */
export function signErpPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export type SignatureProblem = 'missing headers' | 'bad timestamp' | 'timestamp outside tolerance' | 'signature mismatch';

export function verifyErpSignature(input: { secret: string; timestamp?: string; signature?: string; rawBody: Buffer; nowMs: number; toleranceSeconds: number }): SignatureProblem | undefined {
  if (!input.timestamp || !input.signature) return 'missing headers';
  if (!/^\d{9,11}$/.test(input.timestamp)) return 'bad timestamp';
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowMs / 1000 - timestamp) > input.toleranceSeconds) return 'timestamp outside tolerance';
  const expected = Buffer.from(signErpPayload(input.secret, timestamp, input.rawBody));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? undefined : 'signature mismatch';
}
