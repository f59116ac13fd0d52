import { signErpPayload, verifyErpSignature } from './erp-signature';

describe('ERP webhook signature', () => {
  const secret = 'erp-secret-0123456789';
  const body = Buffer.from('{"merchantId":"m","updates":[]}');
  const now = 1_795_300_000_000;
  const ts = now / 1000;

  it('accepts a body signed with the shared secret within the tolerance', () => {
    expect(verifyErpSignature({ secret, timestamp: String(ts), signature: signErpPayload(secret, ts, body), rawBody: body, nowMs: now + 299_000, toleranceSeconds: 300 })).toBeUndefined();
  });

  it('rejects a changed body, another secret, an old timestamp and missing headers', () => {
    const signature = signErpPayload(secret, ts, body);
    expect(verifyErpSignature({ secret, timestamp: String(ts), signature, rawBody: Buffer.from(`${body} `), nowMs: now, toleranceSeconds: 300 })).toBe('signature mismatch');
    expect(verifyErpSignature({ secret: 'another-secret-000000', timestamp: String(ts), signature, rawBody: body, nowMs: now, toleranceSeconds: 300 })).toBe('signature mismatch');
    expect(verifyErpSignature({ secret, timestamp: String(ts), signature, rawBody: body, nowMs: now + 301_000, toleranceSeconds: 300 })).toBe('timestamp outside tolerance');
    expect(verifyErpSignature({ secret, signature, rawBody: body, nowMs: now, toleranceSeconds: 300 })).toBe('missing headers');
  });

  it('binds the timestamp into the signature (a replay with a fresh timestamp fails)', () => {
    const signature = signErpPayload(secret, ts, body);
    expect(verifyErpSignature({ secret, timestamp: String(ts + 60), signature, rawBody: body, nowMs: now, toleranceSeconds: 300 })).toBe('signature mismatch');
  });
});
