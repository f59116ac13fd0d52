import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { ShopRef } from '../platforms/ports/platform.types';
import { TokenProvider } from '../platforms/ports/accounts.port';
import { PlatformError } from '../platforms/platform-error';
import { ShopConnectionRepository } from './shop-connection.repository';
import { TokenRefreshService } from './token-refresh.service';
import { TokenVault } from './token-vault';

const CACHE_MS = 5_000;

/** Gives the platform clients a working access token for a connection, refreshing when needed. */
@Injectable()
export class AccountsTokenProvider implements TokenProvider {
  private readonly cache = new Map<string, { token: string; expiresAt: number; until: number }>();

  constructor(
    private readonly connections: ShopConnectionRepository,
    private readonly vault: TokenVault,
    private readonly refresher: TokenRefreshService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async accessToken(shop: ShopRef): Promise<string> {
    const now = this.clock.now();
    const cached = this.cache.get(shop.connectionId);
    if (cached && cached.until > now && cached.expiresAt - now > 60_000) return cached.token;
    const connection = await this.connections.findById(shop.connectionId);
    if (!connection || connection.status !== 'active') {
      throw new PlatformError({
        platform: shop.platform,
        api: 'token',
        code: 'AUTH_REVOKED',
        message: `shop connection ${shop.connectionId} is ${connection?.status ?? 'missing'}: authorize it again`,
      });
    }
    let token = this.vault.accessToken(connection);
    let expiresAt = connection.accessTokenExpiresAt ?? 0;
    if (!token || expiresAt - now <= 60_000) {
      token = await this.refresher.refresh(connection.id);
      expiresAt = (await this.connections.findById(connection.id))?.accessTokenExpiresAt ?? 0;
    }
    this.cache.set(shop.connectionId, { token, expiresAt, until: now + CACHE_MS });
    return token;
  }

  async refreshAfterExpiry(shop: ShopRef, rejectedToken: string): Promise<string> {
    this.cache.delete(shop.connectionId);
    const token = await this.refresher.refresh(shop.connectionId, { rejectedToken });
    return token;
  }
}
