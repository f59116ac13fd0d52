import { Injectable } from '@nestjs/common';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { AppConfig } from '../config/app-config';
import { ShopConnectionEntity } from './shop-connection.entity';

/**
 * Seals and opens a connection's tokens. The row id and field are bound in as associated data,
 * so a sealed token copied to another row or column does not open.
 */
@Injectable()
export class TokenVault {
  private readonly cipher: SecretCipher;

  constructor(config: AppConfig) {
    this.cipher = new SecretCipher(config.encryption.keys, config.encryption.activeKeyId);
  }

  seal(connection: ShopConnectionEntity, tokens: { accessToken: string; refreshToken?: string | null }): void {
    connection.accessTokenEnc = this.cipher.encrypt(tokens.accessToken, `${connection.id}:access`);
    connection.refreshTokenEnc = tokens.refreshToken
      ? this.cipher.encrypt(tokens.refreshToken, `${connection.id}:refresh`)
      : null;
    connection.tokenKeyId = this.cipher.activeKey;
  }

  wipe(connection: ShopConnectionEntity): void {
    connection.accessTokenEnc = null;
    connection.refreshTokenEnc = null;
    connection.tokenKeyId = null;
  }

  accessToken(connection: ShopConnectionEntity): string | undefined {
    return connection.accessTokenEnc
      ? this.cipher.decrypt(connection.accessTokenEnc, `${connection.id}:access`)
      : undefined;
  }

  refreshToken(connection: ShopConnectionEntity): string | undefined {
    return connection.refreshTokenEnc
      ? this.cipher.decrypt(connection.refreshTokenEnc, `${connection.id}:refresh`)
      : undefined;
  }
}
