import type { Mocked } from '@suites/unit';
import { AppConfig } from '@app/config/app-config';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { TokenGrant } from '@app/platforms/ports/accounts.port';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { unitConfig } from '@test/support/unit/unit-config';
import { ConnectionsService, TOKEN_REFRESH_REPLAY } from './connections.service';
import { ShopConnectionEntity } from './shop-connection.entity';
import { ShopConnectionRepository } from './shop-connection.repository';
import { StorePairEntity } from './store-pair.entity';
import { StorePairRepository } from './store-pair.repository';
import { TokenVault } from './token-vault';
import { merchantEventRaisedTopic } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';

const grant = (overrides: Partial<TokenGrant> = {}): TokenGrant => ({
  shopId: 'shop-1',
  accessToken: 'access-new',
  accessTokenExpiresAt: T0 + 3_600_000,
  refreshToken: 'refresh-new',
  scopes: ['merchant_item'],
  ...overrides,
});

describe(ConnectionsService.name, () => {
  let t: TestService<ConnectionsService>;
  let vault: TokenVault;
  let connections: Mocked<ShopConnectionRepository>;
  let pairs: Mocked<StorePairRepository>;
  let outbox: Mocked<OutboxService>;
  let failures: Mocked<SyncFailureService>;
  let rows: Map<string, ShopConnectionEntity>;
  let pairRows: Map<string, StorePairEntity>;

  beforeEach(async () => {
    vault = new TokenVault(unitConfig() as AppConfig);
    t = await newTestService(ConnectionsService, { provide: [[TokenVault, vault]] });
    connections = t.mocks.get(ShopConnectionRepository);
    pairs = t.mocks.get(StorePairRepository);
    outbox = t.mocks.get(OutboxService);
    failures = t.mocks.get(SyncFailureService);
    rows = new Map();
    pairRows = new Map();
    connections.findById.mockImplementation(async (id) => rows.get(id) ?? null);
    connections.lockById.mockImplementation(async (id) => rows.get(id) ?? null);
    connections.lockByShop.mockImplementation(
      async (p, shopId) => [...rows.values()].find((c) => c.platform === p && c.shopId === shopId) ?? null,
    );
    connections.listByMerchant.mockImplementation(async (m) => [...rows.values()].filter((c) => c.merchantId === m));
    connections.save.mockImplementation(async (c) => (rows.set(c.id, c), c));
    pairs.findByConnection.mockImplementation(
      async (id) =>
        [...pairRows.values()].find((p) => p.kuaishouConnectionId === id || p.youzanConnectionId === id) ?? null,
    );
    pairs.save.mockImplementation(async (p) => (pairRows.set(p.id, p), p));
  });

  const seed = (overrides: Partial<ShopConnectionEntity> = {}) => {
    const c = factory.connection(overrides);
    vault.seal(c, { accessToken: 'access-old', refreshToken: 'refresh-old' });
    rows.set(c.id, c);
    return c;
  };
  const announced = () => outbox.enqueue.mock.calls.map(([, event]) => event as unknown as Record<string, unknown>);

  describe('markNeedsReauth', () => {
    it('takes an active connection out of service: tokens wiped, change announced, a non-retryable failure for ops', async () => {
      seed();
      const error = factory.platformError({ code: 'AUTH_EXPIRED', rawCode: '28', rawMessage: 'token expired' });
      await t.sut.markNeedsReauth('conn-1', 'token expired', error);
      const c = rows.get('conn-1')!;
      expect(c).toMatchObject({
        status: 'needs_reauth',
        statusReason: 'token expired',
        accessTokenEnc: null,
        refreshTokenEnc: null,
      });
      expect(announced()).toEqual([
        expect.objectContaining({ status: 'needs_reauth', previousStatus: 'active', reason: 'token expired' }),
        // The merchant's ERP hears of it on the merchant-event topic.
        expect.objectContaining({
          type: 'connection.needs_reauth',
          merchantId: 'merchant-1',
          subject: 'conn-1',
          data: expect.objectContaining({ connectionId: 'conn-1', reason: 'token expired' }),
        }),
      ]);
      expect(outbox.enqueue.mock.calls[1][0]).toBe(merchantEventRaisedTopic);
      expect(failures.record).toHaveBeenCalledWith(
        expect.objectContaining({
          errorCode: 'AUTH_EXPIRED',
          platformCode: '28',
          retryable: false,
          dedupeKey: 'accounts:reauth:conn-1',
        }),
      );
    });

    it.each(['needs_reauth', 'unbound'] as const)('leaves a %s connection as it is', async (status) => {
      seed({ status });
      await t.sut.markNeedsReauth('conn-1', 'again');
      expect(connections.save).not.toHaveBeenCalled();
      expect(outbox.enqueue).not.toHaveBeenCalled();
      expect(failures.record).not.toHaveBeenCalled();
    });

    it('moves a connection that needs re-authorization on to revoked when the grant is withdrawn', async () => {
      seed({ status: 'needs_reauth' });
      await t.sut.markNeedsReauth('conn-1', 'withdrawn', undefined, 'revoked');
      expect(rows.get('conn-1')!.status).toBe('revoked');
      expect(failures.record).toHaveBeenCalledWith(expect.objectContaining({ errorCode: 'AUTH_REVOKED' }));
    });
  });

  describe('reportCallFailure', () => {
    it('revokes the connection when the platform says the grant was withdrawn', async () => {
      seed();
      expect(
        await t.sut.reportCallFailure(
          'conn-1',
          factory.platformError({ code: 'AUTH_REVOKED', rawMessage: 'unbound by seller' }),
        ),
      ).toBe(true);
      expect(rows.get('conn-1')).toMatchObject({ status: 'revoked', statusReason: 'unbound by seller' });
    });

    it('asks for re-authorization when a permission is missing', async () => {
      seed();
      expect(
        await t.sut.reportCallFailure(
          'conn-1',
          factory.platformError({ code: 'INSUFFICIENT_SCOPE', message: 'no item scope' }),
        ),
      ).toBe(true);
      expect(rows.get('conn-1')).toMatchObject({
        status: 'needs_reauth',
        statusReason: 'a permission is missing: no item scope',
      });
    });

    it.each(['TEMPORARY', 'RATE_LIMITED', 'AUTH_EXPIRED', 'NOT_FOUND', 'INVALID_REQUEST', 'UNKNOWN'] as const)(
      'keeps the connection in service after %s',
      async (code) => {
        seed();
        expect(await t.sut.reportCallFailure('conn-1', factory.platformError({ code }))).toBe(false);
        expect(rows.get('conn-1')!.status).toBe('active');
      },
    );

    it('ignores errors that are not platform errors', async () => {
      seed();
      expect(await t.sut.reportCallFailure('conn-1', new Error('AUTH_REVOKED'))).toBe(false);
      expect(connections.lockById).not.toHaveBeenCalled();
    });
  });

  describe('recordRefreshFailure', () => {
    it('counts the failure on the row and parks a retryable token-refresh failure', async () => {
      seed({ failureCount: 2 });
      await t.sut.recordRefreshFailure(
        'conn-1',
        factory.platformError({ code: 'TEMPORARY', message: 'gateway timeout' }),
      );
      expect(rows.get('conn-1')).toMatchObject({
        status: 'active',
        failureCount: 3,
        lastError: 'TEMPORARY: gateway timeout',
      });
      const recorded = failures.record.mock.calls[0][0];
      expect(recorded).toMatchObject({
        replay: { kind: TOKEN_REFRESH_REPLAY, data: { connectionId: 'conn-1' } },
        dedupeKey: 'accounts:refresh:conn-1',
      });
      expect(recorded.retryable).not.toBe(false);
    });
  });

  describe('saveRefreshed', () => {
    it('keeps the stored refresh token when the platform rotated none, and clears the failure count', async () => {
      seed({ failureCount: 4, lastError: 'TEMPORARY: x' });
      t.clock.advance(1_000);
      await t.sut.saveRefreshed('conn-1', grant({ refreshToken: undefined, scopes: [] }));
      const c = rows.get('conn-1')!;
      expect(vault.accessToken(c)).toBe('access-new');
      expect(vault.refreshToken(c)).toBe('refresh-old');
      expect(c).toMatchObject({
        failureCount: 0,
        lastError: null,
        lastRefreshedAt: T0 + 1_000,
        scopes: 'merchant_item merchant_order',
      });
      expect(failures.resolveByDedupeKey).toHaveBeenCalledWith('accounts:refresh:conn-1', 'refresh succeeded');
    });

    it('stores a rotated refresh token', async () => {
      seed();
      await t.sut.saveRefreshed('conn-1', grant());
      expect(vault.refreshToken(rows.get('conn-1')!)).toBe('refresh-new');
    });

    it('fails for an unknown connection and resolves nothing', async () => {
      await expect(t.sut.saveRefreshed('nope', grant())).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
      expect(failures.resolveByDedupeKey).not.toHaveBeenCalled();
    });
  });

  describe('saveGrant', () => {
    it('refuses a shop connected to another merchant', async () => {
      seed({ merchantId: 'merchant-2' });
      await expect(t.sut.saveGrant('merchant-1', 'kuaishou', grant())).rejects.toMatchObject({
        code: 'SHOP_TAKEN',
        kind: 'conflict',
      });
      expect(rows.get('conn-1')!.merchantId).toBe('merchant-2');
    });

    it('lets a merchant take over a shop another merchant unbound', async () => {
      seed({ merchantId: 'merchant-2', status: 'unbound' });
      const saved = await t.sut.saveGrant('merchant-1', 'kuaishou', grant());
      expect(saved).toMatchObject({ id: 'conn-1', merchantId: 'merchant-1', status: 'active' });
    });

    it('re-authorizes a connection: active again, a new grant lifetime, the re-auth failure resolved', async () => {
      seed({ status: 'needs_reauth', failureCount: 3, reauthDueAt: T0 + 1, firstGrantedAt: T0 - 1_000 });
      const saved = await t.sut.saveGrant('merchant-1', 'kuaishou', grant());
      expect(saved).toMatchObject({
        status: 'active',
        statusReason: null,
        failureCount: 0,
        reauthDueAt: null,
        firstGrantedAt: T0,
      });
      expect(announced()).toEqual([
        expect.objectContaining({ previousStatus: 'needs_reauth', reason: 'merchant re-authorized' }),
      ]);
      expect(failures.resolveByDedupeKey).toHaveBeenCalledWith('accounts:reauth:conn-1', 'merchant authorized again');
    });

    it('creates a new connection and pairs it with the merchant’s one unpaired shop on the other platform', async () => {
      seed({ id: 'conn-yz', platform: 'youzan', shopId: 'yz-1' });
      const saved = await t.sut.saveGrant('merchant-1', 'kuaishou', grant({ shopId: 'ks-9' }));
      expect(saved).toMatchObject({ id: 'id-1', platform: 'kuaishou', shopId: 'ks-9', status: 'active' });
      expect(announced()).toEqual([
        expect.objectContaining({ previousStatus: undefined, reason: 'merchant connected the shop' }),
      ]);
      expect([...pairRows.values()]).toEqual([
        expect.objectContaining({ kuaishouConnectionId: 'id-1', youzanConnectionId: 'conn-yz', status: 'active' }),
      ]);
    });

    it('pairs nothing when the other platform has two candidate shops', async () => {
      seed({ id: 'conn-yz', platform: 'youzan', shopId: 'yz-1' });
      seed({ id: 'conn-yz2', platform: 'youzan', shopId: 'yz-2' });
      await t.sut.saveGrant('merchant-1', 'kuaishou', grant({ shopId: 'ks-9' }));
      expect(pairRows.size).toBe(0);
    });
  });

  describe('flagReauthDue', () => {
    it('flags an active connection once and announces the due date', async () => {
      seed();
      await t.sut.flagReauthDue('conn-1', T0 + 5);
      await t.sut.flagReauthDue('conn-1', T0 + 9);
      expect(rows.get('conn-1')!.reauthDueAt).toBe(T0 + 5);
      expect(announced()).toEqual([expect.objectContaining({ reauthDueAt: T0 + 5, status: 'active' })]);
    });

    it('does not flag a connection that is out of service', async () => {
      seed({ status: 'needs_reauth' });
      await t.sut.flagReauthDue('conn-1', T0 + 5);
      expect(rows.get('conn-1')!.reauthDueAt).toBeNull();
    });
  });

  describe('unbind', () => {
    it('wipes the tokens and unbinds the active pair', async () => {
      seed({ id: 'conn-ks' });
      pairRows.set('pair-1', factory.storePair());
      const c = await t.sut.unbind('merchant-1', 'conn-ks');
      expect(c).toMatchObject({ status: 'unbound', accessTokenEnc: null, refreshTokenEnc: null });
      expect(pairRows.get('pair-1')!.status).toBe('unbound');
    });

    it('hides another merchant’s connection', async () => {
      seed({ merchantId: 'merchant-2' });
      await expect(t.sut.unbind('merchant-1', 'conn-1')).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
      expect(rows.get('conn-1')!.status).toBe('active');
    });
  });

  describe('pair', () => {
    beforeEach(() => {
      seed({ id: 'conn-ks', platform: 'kuaishou', shopId: 'ks-1' });
      seed({ id: 'conn-yz', platform: 'youzan', shopId: 'yz-1' });
    });

    it('links a Kuaishou and a Youzan shop of the merchant', async () => {
      expect(await t.sut.pair('merchant-1', 'conn-ks', 'conn-yz')).toMatchObject({
        kuaishouConnectionId: 'conn-ks',
        youzanConnectionId: 'conn-yz',
        status: 'active',
      });
    });

    it('refuses the platforms swapped, an unbound shop, and a shop already paired elsewhere', async () => {
      await expect(t.sut.pair('merchant-1', 'conn-yz', 'conn-ks')).rejects.toMatchObject({
        code: 'CONNECTION_NOT_FOUND',
      });
      rows.get('conn-yz')!.status = 'unbound';
      await expect(t.sut.pair('merchant-1', 'conn-ks', 'conn-yz')).rejects.toMatchObject({
        code: 'CONNECTION_UNBOUND',
      });
      rows.get('conn-yz')!.status = 'active';
      pairRows.set('pair-0', factory.storePair({ id: 'pair-0', youzanConnectionId: 'conn-yz-other' }));
      await expect(t.sut.pair('merchant-1', 'conn-ks', 'conn-yz')).rejects.toMatchObject({
        code: 'SHOP_ALREADY_PAIRED',
      });
    });
  });
});
