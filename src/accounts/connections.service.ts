import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { ConflictDomainException } from '../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { connectionStatusChangedTopic } from '../messaging/contracts/connection-status-changed/connection-status-changed.contract';
import { merchantEventRaisedTopic } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { Platform } from '../platforms/ports/platform.types';
import { TokenGrant } from '../platforms/ports/accounts.port';
import { needsReauth } from '../platforms/failure-policy';
import { PlatformError } from '../platforms/platform-error';
import { CallFailureListener } from '../platforms/shared/failure-boundary';
import { ConnectionNotFoundException, ConnectFailedException } from './accounts.errors';
import { ConnectionStatus, ShopConnectionEntity } from './shop-connection.entity';
import { ShopConnectionRepository } from './shop-connection.repository';
import { StorePairEntity } from './store-pair.entity';
import { StorePairRepository } from './store-pair.repository';
import { TokenVault } from './token-vault';

/** The one place where a shop connection changes state; every change is announced on the bus. */
/**
 * Runs when the merchant disconnects an active shop, while its grant still works (`before`, outside
 * any transaction: it may call the platform), and once the shop is unbound (`after`).
 */
export interface ShopLeavingHook {
  before(connection: ShopConnectionEntity): Promise<void>;
  after(connection: ShopConnectionEntity): Promise<void>;
}

@Injectable()
export class ConnectionsService implements CallFailureListener {
  private readonly logger = new Logger(ConnectionsService.name);
  private readonly leavingHooks: ShopLeavingHook[] = [];

  /** Inventory registers one: the shop's listings are lowered to 0 before its tokens are wiped. */
  onShopLeaving(hook: ShopLeavingHook): void {
    this.leavingHooks.push(hook);
  }

