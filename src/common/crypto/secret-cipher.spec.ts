import { randomBytes } from 'node:crypto';
import { SecretCipher } from './secret-cipher';

const cipher = new SecretCipher([{ id: 'k1', key: randomBytes(32) }], 'k1');

describe(SecretCipher.name, () => {
  it('round-trips a secret bound to its associated data', () => {
    const sealed = cipher.encrypt('token-123', 'row-1:access');
    expect(cipher.decrypt(sealed, 'row-1:access')).toBe('token-123');
    expect(() => cipher.decrypt(sealed, 'row-2:access')).toThrow();
  });

  it.each([4, 8, 12, 15])('refuses a sealed secret whose auth tag was cut to %i bytes', (length) => {
    const [version, keyId, iv, tag, body] = cipher.encrypt('token-123', 'row-1:access').split(':');
    const truncated = Buffer.from(tag, 'base64').subarray(0, length).toString('base64');
    expect(() => cipher.decrypt([version, keyId, iv, truncated, body].join(':'), 'row-1:access')).toThrow();
  });
});
