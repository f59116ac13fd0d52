import { createHmac, timingSafeEqual } from 'node:crypto';

export const ERP_HEADERS = {
  keyId: 'x-kwaizan-key-id',
  timestamp: 'x-kwaizan-timestamp',
  signature: 'x-kwaizan-signature',
  delivery: 'x-kwaizan-delivery',
} as const;

export const DELIVERY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * `sha256=` + hex HMAC-SHA256(secret, `${timestamp}.${deliveryId}.${rawBody}`); the same scheme both
 * ways. The delivery id is signed so a captured delivery cannot be replayed under a fresh id.
 */
export function signErpPayload(
  secret: string,
  timestamp: number,
  deliveryId: string,
  rawBody: Buffer | string,
): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${deliveryId}.`).update(rawBody).digest('hex')}`;
}

export type SignatureProblem =
  'missing headers' | 'bad timestamp' | 'bad delivery id' | 'timestamp outside tolerance' | 'signature mismatch';

export function verifyErpSignature(input: {
  secret: string;
  timestamp?: string;
  deliveryId?: string;
  signature?: string;
  rawBody: Buffer;
  nowMs: number;
  toleranceSeconds: number;
}): SignatureProblem | undefined {
  if (!input.timestamp || !input.signature || !input.deliveryId) return 'missing headers';
  if (!/^\d{9,11}$/.test(input.timestamp)) return 'bad timestamp';
  if (!DELIVERY_ID_PATTERN.test(input.deliveryId)) return 'bad delivery id';
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowMs / 1000 - timestamp) > input.toleranceSeconds) return 'timestamp outside tolerance';
  const expected = Buffer.from(signErpPayload(input.secret, timestamp, input.deliveryId, input.rawBody));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? undefined : 'signature mismatch';
}
