import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { ERP_HEADERS, verifyErpSignature } from './erp-signature';
import { MERCHANT_DIRECTORY, MerchantDirectory } from './merchant-directory.port';
import { CredentialNotFoundException, ErpCredentialRejectedException } from './auth.errors';
import { ErpCredentialEntity } from './erp-credential.entity';
import { ErpCredentialsRepository } from './erp-credentials.repository';
import { Principal } from './principal';

export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface IssuedErpCredential {
  credential: ErpCredentialEntity;
  /** Shown once. */
  secret: string;
}

/** Per-merchant ERP keys: the key id names the merchant, the secret signs each delivery. */
@Injectable()
export class ErpCredentialsService {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly db: Db,
    private readonly credentials: ErpCredentialsRepository,
    @Inject(MERCHANT_DIRECTORY) private readonly merchants: MerchantDirectory,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.cipher = new SecretCipher(config.encryption.keys, config.encryption.activeKeyId);
  }

  async create(merchantId: string, name: string): Promise<IssuedErpCredential> {
    await this.merchants.get(merchantId);
    const keyId = `erp_${randomBytes(9).toString('base64url')}`;
    const secret = randomBytes(32).toString('base64url');
    const credential = Object.assign(new ErpCredentialEntity(), {
      keyId,
      merchantId,
      name: name.trim(),
      // The key id is bound in, so a sealed secret copied to another row does not open.
      secretEnc: this.cipher.encrypt(secret, `erp-credential:${keyId}`),
      createdAt: this.clock.now(),
      expiresAt: null,
      revokedAt: null,
    });
    await this.db.transaction(() => this.credentials.insert(credential));
    return { credential, secret };
  }

  listByMerchant(merchantId: string): Promise<ErpCredentialEntity[]> {
    return this.credentials.listByMerchant(merchantId);
  }

  async revoke(merchantId: string, keyId: string): Promise<void> {
    await this.owned(merchantId, keyId);
    await this.db.transaction(() => this.credentials.revoke(keyId, this.clock.now()));
  }

  /** A new key now; the old one keeps working for `overlapMs`, so the ERP can switch without losing deliveries. */
  async rotate(
    merchantId: string,
    keyId: string,
    overlapMs = DEFAULT_ROTATION_OVERLAP_MS,
  ): Promise<IssuedErpCredential> {
    const old = await this.owned(merchantId, keyId);
    if (old.revokedAt) throw new CredentialNotFoundException(keyId);
    const issued = await this.create(merchantId, old.name);
    const until = this.clock.now() + overlapMs;
    if (!old.expiresAt || old.expiresAt > until)
      await this.db.transaction(() => this.credentials.expireAt(keyId, until));
    return issued;
  }

  /**
   * Checks a delivery before anything reads its body. Every rejection says only what was wrong
   * with the signature headers, so an unauthenticated caller learns nothing about the payload.
   */
  async authenticate(
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<Extract<Principal, { kind: 'erp' }>> {
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? undefined : value;
    };
    const keyId = header(ERP_HEADERS.keyId);
    if (!keyId || !/^[A-Za-z0-9_-]{1,40}$/.test(keyId)) throw new ErpCredentialRejectedException('missing headers');
    const credential = await this.credentials.findByKeyId(keyId);
    const now = this.clock.now();
    if (!credential || credential.revokedAt || (credential.expiresAt !== null && credential.expiresAt <= now))
      throw new ErpCredentialRejectedException('unknown or revoked key');
    const problem = verifyErpSignature({
      secret: this.cipher.decrypt(credential.secretEnc, `erp-credential:${keyId}`),
      timestamp: header(ERP_HEADERS.timestamp),
      deliveryId: header(ERP_HEADERS.delivery),
      signature: header(ERP_HEADERS.signature),
      rawBody,
      nowMs: now,
      toleranceSeconds: this.config.erp.toleranceSeconds,
    });
    if (problem) throw new ErpCredentialRejectedException(problem);
    return { kind: 'erp', merchantId: credential.merchantId, keyId, deliveryId: header(ERP_HEADERS.delivery)! };
  }

  private async owned(merchantId: string, keyId: string): Promise<ErpCredentialEntity> {
    const credential = await this.credentials.findByKeyId(keyId);
    if (!credential || credential.merchantId !== merchantId) throw new CredentialNotFoundException(keyId);
    return credential;
  }
}