  constructor(
    private readonly db: Db,
    private readonly connections: ShopConnectionRepository,
    private readonly pairs: StorePairRepository,
    private readonly vault: TokenVault,
    private readonly outbox: OutboxService,
    private readonly failures: SyncFailureService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async get(id: string): Promise<ShopConnectionEntity> {
    const connection = await this.connections.findById(id);
    if (!connection) throw new ConnectionNotFoundException(id);
    return connection;
  }

  /** 404 for another merchant's connection, so its existence is not confirmed. */
  async getOwned(merchantId: string, id: string): Promise<ShopConnectionEntity> {
    const connection = await this.connections.findById(id);
    if (!connection || connection.merchantId !== merchantId) throw new ConnectionNotFoundException(id);
    return connection;
  }

  listByMerchant(merchantId: string): Promise<ShopConnectionEntity[]> {
    return this.connections.listByMerchant(merchantId);
  }

  findById(id: string): Promise<ShopConnectionEntity | null> {
    return this.connections.findById(id);
  }

  findByShop(platform: Platform, shopId: string): Promise<ShopConnectionEntity | null> {
    return this.connections.findByShop(platform, shopId);
  }

  /** For the ops console: every shop still bound, whatever its state. */
  listBound(): Promise<ShopConnectionEntity[]> {
    return this.connections.listBound();
  }

  listActive(): Promise<ShopConnectionEntity[]> {
    return this.connections.listActive();
  }

  /** Stores a fresh grant (first connect or re-authorization); pairs the merchant's shops when unambiguous. */
  async saveGrant(merchantId: string, platform: Platform, grant: TokenGrant): Promise<ShopConnectionEntity> {
    const saved = await this.db.transaction(async () => {
      const now = this.clock.now();
      let connection = await this.connections.lockByShop(platform, grant.shopId);
      if (connection && connection.merchantId !== merchantId && connection.status !== 'unbound') {
        throw new ConnectFailedException(
          'SHOP_TAKEN',
          `This ${platform} shop is already connected to another merchant account.`,
          merchantId,
        );
      }
      const previous = connection?.status;
      if (!connection) {
        connection = new ShopConnectionEntity();
        connection.id = this.ids.uuid();
        connection.platform = platform;
        connection.shopId = grant.shopId;
        connection.createdAt = now;
      }
      connection.merchantId = merchantId;
      connection.shopName = grant.shopName ?? connection.shopName ?? null;
      connection.scopes = grant.scopes.join(' ');
      connection.status = 'active';
      connection.statusReason = null;
      this.vault.seal(connection, grant);
      connection.accessTokenExpiresAt = grant.accessTokenExpiresAt;
      connection.refreshTokenExpiresAt = grant.refreshTokenExpiresAt ?? null;
      // A new authorization starts a new grant lifetime (Kuaishou: 180 days from here).
      connection.firstGrantedAt = now;
      connection.lastRefreshedAt = null;
      connection.reauthDueAt = null;
      connection.failureCount = 0;
      connection.lastError = null;
      connection.updatedAt = now;
      await this.connections.save(connection);
      await this.announce(connection, previous, previous ? 'merchant re-authorized' : 'merchant connected the shop');
      await this.autoPair(connection);
      return connection;
    });
    await this.failures.resolveByDedupeKey(reauthKey(saved.id), 'merchant authorized again');
    return saved;
  }

  /** A refresh succeeded: the rotated refresh token is stored with the new access token, atomically. */
  async saveRefreshed(connectionId: string, grant: TokenGrant): Promise<void> {
    await this.db.transaction(async () => {
      const connection = await this.connections.lockById(connectionId);
      if (!connection) throw new ConnectionNotFoundException(connectionId);
      const now = this.clock.now();
      this.vault.seal(connection, {
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken ?? this.vault.refreshToken(connection),
      });
      connection.accessTokenExpiresAt = grant.accessTokenExpiresAt;
      if (grant.refreshTokenExpiresAt) connection.refreshTokenExpiresAt = grant.refreshTokenExpiresAt;
      if (grant.scopes.length) connection.scopes = grant.scopes.join(' ');
      connection.lastRefreshedAt = now;
      connection.failureCount = 0;
      connection.lastError = null;
      connection.updatedAt = now;
      await this.connections.save(connection);
    });
    await this.failures.resolveByDedupeKey(refreshKey(connectionId), 'refresh succeeded');
  }

  /** The grant is gone (or was withdrawn): stop using the connection and tell the merchant and ops. */
  async markNeedsReauth(
    connectionId: string,
    reason: string,
    error?: PlatformError,
    status: Extract<ConnectionStatus, 'needs_reauth' | 'revoked'> = 'needs_reauth',
  ): Promise<void> {
    const connection = await this.db.transaction(async () => {
      const c = await this.connections.lockById(connectionId);
      if (!c || c.status === status || c.status === 'unbound') return undefined;
      const previous = c.status;
      c.status = status;
      c.statusReason = reason.slice(0, 500);
      this.vault.wipe(c);
      c.updatedAt = this.clock.now();
      await this.connections.save(c);
      await this.announce(c, previous, reason);
      await this.failures.record({
        context: 'accounts',
        operation: 'token.refresh',
        errorCode: error?.code ?? 'AUTH_REVOKED',
        reason: `${c.platform} shop ${c.shopName ?? c.shopId} must be authorized again: ${reason}`,
        platform: c.platform,
        shopRef: c.shopId,
        merchantId: c.merchantId,
        entityType: 'connection',
        entityRef: c.id,
        platformCode: error?.rawCode,
        platformMessage: error?.rawMessage,
        retryable: false,
        dedupeKey: reauthKey(c.id),
      });
      return c;
    });
    if (connection) this.logger.warn(`${connection.platform} connection ${connection.id} is now ${status}: ${reason}`);
  }

  /**
   * What a failed platform call means for the connection (the failure policy's `reauth`): a
   * withdrawn grant or a missing permission stops the shop until the merchant authorizes again.
   * Other failures say nothing about the grant. Called by the channel boundary for every call
   * made for a shop (`withFailurePolicy`), never by hand. Only an active connection is taken out
   * of service: a call on one already stopped fails before it reaches the platform.
   * Returns whether the connection was taken out of service.
   */
  async reportCallFailure(connectionId: string, error: unknown): Promise<boolean> {
    if (!needsReauth(error)) return false;
    const connection = await this.connections.findById(connectionId);
    if (connection?.status !== 'active') return false;
    const detail = error.rawMessage ?? error.message;
    if (error.code === 'AUTH_REVOKED') await this.markNeedsReauth(connectionId, detail, error, 'revoked');
    else await this.markNeedsReauth(connectionId, `a permission is missing: ${detail}`, error);
    return true;
  }

  /** A refresh failed for a reason that may pass; the next scheduled refresh tries again. */
  async recordRefreshFailure(connectionId: string, error: PlatformError): Promise<void> {
    await this.db.transaction(async () => {
      const c = await this.connections.lockById(connectionId);
      if (!c) return;
      c.failureCount += 1;
      c.lastError = `${error.code}: ${error.message}`.slice(0, 500);
      c.updatedAt = this.clock.now();
      await this.connections.save(c);
      await this.failures.record({
        context: 'accounts',
        operation: 'token.refresh',
        errorCode: error.code,
        reason: `refreshing the ${c.platform} token failed: ${error.message}`,
        platform: c.platform,
        shopRef: c.shopId,
        merchantId: c.merchantId,
        entityType: 'connection',
        entityRef: c.id,
        platformCode: error.rawCode,
        platformMessage: error.rawMessage,
        replay: { kind: TOKEN_REFRESH_REPLAY, data: { connectionId: c.id } },
        dedupeKey: refreshKey(c.id),
      });
    });
  }

  /** The grant ends at `dueAt` and cannot be extended by refreshing: ask the merchant now. */
  async flagReauthDue(connectionId: string, dueAt: number): Promise<void> {
    await this.db.transaction(async () => {
      const c = await this.connections.lockById(connectionId);
      if (!c || c.status !== 'active' || c.reauthDueAt) return;
      c.reauthDueAt = dueAt;
      c.updatedAt = this.clock.now();
      await this.connections.save(c);
      await this.announce(
        c,
        c.status,
        'authorization ends soon: the merchant must authorize again before it does',
        dueAt,
      );
    });
  }

  /** Stops syncing the shop; history stays, tokens are wiped. */
  async unbind(merchantId: string, connectionId: string): Promise<ShopConnectionEntity> {
    const current = await this.connections.findById(connectionId);
    const leaving = current?.merchantId === merchantId && current.status === 'active' ? current : undefined;
    if (leaving)
      for (const hook of this.leavingHooks)
        await hook
          .before(leaving)
          .catch((e: Error) => this.logger.warn(`before unbinding ${connectionId}: ${e.message}`));
    try {
      return await this.unbindNow(merchantId, connectionId);
    } finally {
      if (leaving)
        for (const hook of this.leavingHooks)
          await hook
            .after(leaving)
            .catch((e: Error) => this.logger.warn(`after unbinding ${connectionId}: ${e.message}`));
    }
  }

  private async unbindNow(merchantId: string, connectionId: string): Promise<ShopConnectionEntity> {
    return this.db.transaction(async () => {
      const c = await this.connections.lockById(connectionId);
      if (!c || c.merchantId !== merchantId) throw new ConnectionNotFoundException(connectionId);
      if (c.status === 'unbound') return c;
      const previous = c.status;
      c.status = 'unbound';
      c.statusReason = 'unbound by the merchant';
      this.vault.wipe(c);
      c.updatedAt = this.clock.now();
      await this.connections.save(c);
      const pair = await this.pairs.findByConnection(c.id);
      if (pair && pair.status === 'active') {
        pair.status = 'unbound';
        pair.updatedAt = c.updatedAt;
        await this.pairs.save(pair);
      }
      await this.announce(c, previous, 'unbound by the merchant');
      return c;
    });
  }

  /** Links one Kuaishou and one Youzan connection of the merchant. */
  async pair(merchantId: string, kuaishouConnectionId: string, youzanConnectionId: string): Promise<StorePairEntity> {
    return this.db.transaction(async () => {
      const ks = await this.connections.lockById(kuaishouConnectionId);
      const yz = await this.connections.lockById(youzanConnectionId);
      if (!ks || ks.merchantId !== merchantId || ks.platform !== 'kuaishou')
        throw new ConnectionNotFoundException(kuaishouConnectionId);
      if (!yz || yz.merchantId !== merchantId || yz.platform !== 'youzan')
        throw new ConnectionNotFoundException(youzanConnectionId);
      if (ks.status === 'unbound' || yz.status === 'unbound')
        throw new ConflictDomainException(
          'CONNECTION_UNBOUND',
          'an unbound shop cannot be paired; connect it again first',
        );
      for (const c of [ks, yz]) {
        const existing = await this.pairs.findByConnection(c.id);
        if (
          existing &&
          existing.status === 'active' &&
          !(existing.kuaishouConnectionId === ks.id && existing.youzanConnectionId === yz.id)
        ) {
          throw new ConflictDomainException(
            'SHOP_ALREADY_PAIRED',
            `the ${c.platform} shop is already paired; unbind that pair first`,
          );
        }
      }
      const existing = (await this.pairs.findByConnection(ks.id)) ?? (await this.pairs.findByConnection(yz.id));
      const now = this.clock.now();
      const pair =
        existing ?? Object.assign(new StorePairEntity(), { id: this.ids.uuid(), merchantId, createdAt: now });
      pair.kuaishouConnectionId = ks.id;
      pair.youzanConnectionId = yz.id;
      pair.status = 'active';
      pair.updatedAt = now;
      return this.pairs.save(pair);
    });
  }

  private async autoPair(connection: ShopConnectionEntity): Promise<void> {
    const existing = await this.pairs.findByConnection(connection.id);
    const now = this.clock.now();
    if (existing) {
      if (existing.status !== 'active') {
        const otherId =
          connection.platform === 'kuaishou' ? existing.youzanConnectionId : existing.kuaishouConnectionId;
        const other = await this.connections.findById(otherId);
        if (other && other.status !== 'unbound') {
          existing.status = 'active';
          existing.updatedAt = now;
          await this.pairs.save(existing);
        }
      }
      return;
    }
    const all = (await this.connections.listByMerchant(connection.merchantId)).filter((c) => c.status !== 'unbound');
    const otherPlatform: Platform = connection.platform === 'kuaishou' ? 'youzan' : 'kuaishou';
    const candidates = [];
    for (const c of all.filter((c) => c.platform === otherPlatform)) {
      const pair = await this.pairs.findByConnection(c.id);
      if (!pair || pair.status !== 'active') candidates.push(c);
    }
    if (candidates.length !== 1) return;
    const pair = new StorePairEntity();
    pair.id = this.ids.uuid();
    pair.merchantId = connection.merchantId;
    pair.kuaishouConnectionId = connection.platform === 'kuaishou' ? connection.id : candidates[0].id;
    pair.youzanConnectionId = connection.platform === 'youzan' ? connection.id : candidates[0].id;
    pair.status = 'active';
    pair.createdAt = now;
    pair.updatedAt = now;
    const taken = await this.pairs.findByConnection(candidates[0].id);
    if (taken) {
      Object.assign(taken, {
        kuaishouConnectionId: pair.kuaishouConnectionId,
        youzanConnectionId: pair.youzanConnectionId,
        status: 'active',
        updatedAt: now,
      });
      await this.pairs.save(taken);
    } else {
      await this.pairs.save(pair);
    }
  }

  private async announce(
    c: ShopConnectionEntity,
    previous: ConnectionStatus | undefined,
    reason: string,
    reauthDueAt?: number,
  ): Promise<void> {
    await this.outbox.enqueue(connectionStatusChangedTopic, {
      connectionId: c.id,
      merchantId: c.merchantId,
      platform: c.platform,
      shopId: c.shopId,
      status: c.status,
      previousStatus: previous,
      reason,
      reauthDueAt,
      occurredAt: this.clock.now(),
    });
    // The merchant's ERP and alerting hear about it through their one outbound topic.
    if (c.status === 'needs_reauth' && previous !== 'needs_reauth')
      await this.outbox.enqueue(merchantEventRaisedTopic, {
        eventId: this.ids.uuid(),
        merchantId: c.merchantId,
        type: 'connection.needs_reauth',
        subject: c.id,
        occurredAt: this.clock.now(),
        data: {
          connectionId: c.id,
          platform: c.platform,
          shopId: c.shopId,
          shopName: c.shopName ?? null,
          previousStatus: previous ?? null,
          reason,
          reauthDueAt: reauthDueAt ?? null,
        },
      });
  }
}

export const TOKEN_REFRESH_REPLAY = 'accounts.token-refresh';
const reauthKey = (connectionId: string) => `accounts:reauth:${connectionId}`;
const refreshKey = (connectionId: string) => `accounts:refresh:${connectionId}`;
