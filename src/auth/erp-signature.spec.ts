import { signErpPayload, verifyErpSignature } from './erp-signature';

describe('ERP webhook signature', () => {
  const secret = 'erp-secret-0123456789';
  const body = Buffer.from('{"updates":[]}');
  const now = 1_795_300_000_000;
  const ts = now / 1000;
  const deliveryId = 'd-1';

  it('accepts a body signed with the credential secret within the tolerance', () => {
    expect(
      verifyErpSignature({
        secret,
        timestamp: String(ts),
        deliveryId,
        signature: signErpPayload(secret, ts, deliveryId, body),
        rawBody: body,
        nowMs: now + 299_000,
        toleranceSeconds: 300,
      }),
    ).toBeUndefined();
  });

  it('rejects a changed body, another secret, an old timestamp and missing headers', () => {
    const signature = signErpPayload(secret, ts, deliveryId, body);
    expect(
      verifyErpSignature({
        secret,
        timestamp: String(ts),
        deliveryId,
        signature,
        rawBody: Buffer.from(`${body} `),
        nowMs: now,
        toleranceSeconds: 300,
      }),
    ).toBe('signature mismatch');
    expect(
      verifyErpSignature({
        secret: 'another-secret-000000',
        timestamp: String(ts),
        deliveryId,
        signature,
        rawBody: body,
        nowMs: now,
        toleranceSeconds: 300,
      }),
    ).toBe('signature mismatch');
    expect(
      verifyErpSignature({
        secret,
        timestamp: String(ts),
        deliveryId,
        signature,
        rawBody: body,
        nowMs: now + 301_000,
        toleranceSeconds: 300,
      }),
    ).toBe('timestamp outside tolerance');
    expect(
      verifyErpSignature({ secret, signature, deliveryId, rawBody: body, nowMs: now, toleranceSeconds: 300 }),
    ).toBe('missing headers');
    expect(
      verifyErpSignature({
        secret,
        timestamp: String(ts),
        signature,
        rawBody: body,
        nowMs: now,
        toleranceSeconds: 300,
      }),
    ).toBe('missing headers');
  });

  it('binds the timestamp and the delivery id into the signature (a replay under a fresh one fails)', () => {
    const signature = signErpPayload(secret, ts, deliveryId, body);
    expect(
      verifyErpSignature({
        secret,
        timestamp: String(ts + 60),
        deliveryId,
        signature,
        rawBody: body,
        nowMs: now,
        toleranceSeconds: 300,
      }),
    ).toBe('signature mismatch');
    expect(
      verifyErpSignature({
        secret,
        timestamp: String(ts),
        deliveryId: 'd-2',
        signature,
        rawBody: body,
        nowMs: now,
        toleranceSeconds: 300,
      }),
    ).toBe('signature mismatch');
  });
});
