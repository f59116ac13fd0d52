import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { NamedLock } from '../database/named-lock';
import { Platform } from '../platforms/ports/platform.types';
import { OAUTH_CLIENTS, PlatformOAuthClient, TokenGrant } from '../platforms/ports/accounts.port';
import { isPlatformError, PlatformError } from '../platforms/platform-error';
import { ConnectionNotFoundException } from './accounts.errors';
import { ConnectionsService } from './connections.service';
import { ShopConnectionEntity } from './shop-connection.entity';
import { ShopConnectionRepository } from './shop-connection.repository';
import { TokenVault } from './token-vault';

/** Refresh ahead of expiry by this much (scheduled refresh) … */
export const REFRESH_MARGIN_MS = 6 * 3_600_000;
/** … and a call never starts with a token closer than this to its expiry. */
const CALL_MARGIN_MS = 60_000;
const PERMANENT: PlatformError['code'][] = ['AUTH_REVOKED', 'AUTH_EXPIRED', 'INVALID_REQUEST', 'INSUFFICIENT_SCOPE'];

export class ConnectionUnavailableError extends PlatformError {}

/**
 * Refreshes a connection's tokens. Exactly one worker refreshes a connection at a time: callers
 * in this process share one in-flight refresh, and across instances a named lock per connection
 * serializes them; whoever comes second re-reads the row and finds the new token.
 */
@Injectable()
export class TokenRefreshService {
  private readonly logger = new Logger(TokenRefreshService.name);
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Db,
    private readonly connectionsRepo: ShopConnectionRepository,
    private readonly connections: ConnectionsService,
    private readonly vault: TokenVault,
    @Inject(OAUTH_CLIENTS) private readonly oauth: Record<Platform, PlatformOAuthClient>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Returns a usable access token, refreshing first when it is about to expire, when `force`,
   * or when `rejectedToken` (the platform said it expired) is still the stored one.
   */
  refresh(
    connectionId: string,
    options: { rejectedToken?: string; force?: boolean; marginMs?: number } = {},
  ): Promise<string> {
    const running = this.inFlight.get(connectionId);
    if (running) return running;
    const work = this.refreshExclusive(connectionId, options).finally(() => this.inFlight.delete(connectionId));
    this.inFlight.set(connectionId, work);
    return work;
  }

  private async refreshExclusive(
    connectionId: string,
    options: { rejectedToken?: string; force?: boolean; marginMs?: number },
  ): Promise<string> {
    const known = await this.connectionsRepo.findById(connectionId);
    if (!known) throw new ConnectionNotFoundException(connectionId);
    const lock = await NamedLock.tryAcquire(this.db.dataSource, `kwaizan:token-refresh:${connectionId}`, 30);
    if (!lock)
      throw this.unavailable(
        known.platform,
        connectionId,
        'TEMPORARY',
        'another instance is still refreshing this connection',
      );
    try {
      // Read again under the lock: another instance may have refreshed meanwhile.
      const connection = (await this.connectionsRepo.findById(connectionId))!;
      if (connection.status !== 'active') {
        throw this.unavailable(
          connection.platform,
          connectionId,
          'AUTH_REVOKED',
          `connection is ${connection.status}: the merchant must authorize again`,
        );
      }
      const current = this.vault.accessToken(connection);
      const margin = options.marginMs ?? CALL_MARGIN_MS;
      const fresh = (connection.accessTokenExpiresAt ?? 0) - this.clock.now() > margin;
      const alreadyReplaced = options.rejectedToken !== undefined && current !== options.rejectedToken;
      if (current && fresh && !options.force && (options.rejectedToken === undefined || alreadyReplaced))
        return current;

      const grant = await this.obtain(connection);
      await this.connections.saveRefreshed(connection.id, grant);
      this.logger.log(`refreshed ${connection.platform} token of connection ${connection.id}`);
      return grant.accessToken;
    } finally {
      await lock.release();
    }
  }

  private async obtain(connection: ShopConnectionEntity): Promise<TokenGrant> {
    const client = this.oauth[connection.platform];
    const refreshToken = this.vault.refreshToken(connection);
    try {
      if (!refreshToken && client.silentGrant) return await client.silentGrant(connection.shopId);
      if (!refreshToken)
        throw this.unavailable(connection.platform, connection.id, 'AUTH_EXPIRED', 'no refresh token is stored');
      if (connection.refreshTokenExpiresAt !== null && connection.refreshTokenExpiresAt <= this.clock.now()) {
        throw this.unavailable(
          connection.platform,
          connection.id,
          'AUTH_EXPIRED',
          'the refresh token has expired (authorization lifetime reached)',
        );
      }
      return await client.refresh(refreshToken);
    } catch (error) {
      const platformError = isPlatformError(error)
        ? error
        : new PlatformError({
            platform: connection.platform,
            api: 'oauth.refresh',
            code: 'UNKNOWN',
            message: (error as Error).message,
          });
      if (PERMANENT.includes(platformError.code)) {
        await this.connections.markNeedsReauth(
          connection.id,
          platformError.rawMessage ?? platformError.message,
          platformError,
        );
      } else {
        await this.connections.recordRefreshFailure(connection.id, platformError);
      }
      throw platformError;
    }
  }

  private unavailable(
    platform: Platform,
    connectionId: string,
    code: PlatformError['code'],
    message: string,
  ): ConnectionUnavailableError {
    return new ConnectionUnavailableError({
      platform,
      api: 'oauth.refresh',
      code,
      message: `connection ${connectionId}: ${message}`,
    });
  }
}
