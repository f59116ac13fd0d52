import axios from 'axios';
import { PlatformError } from '@app/platforms/platform-error';
import { KuaishouOAuthClient } from '@app/platforms/kuaishou/kuaishou-oauth.client';
import {
  approveInBrowser,
  KuaishouHarness,
  rawGatewayCall,
  REDIRECT_URI,
  seedItem,
  startKuaishouHarness,
} from './kuaishou.harness';

const HOUR = 3_600_000;

describe('Kuaishou OAuth against the emulator', () => {
  let h: KuaishouHarness;
  beforeEach(async () => {
    h = await startKuaishouHarness();
  });
  afterEach(() => h.stop());

  describe('authorize page', () => {
    it('lists the shops with clickable approve and deny buttons', async () => {
      const url = h.oauth.authorizeUrl({ state: 's1', redirectUri: REDIRECT_URI });
      expect(new URL(url).searchParams.get('scope')).toBe(h.config.scopes.join(','));
      const page = await axios.get<string>(url, { responseType: 'text' });
      expect(page.data).toContain(`data-testid="ks-shop-${h.shop.shopId}"`);
      expect(page.data).toContain('data-testid="ks-authorize-approve"');
      expect(page.data).toContain('data-testid="ks-authorize-deny"');
    });

    it('redirects an approval with a code and the state', async () => {
      const redirect = await approveInBrowser(
        h.emulator.url,
        h.oauth.authorizeUrl({ state: 'st-42', redirectUri: REDIRECT_URI }),
        h.shop.shopId,
      );
      expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
      expect(redirect.searchParams.get('state')).toBe('st-42');
      expect(redirect.searchParams.get('code')).toMatch(/^[0-9a-f]{32}$/);
    });

    it('redirects a refusal with error=access_denied and the state', async () => {
      const redirect = await approveInBrowser(
        h.emulator.url,
        h.oauth.authorizeUrl({ state: 'st-43', redirectUri: REDIRECT_URI }),
        h.shop.shopId,
        'deny',
      );
      expect(redirect.searchParams.get('error')).toBe('access_denied');
      expect(redirect.searchParams.get('state')).toBe('st-43');
      expect(redirect.searchParams.has('code')).toBe(false);
    });

    it('refuses a redirect_uri that is not http(s) and an unknown app', async () => {
      const bad = await axios.get<string>(h.oauth.authorizeUrl({ state: 's', redirectUri: 'javascript:alert(1)' }), {
        validateStatus: () => true,
      });
      expect(bad.status).toBe(400);
      expect(bad.data).toContain('Invalid url');
      const otherApp = await axios.get<string>(
        `${h.emulator.url}/oauth/authorize?app_id=ks_other&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=merchant_item&response_type=code`,
        { validateStatus: () => true },
      );
      expect(otherApp.status).toBe(400);
    });
  });

  describe('code exchange', () => {
    it('returns a grant for the shop with its scopes, lifetimes and name', async () => {
      const redirect = await approveInBrowser(
        h.emulator.url,
        h.oauth.authorizeUrl({ state: 's', redirectUri: REDIRECT_URI }),
        h.shop.shopId,
      );
      const before = Date.now();
      const grant = await h.oauth.exchangeCode({
        code: redirect.searchParams.get('code') ?? '',
        redirectUri: REDIRECT_URI,
      });
      expect(grant.shopId).toBe(h.shop.shopId);
      expect(grant.scopes).toEqual(h.config.scopes);
      expect(grant.accessToken.startsWith('ChFvYXV0aC5hY2Nlc3NUb2tlbh')).toBe(true);
      expect(grant.accessTokenExpiresAt - before).toBeGreaterThanOrEqual(172_800_000 - 1_000);
      expect(grant.accessTokenExpiresAt - before).toBeLessThanOrEqual(172_800_000 + 1_000);
      expect(grant.refreshTokenExpiresAt! - before).toBeGreaterThan(179 * 24 * HOUR);
      expect(grant.shopName).toBe('快手测试小店1');
    });

    it('accepts a code once only', async () => {
      const redirect = await approveInBrowser(
        h.emulator.url,
        h.oauth.authorizeUrl({ state: 's', redirectUri: REDIRECT_URI }),
        h.shop.shopId,
      );
      const code = redirect.searchParams.get('code') ?? '';
      await h.oauth.exchangeCode({ code, redirectUri: REDIRECT_URI });
      await expect(h.oauth.exchangeCode({ code, redirectUri: REDIRECT_URI })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        rawCode: '100200105',
      });
    });

    it('lets a code expire after 2 minutes on the emulator clock', async () => {
      const redirect = await approveInBrowser(
        h.emulator.url,
        h.oauth.authorizeUrl({ state: 's', redirectUri: REDIRECT_URI }),
        h.shop.shopId,
      );
      await h.control.advanceClock(121_000);
      await expect(
        h.oauth.exchangeCode({ code: redirect.searchParams.get('code') ?? '', redirectUri: REDIRECT_URI }),
      ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    });
  });

  describe('expiry and refresh', () => {
    it('refreshes an expired access token and retries the call transparently', async () => {
      const { itemId } = await seedItem(h);
      const oldToken = h.tokens.grant(h.shop).accessToken;
      await h.control.advanceClock(48 * HOUR + 1_000);
      const expired = await rawGatewayCall(h, { api: 'open.item.category', accessToken: oldToken });
      expect(expired.body).toMatchObject({ result: 27, error_msg: '鉴权失败:TOKEN过期' });

      const item = await h.channels.catalog.getItem(h.shop, itemId);
      expect(item.itemId).toBe(itemId);
      expect(h.tokens.refreshes).toBe(1);
      expect(h.tokens.grant(h.shop).accessToken).not.toBe(oldToken);
      const counters = await h.control.counters();
      expect(counters.calls['oauth2.refresh_token']).toBe(1);
      expect(counters.rejected.token_expired).toBe(2);
    });

    it('rotates the refresh token, keeps the old one for the grace window, then answers refreshToken.discarded', async () => {
      const oauth = new KuaishouOAuthClient(h.config, h.gateway, { clock: h.emulator.clock });
      const first = h.tokens.grant(h.shop);
      const second = await oauth.refresh(first.refreshToken ?? '');
      expect(second.refreshToken).not.toBe(first.refreshToken);
      await h.control.advanceClock(4 * 60_000);
      const withinGrace = await oauth.refresh(first.refreshToken ?? '');
      expect(withinGrace.accessToken).toBeTruthy();

      await h.control.advanceClock(60_000 + 1);
      const error = (await oauth.refresh(first.refreshToken ?? '').catch((e: unknown) => e)) as PlatformError;
      expect(error).toMatchObject({
        code: 'AUTH_REVOKED',
        rawCode: '100200102',
        rawMessage: 'access_denied: refreshToken.discarded',
      });

      // The newest token still works, both access tokens stay valid, and the 180-day cap never moves.
      const third = await oauth.refresh(second.refreshToken ?? '');
      expect(
        (await rawGatewayCall(h, { api: 'open.item.category', accessToken: second.accessToken })).body.result,
      ).toBe(1);
      expect((await rawGatewayCall(h, { api: 'open.item.category', accessToken: third.accessToken })).body.result).toBe(
        1,
      );
      expect(Math.abs(third.refreshTokenExpiresAt! - second.refreshTokenExpiresAt!)).toBeLessThan(2_000);
    });

    it('reports AUTH_REVOKED on refresh and on calls once the merchant revokes the app', async () => {
      await h.control.revokeShop(h.shop.shopId);
      await expect(h.oauth.refresh(h.tokens.grant(h.shop).refreshToken ?? '')).rejects.toMatchObject({
        code: 'AUTH_REVOKED',
        rawMessage: 'access_denied: refreshToken.revokedAuthorization',
      });
      await expect(h.channels.catalog.getCategories(h.shop)).rejects.toMatchObject({ code: 'AUTH_REVOKED' });
      expect(h.tokens.refreshes).toBe(0);
    });

    it('asks the merchant to authorize again after the refresh token’s 180 days', async () => {
      await h.control.advanceClock(180 * 24 * HOUR + 1_000);
      await expect(h.channels.catalog.getCategories(h.shop)).rejects.toMatchObject({
        code: 'AUTH_REVOKED',
        rawMessage: 'access_denied: invalid refresh_token',
      });
    });
  });
});
