import { ShopRef } from '@app/platforms/ports/platform.types';
import { YouzanOAuthClient } from '@app/platforms/youzan/youzan-oauth.client';
import { createYouzanChannels } from '@app/platforms/youzan/youzan.channels';
import { CLIENT_SECRET, startYouzanHarness, YouzanHarness, failure } from './youzan-harness';

const DAY = 24 * 3600 * 1000;
const REDIRECT = 'https://kwaizan.example/oauth/youzan/callback';

describe('Youzan OAuth against the emulator', () => {
  let h: YouzanHarness;

  beforeAll(async () => {
    h = await startYouzanHarness();
  });
  afterAll(() => h.close());

  /** Renders the authorize page, picks a shop and submits the decision like a browser would. */
  async function decide(decision: 'approve' | 'deny', kdtId?: number): Promise<URL> {
    const url = h.oauth.authorizeUrl({ state: 'st-42', redirectUri: REDIRECT });
    const page = await fetch(url);
    const html = await page.text();
    expect(html).toContain('data-testid="yz-authorize-approve"');
    expect(html).toContain('data-testid="yz-authorize-deny"');
    if (kdtId !== undefined) expect(html).toContain(`data-testid="yz-authorize-shop-${kdtId}"`);
    const form = new URLSearchParams({
      client_id: h.config.clientId,
      redirect_uri: REDIRECT,
      state: 'st-42',
      kdt_id: String(kdtId ?? 'new'),
      decision,
    });
    const res = await fetch(`${h.emulator.url}/oauth/authorize/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') ?? '');
  }

  it('builds the configured authorize URL with client_id, response_type, state and redirect_uri', () => {
    const url = new URL(h.oauth.authorizeUrl({ state: 's', redirectUri: REDIRECT }));
    expect(`${url.origin}${url.pathname}`).toBe(`${h.emulator.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: h.config.clientId,
      response_type: 'code',
      state: 's',
      redirect_uri: REDIRECT,
    });
  });

  it('approve → code + state → exchange gives a grant for that shop; the code works only once', async () => {
    const shop = await h.control.createShop({ name: '授权测试店', authorize: false });
    const redirect = await decide('approve', shop.kdtId);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('st-42');
    const code = redirect.searchParams.get('code') ?? '';
    const now = (await h.control.clock()).now;
    const grant = await h.oauth.exchangeCode({ code, redirectUri: REDIRECT });
    expect(grant.shopId).toBe(String(shop.kdtId));
    expect(grant.accessTokenExpiresAt).toBeGreaterThan(now + 7 * DAY - 5_000);
    expect(grant.refreshToken).toBeTruthy();
    expect(grant.scopes).toEqual(expect.arrayContaining(h.oauth.requiredScopes));

    const reused = await failure(h.oauth.exchangeCode({ code, redirectUri: REDIRECT }));
    expect(reused).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '1005' });
    expect(reused.message).toContain('invalid or reused authorization code');
  });

  it('deny → redirect with error=access_denied and the state', async () => {
    const redirect = await decide('deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('st-42');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('refuses a code older than 2 minutes on the emulator clock', async () => {
    const redirect = await decide('approve');
    await h.control.advanceClock(2 * 60 * 1000 + 1000);
    expect(
      await failure(h.oauth.exchangeCode({ code: redirect.searchParams.get('code') ?? '', redirectUri: REDIRECT })),
    ).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '1005' });
  });

  it('rotates refresh tokens: the new grant works and the old refresh token is dead at once', async () => {
    const redirect = await decide('approve');
    const first = await h.oauth.exchangeCode({ code: redirect.searchParams.get('code') ?? '', redirectUri: REDIRECT });
    const second = await h.oauth.refresh(first.refreshToken ?? '');
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.shopId).toBe(first.shopId);
    expect(await failure(h.oauth.refresh(first.refreshToken ?? ''))).toMatchObject({
      code: 'INVALID_REQUEST',
      rawCode: '1103',
    });
  });

  it('silent grant for a self-built app: a token by kdt_id, with a refresh token when refresh=true', async () => {
    const shop = await h.control.createShop();
    const grant = await h.oauth.silentGrant(String(shop.kdtId));
    expect(grant.shopId).toBe(String(shop.kdtId));
    expect(grant.refreshToken).toBeTruthy();
    const again = await h.oauth.silentGrant(String(shop.kdtId), false);
    expect(again.accessToken).toBe(grant.accessToken);
    expect(again.refreshToken).toBeUndefined();
  });

  it('maps a lapsed authorization to AUTH_REVOKED (1004) on refresh and 4201 wording on API calls', async () => {
    const ref = await h.connectShop();
    await h.control.revokeShop(Number(ref.shopId));
    expect(await failure(h.oauth.refresh(h.tokens.grants.get(ref.connectionId)?.refreshToken ?? ''))).toMatchObject({
      code: 'AUTH_REVOKED',
      rawCode: '1004',
    });
    expect(await failure(h.channels.catalog.getCategories(ref))).toMatchObject({
      code: 'AUTH_REVOKED',
      rawCode: '4201',
    });
  });

  it('refuses the silent flow for a tool app with 1105', async () => {
    const other = await startYouzanHarness({ emulator: { appType: 'tool' } });
    try {
      const shop = await other.control.createShop();
      expect(await failure(other.oauth.silentGrant(String(shop.kdtId)))).toMatchObject({
        code: 'INVALID_REQUEST',
        rawCode: '1105',
      });
    } finally {
      await other.close();
    }
  });

  it('refuses a wrong secret with 1000', async () => {
    const wrong = new YouzanOAuthClient({ ...h.config, clientSecret: `${CLIENT_SECRET}-x` }, h.gateway);
    const shop = await h.control.createShop();
    expect(await failure(wrong.silentGrant(String(shop.kdtId)))).toMatchObject({
      code: 'INVALID_REQUEST',
      rawCode: '1000',
    });
  });

  describe('token expiry during API calls', () => {
    let ref: ShopRef;

    beforeEach(async () => {
      ref = await h.connectShop();
      h.tokens.refreshes = 0;
    });

    it('refreshes once after 4202 and retries the call transparently', async () => {
      const before = h.tokens.grants.get(ref.connectionId)?.accessToken;
      await h.control.advanceClock(8 * DAY);
      const categories = await h.channels.catalog.getCategories(ref);
      expect(categories.length).toBeGreaterThan(20);
      expect(h.tokens.refreshes).toBe(1);
      expect(h.tokens.grants.get(ref.connectionId)?.accessToken).not.toBe(before);
    });

    it('refreshes once for concurrent callers after 4203 (token unknown to the platform)', async () => {
      h.tokens.set(ref.connectionId, {
        ...(h.tokens.grants.get(ref.connectionId) ?? { shopId: ref.shopId, accessTokenExpiresAt: 0, scopes: [] }),
        accessToken: 'deadbeefdeadbeefdeadbeefdeadbeef',
      });
      const results = await Promise.all([1, 2, 3].map(() => h.channels.catalog.getCategories(ref)));
      expect(results.every((r) => r.length > 20)).toBe(true);
      expect(h.tokens.refreshes).toBe(1);
    });

    it('does not loop: a token still rejected after the one refresh is reported as AUTH_EXPIRED', async () => {
      let refreshed = 0;
      const stubborn = {
        accessToken: async () => 'deadbeefdeadbeefdeadbeefdeadbeef',
        refreshAfterExpiry: async () => {
          refreshed++;
          return 'cafebabecafebabecafebabecafebabe';
        },
      };
      const channel = createYouzanChannels(h.config, h.gateway, stubborn);
      await h.control.resetCounters();
      expect(await failure(channel.catalog.getCategories(ref))).toMatchObject({
        code: 'AUTH_EXPIRED',
        rawCode: '4203',
      });
      expect(refreshed).toBe(1);
      expect((await h.control.counters()).calls['youzan.itemcategories.get']).toBe(2);
    });
  });
});
