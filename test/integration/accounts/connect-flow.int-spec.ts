import { Db } from '@app/database/db';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { OAuthStateEntity } from '@app/accounts/oauth-state.entity';
import { asSession, createTestUser } from '@test/support/access';
import {
  connectInBrowser,
  createMerchant,
  newShops,
  ownerOf,
  parseAuthorizeForm,
  Stack,
  startStack,
} from '@test/support/sandbox-stack';

const api = (merchantId: string) => ({ headers: { authorization: ownerOf(merchantId).bearer } });
const browser = (merchantId: string) => ({ headers: { cookie: ownerOf(merchantId).cookie } });

describe('connecting shops in a browser', () => {
  let stack: Stack;
  let db: Db;

  beforeAll(async () => {
    stack = await startStack({ label: 'connect' });
    db = stack.t.app.get(Db);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const connections = (merchantId: string) => db.dataSource.manager.findBy(ShopConnectionEntity, { merchantId });

  it.each(['kuaishou', 'youzan'] as const)(
    'connects a %s shop: redirect, approve, callback, connected',
    async (platform) => {
      const merchantId = await createMerchant(stack.url);
      const shops = await newShops(stack);
      const result = await connectInBrowser(stack.url, merchantId, platform, { shop: shops[platform] });
      expect(result.status).toBe(200);
      expect(result.html).toContain('shop connected');

      const [connection] = await connections(merchantId);
      expect(connection).toMatchObject({ platform, status: 'active', shopId: shops[platform] });
      expect(connection.accessTokenExpiresAt).toBeGreaterThan(Date.now());

      const listed = (await (
        await fetch(`${stack.url}/api/merchants/${merchantId}/connections`, api(merchantId))
      ).json()) as Record<string, unknown>[];
      expect(listed).toEqual([expect.objectContaining({ platform, status: 'active', shopId: connection.shopId })]);
      expect(Object.keys(listed[0])).not.toEqual(
        expect.arrayContaining(['accessToken', 'refreshToken', 'accessTokenEnc', 'refreshTokenEnc']),
      );
    },
  );

  it('pairs the two shops of a merchant once both are connected', async () => {
    const merchantId = await createMerchant(stack.url);
    const shops = await newShops(stack);
    await connectInBrowser(stack.url, merchantId, 'kuaishou', { shop: shops.kuaishou });
    await connectInBrowser(stack.url, merchantId, 'youzan', { shop: shops.youzan });
    const overview = (await (await fetch(`${stack.url}/api/merchants/${merchantId}`, api(merchantId))).json()) as {
      pairs: { status: string }[];
      connections: { id: string }[];
    };
    expect(overview.pairs).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('stores nothing when the merchant denies the grant', async () => {
    const merchantId = await createMerchant(stack.url);
    const result = await connectInBrowser(stack.url, merchantId, 'kuaishou', {
      decision: 'deny',
      shop: (await newShops(stack)).kuaishou,
    });
    expect(result.status).toBe(400);
    expect(result.html).toContain('was not granted');
    expect(await connections(merchantId)).toEqual([]);
  });

  it('refuses a callback whose state we never issued', async () => {
    const res = await fetch(`${stack.url}/connect/kuaishou/callback?code=abc&state=forged-state-value`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('not one we asked for');
  });

  it('refuses a replayed callback (state already used) and keeps the first connection as is', async () => {
    const merchantId = await createMerchant(stack.url);
    const first = await connectInBrowser(stack.url, merchantId, 'youzan', { shop: (await newShops(stack)).youzan });
    expect(first.status).toBe(200);
    const before = await connections(merchantId);
    const replay = await fetch(first.callbackUrl!, browser(merchantId));
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    expect(await connections(merchantId)).toEqual(before);
  });

  it('refuses an authorization code that was already exchanged, even with a fresh state', async () => {
    const merchantId = await createMerchant(stack.url);
    const first = await connectInBrowser(stack.url, merchantId, 'kuaishou', { shop: (await newShops(stack)).kuaishou });
    const usedCode = new URL(first.callbackUrl!).searchParams.get('code')!;
    const other = await createMerchant(stack.url);
    const start = await fetch(`${stack.url}/connect/kuaishou?merchantId=${other}`, {
      redirect: 'manual',
      ...browser(other),
    });
    const freshState = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await fetch(
      `${stack.url}/connect/kuaishou/callback?code=${usedCode}&state=${freshState}`,
      browser(other),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('did not accept the authorization code');
    expect(await connections(other)).toEqual([]);
  });

  it('binds each state to its platform and expires it', async () => {
    const merchantId = await createMerchant(stack.url);
    const start = await fetch(`${stack.url}/connect/kuaishou?merchantId=${merchantId}`, {
      redirect: 'manual',
      ...browser(merchantId),
    });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const wrongPlatform = await fetch(
      `${stack.url}/connect/youzan/callback?code=x&state=${state}`,
      browser(merchantId),
    );
    expect(wrongPlatform.status).toBe(400);

    const again = await fetch(`${stack.url}/connect/kuaishou?merchantId=${merchantId}`, {
      redirect: 'manual',
      ...browser(merchantId),
    });
    const stale = new URL(again.headers.get('location')!).searchParams.get('state')!;
    await db.dataSource.manager.update(OAuthStateEntity, { state: stale }, { expiresAt: Date.now() - 1 });
    const expired = await fetch(`${stack.url}/connect/kuaishou/callback?code=x&state=${stale}`, browser(merchantId));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('expired');
  });

  it('refuses to start a connect for another merchant, and sends an anonymous visitor to sign in', async () => {
    const merchantId = await createMerchant(stack.url);
    const other = await createMerchant(stack.url);
    expect(
      (await fetch(`${stack.url}/connect/kuaishou?merchantId=${other}`, { redirect: 'manual', ...browser(merchantId) }))
        .status,
    ).toBe(403);
    const anonymous = await fetch(`${stack.url}/connect/kuaishou?merchantId=${merchantId}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/sign-in\?next=/);
  });

  describe('a connect link approved somewhere else stores nothing', () => {
    it.each(['kuaishou', 'youzan'] as const)(
      '%s: started by merchant A, approved in another browser (not signed in)',
      async (platform) => {
        const merchantA = await createMerchant(stack.url, 'Sender');
        const shops = await newShops(stack);
        const result = await connectInBrowser(stack.url, merchantA, platform, {
          shop: shops[platform],
          callbackCookie: undefined,
        });
        expect(result.status).toBe(400);
        expect(result.html).toContain('started in another browser or by another account');
        expect(await connections(merchantA)).toEqual([]);
        expect(await db.dataSource.manager.countBy(ShopConnectionEntity, { shopId: shops[platform] })).toBe(0);
        // The state is not spent: the sender's own flow is not spoiled by the stray answer.
        const state = new URL(result.callbackUrl!).searchParams.get('state')!;
        expect((await db.dataSource.manager.findOneByOrFail(OAuthStateEntity, { state })).usedAt).toBeNull();
      },
    );

    it('started by merchant A, approved in the signed-in browser of merchant B', async () => {
      const merchantA = await createMerchant(stack.url, 'Sender');
      const merchantB = await createMerchant(stack.url, 'Victim');
      const shops = await newShops(stack);
      const result = await connectInBrowser(stack.url, merchantA, 'kuaishou', {
        shop: shops.kuaishou,
        callbackCookie: ownerOf(merchantB).cookie,
      });
      expect(result.status).toBe(400);
      expect(result.html).toContain('started in another browser or by another account');
      expect(await connections(merchantA)).toEqual([]);
      expect(await connections(merchantB)).toEqual([]);
    });
  });

  it("refreshes only the merchant's own connection: another merchant's answers 404 and is not touched", async () => {
    const merchantA = await createMerchant(stack.url);
    const merchantB = await createMerchant(stack.url);
    await connectInBrowser(stack.url, merchantB, 'kuaishou', { shop: (await newShops(stack)).kuaishou });
    const [bConnection] = await connections(merchantB);
    const res = await fetch(`${stack.url}/api/merchants/${merchantA}/connections/${bConnection.id}/refresh`, {
      method: 'POST',
      ...api(merchantA),
    });
    expect(res.status).toBe(404);
    const after = await db.dataSource.manager.findOneByOrFail(ShopConnectionEntity, { id: bConnection.id });
    expect(after.lastRefreshedAt).toBeNull();
    expect(after.accessTokenEnc).toBe(bConnection.accessTokenEnc);
    const unbind = await fetch(`${stack.url}/api/merchants/${merchantA}/connections/${bConnection.id}`, {
      method: 'DELETE',
      ...api(merchantA),
    });
    expect(unbind.status).toBe(404);
    expect((await db.dataSource.manager.findOneByOrFail(ShopConnectionEntity, { id: bConnection.id })).status).toBe(
      'active',
    );
  });

  it('parses both emulators’ authorize pages as a browser would', () => {
    const form = parseAuthorizeForm(
      'http://x/oauth/authorize',
      '<form method="post" action="/oauth/authorize"><input type="hidden" name="state" value="a&amp;b"><input type="radio" name="open_id" value="s1"></form>',
    );
    expect(form.action).toBe('http://x/oauth/authorize');
    expect(Object.fromEntries(form.fields)).toEqual({ state: 'a&b', open_id: 's1' });
  });
});

describe('connecting with missing permissions', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'scopes' });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('refuses a grant without a permission the service needs, names it, and stores nothing', async () => {
    const merchantId = await createMerchant(stack.url);
    const shops = await newShops(stack);
    // The merchant unticked the promotion permission on the platform's page.
    const result = await connectInBrowser(stack.url, merchantId, 'kuaishou', {
      shop: shops.kuaishou,
      tamper: (fields) =>
        fields.set(
          'scope',
          fields
            .get('scope')!
            .split(',')
            .filter((s) => s !== 'merchant_promotion')
            .join(','),
        ),
    });
    expect(result.status).toBe(400);
    expect(result.html).toContain('merchant_promotion');
    const rows = await stack.t.app.get(Db).dataSource.manager.countBy(ShopConnectionEntity, { merchantId });
    expect(rows).toBe(0);
  });

  it('refuses a shop that another merchant has connected', async () => {
    const shops = await newShops(stack);
    const first = await createMerchant(stack.url);
    expect((await connectInBrowser(stack.url, first, 'youzan', { shop: shops.youzan })).status).toBe(200);
    const second = await createMerchant(stack.url);
    const result = await connectInBrowser(stack.url, second, 'youzan', { shop: shops.youzan });
    expect(result.status).toBe(409);
    expect(result.html).toContain('already connected to another merchant');
  });
});

describe('unbinding and self-built Youzan apps', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'silent', env: { YOUZAN_AUTHORIZE_TYPE: 'silent' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('connects a self-built Youzan app by shop id (authorize_type=silent)', async () => {
    const merchantId = await createMerchant(stack.url);
    const shops = await newShops(stack);
    const form = await fetch(`${stack.url}/connect/youzan?merchantId=${merchantId}`, {
      redirect: 'manual',
      ...browser(merchantId),
    });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('data-testid="kdt-id"');
    // A shop id alone yields a token, so only an admin may connect this way.
    const byOwner = await fetch(`${stack.url}/connect/youzan/silent`, {
      method: 'POST',
      headers: asSession(ownerOf(merchantId)),
      body: new URLSearchParams({ merchantId, kdtId: shops.youzan }),
    });
    expect(byOwner.status).toBe(403);
    const admin = await createTestUser(stack.t.app, 'admin');
    const res = await fetch(`${stack.url}/connect/youzan/silent`, {
      method: 'POST',
      headers: asSession(admin),
      body: new URLSearchParams({ merchantId, kdtId: shops.youzan }),
    });
    expect(res.status).toBe(200);
    const [connection] = (await (
      await fetch(`${stack.url}/api/merchants/${merchantId}/connections`, api(merchantId))
    ).json()) as { shopId: string; status: string }[];
    expect(connection).toMatchObject({ shopId: shops.youzan, status: 'active' });
  });

  it('unbinding stops syncing the shop, keeps its history and wipes the tokens', async () => {
    const merchantId = await createMerchant(stack.url);
    const shops = await newShops(stack);
    await connectInBrowser(stack.url, merchantId, 'kuaishou', { shop: shops.kuaishou });
    await fetch(`${stack.url}/connect/youzan/silent`, {
      method: 'POST',
      headers: asSession(await createTestUser(stack.t.app, 'admin')),
      body: new URLSearchParams({ merchantId, kdtId: shops.youzan }),
    });
    const overview = (await (await fetch(`${stack.url}/api/merchants/${merchantId}`, api(merchantId))).json()) as {
      connections: { id: string; platform: string }[];
      pairs: { status: string }[];
    };
    expect(overview.pairs).toEqual([expect.objectContaining({ status: 'active' })]);
    const ks = overview.connections.find((c) => c.platform === 'kuaishou')!;

    const res = await fetch(`${stack.url}/api/merchants/${merchantId}/connections/${ks.id}`, {
      method: 'DELETE',
      ...api(merchantId),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'unbound' });
    const row = (await stack.t.app.get(Db).dataSource.manager.findOneBy(ShopConnectionEntity, { id: ks.id }))!;
    expect(row).toMatchObject({ status: 'unbound', accessTokenEnc: null, refreshTokenEnc: null });
    const after = (await (await fetch(`${stack.url}/api/merchants/${merchantId}`, api(merchantId))).json()) as {
      pairs: { status: string }[];
    };
    expect(after.pairs).toEqual([expect.objectContaining({ status: 'unbound' })]);
  });
});
