import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface CipherKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

const VERSION = 'v1';
/** Pinned: GCM accepts shorter tags unless told otherwise, and a 4-byte tag is forgeable. */
const AUTH_TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets at rest. The stored form names the key id, so keys can be rotated:
 * new writes use the active key, old rows stay readable while their key is still configured.
 */
export class SecretCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    keys: CipherKey[],
    private readonly activeKeyId: string,
  ) {
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new RangeError(`encryption key ${id} must be 32 bytes`);
      if (id.includes(':')) throw new RangeError(`encryption key id ${id} must not contain ':'`);
      this.keys.set(id, key);
    }
    if (!this.keys.has(activeKeyId)) throw new RangeError(`active encryption key ${activeKeyId} is not configured`);
  }

  get activeKey(): string {
    return this.activeKeyId;
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv, {
      authTagLength: AUTH_TAG_BYTES,
    });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.activeKeyId,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  decrypt(sealed: string, associatedData = ''): string {
    const [version, keyId, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !keyId || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`encryption key ${keyId} is not configured`);
    const authTag = Buffer.from(tag, 'base64');
    if (authTag.length !== AUTH_TAG_BYTES) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'), { authTagLength: AUTH_TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }

  keyIdOf(sealed: string): string | undefined {
    return sealed.split(':')[1];
  }
}
