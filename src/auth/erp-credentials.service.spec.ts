import type { Mocked } from '@suites/unit';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';
import { T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ErpCredentialEntity } from './erp-credential.entity';
import { ErpCredentialsRepository } from './erp-credentials.repository';
import { DEFAULT_ROTATION_OVERLAP_MS, ErpCredentialsService } from './erp-credentials.service';

const BODY = Buffer.from('{"items":[]}');

describe(ErpCredentialsService.name, () => {
  let t: TestService<ErpCredentialsService>;
  let repo: Mocked<ErpCredentialsRepository>;
  let rows: Map<string, ErpCredentialEntity>;

  beforeEach(async () => {
    t = await newTestService(ErpCredentialsService);
    repo = t.mocks.get(ErpCredentialsRepository);
    rows = new Map();
    repo.insert.mockImplementation(async (c) => void rows.set(c.keyId, c));
    repo.findByKeyId.mockImplementation(async (keyId) => rows.get(keyId) ?? null);
    repo.revoke.mockImplementation(async (keyId, at) => void Object.assign(rows.get(keyId)!, { revokedAt: at }));
    repo.expireAt.mockImplementation(async (keyId, at) => void Object.assign(rows.get(keyId)!, { expiresAt: at }));
  });

  /** Signed headers for a delivery, as an ERP would send them now. */
  function headers(keyId: string, secret: string, overrides: Record<string, string | undefined> = {}) {
    const timestamp = Math.floor(t.clock.now() / 1000);
    return {
      [ERP_HEADERS.keyId]: keyId,
      [ERP_HEADERS.timestamp]: String(timestamp),
      [ERP_HEADERS.delivery]: 'd-1',
      [ERP_HEADERS.signature]: signErpPayload(secret, timestamp, 'd-1', BODY),
      ...overrides,
    };
  }

  it('issues a key whose secret is stored sealed and signs deliveries for its merchant', async () => {
    const { credential, secret } = await t.sut.create('merchant-1', '  warehouse ');
    expect(credential).toMatchObject({
      merchantId: 'merchant-1',
      name: 'warehouse',
      createdAt: T0,
      expiresAt: null,
      revokedAt: null,
    });
    expect(credential.keyId).toMatch(/^erp_/);
    expect(credential.secretEnc).not.toContain(secret);
    expect(await t.sut.authenticate(headers(credential.keyId, secret), BODY)).toEqual({
      kind: 'erp',
      merchantId: 'merchant-1',
      keyId: credential.keyId,
      deliveryId: 'd-1',
    });
  });

  describe('authenticate', () => {
    it.each([
      ['no key id', { [ERP_HEADERS.keyId]: undefined }, 'missing headers'],
      ['a key id that is not a key id', { [ERP_HEADERS.keyId]: "erp_' or 1=1" }, 'missing headers'],
      ['an unknown key', { [ERP_HEADERS.keyId]: 'erp_unknown' }, 'unknown or revoked key'],
      ['a wrong signature', { [ERP_HEADERS.signature]: 'sha256=00' }, 'signature mismatch'],
    ])('rejects a delivery with %s', async (_what, overrides, reason) => {
      const { credential, secret } = await t.sut.create('merchant-1', 'erp');
      await expect(t.sut.authenticate(headers(credential.keyId, secret, overrides), BODY)).rejects.toMatchObject({
        message: expect.stringContaining(reason),
      });
    });

    it('rejects a delivery signed outside the timestamp tolerance', async () => {
      const { credential, secret } = await t.sut.create('merchant-1', 'erp');
      const sent = headers(credential.keyId, secret);
      t.clock.advance((t.config.erp.toleranceSeconds + 1) * 1000);
      await expect(t.sut.authenticate(sent, BODY)).rejects.toMatchObject({
        message: expect.stringContaining('timestamp outside tolerance'),
      });
    });

    it('rejects a revoked key', async () => {
      const { credential, secret } = await t.sut.create('merchant-1', 'erp');
      await t.sut.revoke('merchant-1', credential.keyId);
      await expect(t.sut.authenticate(headers(credential.keyId, secret), BODY)).rejects.toMatchObject({
        message: expect.stringContaining('unknown or revoked key'),
      });
    });
  });

  describe('rotate', () => {
    it('issues a new key and keeps the old one working for the overlap, then not', async () => {
      const old = await t.sut.create('merchant-1', 'erp');
      const next = await t.sut.rotate('merchant-1', old.credential.keyId);
      expect(next.credential.keyId).not.toBe(old.credential.keyId);
      expect(next.credential.name).toBe('erp');
      expect(rows.get(old.credential.keyId)!.expiresAt).toBe(T0 + DEFAULT_ROTATION_OVERLAP_MS);

      t.clock.advance(DEFAULT_ROTATION_OVERLAP_MS - 1_000);
      await expect(t.sut.authenticate(headers(old.credential.keyId, old.secret), BODY)).resolves.toMatchObject({
        keyId: old.credential.keyId,
      });
      await expect(t.sut.authenticate(headers(next.credential.keyId, next.secret), BODY)).resolves.toMatchObject({
        keyId: next.credential.keyId,
      });
      t.clock.advance(1_000);
      await expect(t.sut.authenticate(headers(old.credential.keyId, old.secret), BODY)).rejects.toMatchObject({
        message: expect.stringContaining('unknown or revoked key'),
      });
    });

    it('never extends an old key that already ends sooner than the new overlap', async () => {
      const old = await t.sut.create('merchant-1', 'erp');
      await t.sut.rotate('merchant-1', old.credential.keyId, 60_000);
      await t.sut.rotate('merchant-1', old.credential.keyId, DEFAULT_ROTATION_OVERLAP_MS);
      expect(rows.get(old.credential.keyId)!.expiresAt).toBe(T0 + 60_000);
    });

    it('shortens an old key’s overlap when a shorter one is asked for', async () => {
      const old = await t.sut.create('merchant-1', 'erp');
      await t.sut.rotate('merchant-1', old.credential.keyId);
      await t.sut.rotate('merchant-1', old.credential.keyId, 0);
      expect(rows.get(old.credential.keyId)!.expiresAt).toBe(T0);
    });

    it('refuses a revoked key and another merchant’s key, issuing nothing', async () => {
      const old = await t.sut.create('merchant-1', 'erp');
      await expect(t.sut.rotate('merchant-2', old.credential.keyId)).rejects.toMatchObject({
        code: 'CREDENTIAL_NOT_FOUND',
      });
      await t.sut.revoke('merchant-1', old.credential.keyId);
      await expect(t.sut.rotate('merchant-1', old.credential.keyId)).rejects.toMatchObject({
        code: 'CREDENTIAL_NOT_FOUND',
      });
      expect(rows.size).toBe(1);
    });
  });

  describe('revoke', () => {
    it('refuses another merchant’s key and leaves it working', async () => {
      const { credential } = await t.sut.create('merchant-1', 'erp');
      await expect(t.sut.revoke('merchant-2', credential.keyId)).rejects.toMatchObject({
        code: 'CREDENTIAL_NOT_FOUND',
      });
      expect(rows.get(credential.keyId)!.revokedAt).toBeNull();
    });
  });
});
