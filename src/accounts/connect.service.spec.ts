import type { Mocked } from '@suites/unit';
import { AppConfigShape } from '@app/config/app-config';
import { OAUTH_CLIENTS, TokenGrant } from '@app/platforms/ports/accounts.port';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { unitConfig } from '@test/support/unit/unit-config';
import { CallbackQuery, ConnectService, STATE_TTL_MS } from './connect.service';
import { ConnectionsService } from './connections.service';
import { OAuthStateEntity } from './oauth-state.entity';
import { OAuthStateRepository } from './oauth-state.repository';

const grant = (scopes = ['item', 'order']): TokenGrant => ({
  shopId: 'shop-1',
  accessToken: 'a',
  accessTokenExpiresAt: T0 + 3_600_000,
  scopes,
});
const client = () => ({
  requiredScopes: ['item', 'order'],
  authorizeUrl: jest.fn(({ state }: { state: string }) => `https://auth.test/?state=${state}`),
  exchangeCode: jest.fn(),
  silentGrant: jest.fn(),
});

describe(ConnectService.name, () => {
  let t: TestService<ConnectService>;
  let oauth: { kuaishou: ReturnType<typeof client>; youzan: ReturnType<typeof client> };
  let connections: Mocked<ConnectionsService>;
  let states: Map<string, OAuthStateEntity>;
  const browser = { sessionHash: 'session-a', merchantId: 'merchant-1' };

  async function setup(config: AppConfigShape = unitConfig()) {
    oauth = { kuaishou: client(), youzan: client() };
    t = await newTestService(ConnectService, { config, provide: [[OAUTH_CLIENTS, oauth]] });
    connections = t.mocks.get(ConnectionsService);
    connections.saveGrant.mockImplementation(async (merchantId, platform) =>
      factory.connection({ merchantId, platform }),
    );
    const repo = t.mocks.get(OAuthStateRepository);
    states = new Map();
    repo.insert.mockImplementation(async (s) => void states.set(s.state, { ...s }));
    repo.findByState.mockImplementation(async (s) => states.get(s) ?? null);
    repo.consume.mockImplementation(async (s, now) => {
      const found = states.get(s);
      if (!found || found.usedAt !== null || found.expiresAt <= now) return null;
      found.usedAt = now;
      return { ...found };
    });
  }

  beforeEach(() => setup());

  /** Starts a flow in `browser` and answers the state the platform would echo back. */
  async function started(platform: 'kuaishou' | 'youzan' = 'kuaishou'): Promise<string> {
    const start = await t.sut.start('merchant-1', platform, browser.sessionHash);
    if (start.kind !== 'redirect') throw new Error('expected a redirect');
    return new URL(start.url).searchParams.get('state')!;
  }
  const complete = (query: CallbackQuery, session: typeof browser | undefined = browser) =>
    t.sut.complete('kuaishou', query, session);

  it('connects the shop when the callback comes back to the browser that started it', async () => {
    const state = await started();
    oauth.kuaishou.exchangeCode.mockResolvedValue(grant());
    await complete({ state, code: 'c1' });
    expect(oauth.kuaishou.exchangeCode).toHaveBeenCalledWith({
      code: 'c1',
      redirectUri: t.sut.callbackUrl('kuaishou'),
    });
    expect(connections.saveGrant).toHaveBeenCalledWith('merchant-1', 'kuaishou', grant());
    expect(states.get(state)).toMatchObject({ expiresAt: T0 + STATE_TTL_MS, usedAt: T0 });
  });

  it('refuses a callback from another browser or account without using the state up', async () => {
    const state = await started();
    await expect(
      complete({ state, code: 'c' }, { sessionHash: 'session-b', merchantId: 'merchant-1' }),
    ).rejects.toMatchObject({ code: 'STATE_OTHER_SESSION' });
    await expect(complete({ state, code: 'c' }, { ...browser, merchantId: 'merchant-2' })).rejects.toMatchObject({
      code: 'STATE_OTHER_SESSION',
    });
    await expect(t.sut.complete('kuaishou', { state, code: 'c' }, undefined)).rejects.toMatchObject({
      code: 'STATE_OTHER_SESSION',
    });
    expect(states.get(state)!.usedAt).toBeNull();
    oauth.kuaishou.exchangeCode.mockResolvedValue(grant());
    await expect(complete({ state, code: 'c' })).resolves.toBeDefined();
  });

  it.each([
    ['no state', async () => ({ code: 'c' }), 'STATE_MISSING'],
    ['a state never issued', async () => ({ state: 'made-up', code: 'c' }), 'STATE_UNKNOWN'],
  ])('refuses a callback with %s', async (_what, query, code) => {
    await expect(complete(await query())).rejects.toMatchObject({ code });
  });

  it('tells a reused state from an expired one', async () => {
    const state = await started();
    oauth.kuaishou.exchangeCode.mockResolvedValue(grant());
    await complete({ state, code: 'c' });
    await expect(complete({ state, code: 'c' })).rejects.toMatchObject({ code: 'STATE_REUSED' });
    const late = await started();
    t.clock.advance(STATE_TTL_MS);
    await expect(complete({ state: late, code: 'c' })).rejects.toMatchObject({ code: 'STATE_EXPIRED' });
    expect(connections.saveGrant).toHaveBeenCalledTimes(1);
  });

  it('refuses a state of the other platform', async () => {
    const state = await started('youzan');
    await expect(complete({ state, code: 'c' })).rejects.toMatchObject({ code: 'STATE_WRONG_PLATFORM' });
  });

  it('stores nothing when the merchant denied the grant, the code is missing or rejected', async () => {
    await expect(complete({ state: await started(), error: 'access_denied' })).rejects.toMatchObject({
      code: 'GRANT_DENIED',
    });
    await expect(complete({ state: await started() })).rejects.toMatchObject({ code: 'CODE_MISSING' });
    oauth.kuaishou.exchangeCode.mockRejectedValue(
      factory.platformError({ code: 'INVALID_REQUEST', rawMessage: 'code used' }),
    );
    await expect(complete({ state: await started(), code: 'c' })).rejects.toMatchObject({
      code: 'CODE_REJECTED',
      message: expect.stringContaining('code used'),
    });
    expect(connections.saveGrant).not.toHaveBeenCalled();
  });

  it('refuses a grant missing a permission the service needs, naming it', async () => {
    oauth.kuaishou.exchangeCode.mockResolvedValue(grant(['item']));
    await expect(complete({ state: await started(), code: 'c' })).rejects.toMatchObject({
      code: 'SCOPES_MISSING',
      message: expect.stringContaining(': order.'),
    });
    expect(connections.saveGrant).not.toHaveBeenCalled();
  });

  describe('Youzan silent grants', () => {
    const silent = (): AppConfigShape => {
      const config = structuredClone(unitConfig());
      config.platforms.youzan.authorizeType = 'silent';
      return config;
    };

    it('asks for the shop id instead of redirecting, and connects with the silent grant', async () => {
      await setup(silent());
      expect(await t.sut.start('merchant-1', 'youzan', 's')).toEqual({ kind: 'silent-form', merchantId: 'merchant-1' });
      oauth.youzan.silentGrant.mockResolvedValue(grant());
      await t.sut.connectSilently('merchant-1', 'kdt-1');
      expect(oauth.youzan.silentGrant).toHaveBeenCalledWith('kdt-1');
      expect(connections.saveGrant).toHaveBeenCalledWith('merchant-1', 'youzan', grant());
    });

    it('is refused when Youzan is configured for authorization codes', async () => {
      await expect(t.sut.connectSilently('merchant-1', 'kdt-1')).rejects.toMatchObject({ code: 'MODE_UNSUPPORTED' });
      expect(oauth.youzan.silentGrant).not.toHaveBeenCalled();
    });
  });
});
