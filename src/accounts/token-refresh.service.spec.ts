import type { Mocked } from '@suites/unit';
import { AppConfig } from '@app/config/app-config';
import { NamedLock } from '@app/database/named-lock';
import { OAUTH_CLIENTS, TokenGrant } from '@app/platforms/ports/accounts.port';
import { PlatformError } from '@app/platforms/platform-error';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { unitConfig } from '@test/support/unit/unit-config';
import { ConnectionsService } from './connections.service';
import { ShopConnectionEntity } from './shop-connection.entity';
import { ShopConnectionRepository } from './shop-connection.repository';
import { REFRESH_MARGIN_MS, TokenRefreshService } from './token-refresh.service';
import { TokenVault } from './token-vault';

const grant = (accessToken: string): TokenGrant => ({
  shopId: 'shop-1',
  accessToken,
  accessTokenExpiresAt: T0 + 86_400_000,
  refreshToken: 'r2',
  scopes: [],
});

describe(TokenRefreshService.name, () => {
  let t: TestService<TokenRefreshService>;
  let vault: TokenVault;
  let repo: Mocked<ShopConnectionRepository>;
  let connections: Mocked<ConnectionsService>;
  let oauth: { kuaishou: { refresh: jest.Mock }; youzan: { refresh: jest.Mock; silentGrant: jest.Mock } };
  let release: jest.Mock;
  let tryAcquire: jest.SpyInstance;
  let row: ShopConnectionEntity;

  beforeEach(async () => {
    vault = new TokenVault(unitConfig() as AppConfig);
    oauth = { kuaishou: { refresh: jest.fn() }, youzan: { refresh: jest.fn(), silentGrant: jest.fn() } };
    t = await newTestService(TokenRefreshService, {
      provide: [
        [TokenVault, vault],
        [OAUTH_CLIENTS, oauth],
      ],
    });
    repo = t.mocks.get(ShopConnectionRepository);
    connections = t.mocks.get(ConnectionsService);
    release = jest.fn().mockResolvedValue(undefined);
    tryAcquire = jest.spyOn(NamedLock, 'tryAcquire').mockResolvedValue({ release } as unknown as NamedLock);
    repo.findById.mockImplementation(async () => row);
    row = connection({});
  });

  afterEach(() => jest.restoreAllMocks());

  function connection(
    overrides: Partial<ShopConnectionEntity>,
    tokens: { accessToken: string; refreshToken?: string } = { accessToken: 'a1', refreshToken: 'r1' },
  ) {
    const c = factory.connection(overrides);
    vault.seal(c, tokens);
    return c;
  }

  it('returns the stored token while it is fresh, without asking the platform', async () => {
    expect(await t.sut.refresh('conn-1')).toBe('a1');
    expect(oauth.kuaishou.refresh).not.toHaveBeenCalled();
    expect(release).toHaveBeenCalled();
  });

  it('refreshes a token within a minute of its expiry and stores the new grant', async () => {
    row = connection({ accessTokenExpiresAt: T0 + 59_000 });
    oauth.kuaishou.refresh.mockResolvedValue(grant('a2'));
    expect(await t.sut.refresh('conn-1')).toBe('a2');
    expect(oauth.kuaishou.refresh).toHaveBeenCalledWith('r1');
    expect(connections.saveRefreshed).toHaveBeenCalledWith('conn-1', grant('a2'));
  });

  it('refreshes ahead by the margin a scheduled refresh asks for', async () => {
    row = connection({ accessTokenExpiresAt: T0 + REFRESH_MARGIN_MS - 1 });
    oauth.kuaishou.refresh.mockResolvedValue(grant('a2'));
    expect(await t.sut.refresh('conn-1', { marginMs: REFRESH_MARGIN_MS })).toBe('a2');
  });

  it('refreshes when forced, and when the platform rejected the token that is still stored', async () => {
    oauth.kuaishou.refresh.mockResolvedValue(grant('a2'));
    expect(await t.sut.refresh('conn-1', { force: true })).toBe('a2');
    expect(await t.sut.refresh('conn-1', { rejectedToken: 'a1' })).toBe('a2');
    expect(oauth.kuaishou.refresh).toHaveBeenCalledTimes(2);
  });

  it('hands out the stored token when the rejected one was already replaced by another worker', async () => {
    expect(await t.sut.refresh('conn-1', { rejectedToken: 'a0' })).toBe('a1');
    expect(oauth.kuaishou.refresh).not.toHaveBeenCalled();
  });

  it('shares one in-flight refresh between concurrent callers', async () => {
    row = connection({ accessTokenExpiresAt: T0 });
    let answer!: (g: TokenGrant) => void;
    oauth.kuaishou.refresh.mockReturnValue(new Promise<TokenGrant>((resolve) => (answer = resolve)));
    const first = t.sut.refresh('conn-1');
    const second = t.sut.refresh('conn-1');
    await new Promise((resolve) => setImmediate(resolve));
    answer(grant('a2'));
    expect(await Promise.all([first, second])).toEqual(['a2', 'a2']);
    expect(oauth.kuaishou.refresh).toHaveBeenCalledTimes(1);
  });

  it('says the connection is unavailable, without a refresh, when it is out of service', async () => {
    row = connection({ status: 'needs_reauth' });
    await expect(t.sut.refresh('conn-1')).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
    expect(oauth.kuaishou.refresh).not.toHaveBeenCalled();
    expect(release).toHaveBeenCalled();
  });

  it('answers TEMPORARY when another instance holds the refresh lock', async () => {
    tryAcquire.mockResolvedValue(undefined);
    await expect(t.sut.refresh('conn-1', { force: true })).rejects.toMatchObject({ code: 'TEMPORARY' });
    expect(oauth.kuaishou.refresh).not.toHaveBeenCalled();
  });

  it('fails for an unknown connection', async () => {
    repo.findById.mockResolvedValue(null);
    await expect(t.sut.refresh('nope')).rejects.toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
  });

  describe('when the refresh cannot succeed', () => {
    it('asks for re-authorization once the refresh token has expired, without calling the platform', async () => {
      row = connection({ accessTokenExpiresAt: T0, refreshTokenExpiresAt: T0 });
      await expect(t.sut.refresh('conn-1')).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
      expect(oauth.kuaishou.refresh).not.toHaveBeenCalled();
      expect(connections.markNeedsReauth).toHaveBeenCalledWith(
        'conn-1',
        expect.stringContaining('refresh token has expired'),
        expect.any(PlatformError),
      );
    });

    it('asks for re-authorization when no refresh token is stored and the platform has no silent grant', async () => {
      row = connection({ accessTokenExpiresAt: T0 }, { accessToken: 'a1' });
      await expect(t.sut.refresh('conn-1')).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
      expect(connections.markNeedsReauth).toHaveBeenCalled();
    });

    it.each(['AUTH_REVOKED', 'AUTH_EXPIRED', 'INVALID_REQUEST', 'INSUFFICIENT_SCOPE'] as const)(
      'asks for re-authorization when the platform answers %s',
      async (code) => {
        row = connection({ accessTokenExpiresAt: T0 });
        oauth.kuaishou.refresh.mockRejectedValue(factory.platformError({ code, rawMessage: 'refresh_token invalid' }));
        await expect(t.sut.refresh('conn-1')).rejects.toMatchObject({ code });
        expect(connections.markNeedsReauth).toHaveBeenCalledWith(
          'conn-1',
          'refresh_token invalid',
          expect.objectContaining({ code }),
        );
        expect(connections.recordRefreshFailure).not.toHaveBeenCalled();
      },
    );

    it.each(['TEMPORARY', 'RATE_LIMITED', 'UNKNOWN'] as const)(
      'records a %s failure for the next scheduled refresh and keeps the connection',
      async (code) => {
        row = connection({ accessTokenExpiresAt: T0 });
        oauth.kuaishou.refresh.mockRejectedValue(factory.platformError({ code }));
        await expect(t.sut.refresh('conn-1')).rejects.toMatchObject({ code });
        expect(connections.recordRefreshFailure).toHaveBeenCalledWith('conn-1', expect.objectContaining({ code }));
        expect(connections.markNeedsReauth).not.toHaveBeenCalled();
      },
    );

    it('treats an error that is not a platform error as UNKNOWN', async () => {
      row = connection({ accessTokenExpiresAt: T0 });
      oauth.kuaishou.refresh.mockRejectedValue(new Error('socket hang up'));
      await expect(t.sut.refresh('conn-1')).rejects.toMatchObject({ code: 'UNKNOWN', message: 'socket hang up' });
      expect(connections.recordRefreshFailure).toHaveBeenCalled();
      expect(release).toHaveBeenCalled();
    });
  });

  it('uses the silent grant of a platform that has one when no refresh token is stored', async () => {
    row = connection({ platform: 'youzan', accessTokenExpiresAt: T0 }, { accessToken: 'a1' });
    oauth.youzan.silentGrant.mockResolvedValue(grant('a2'));
    expect(await t.sut.refresh('conn-1')).toBe('a2');
    expect(oauth.youzan.silentGrant).toHaveBeenCalledWith('shop-1');
    expect(oauth.youzan.refresh).not.toHaveBeenCalled();
  });
});
