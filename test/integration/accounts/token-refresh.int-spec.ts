import { randomBytes } from 'node:crypto';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { ReauthDueJob } from '@app/accounts/jobs/reauth-due.job';
import { TokenRefreshJob } from '@app/accounts/jobs/token-refresh.job';
import { TokenRefreshService } from '@app/accounts/token-refresh.service';
import { Db } from '@app/database/db';
import { Topic } from '@app/messaging/topics';
import { OutboxEventEntity } from '@app/messaging/outbox/outbox-event.entity';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { Platform, ShopRef } from '@app/platforms/ports/platform.types';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { connectInBrowser, createMerchant, newShops, ownerOf, Stack, startStack } from '@test/support/sandbox-stack';
import { eventually, startTestApp, TestApp } from '@test/support/test-app';

const HOUR = 3_600_000;

describe('token refresh', () => {
  let stack: Stack;
  let second: TestApp;
  let db: Db;

  beforeAll(async () => {
    const keys = { ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` };
    stack = await startStack({ label: 'refresh', env: keys });
    // A second service instance on the same database, as in a scaled-out deployment.
    second = await startTestApp({
      database: stack.t.database,
      env: {
        ...keys,
        KUAISHOU_API_BASE_URL: stack.ks.url,
        YOUZAN_API_BASE_URL: stack.yz.url,
        PUBLIC_BASE_URL: stack.url,
      },
    });
    db = stack.t.app.get(Db);
  });

  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  async function connected(platform: Platform): Promise<{ connection: ShopConnectionEntity; shop: ShopRef }> {
    const merchantId = await createMerchant(stack.url);
    const shops = await newShops(stack);
    const result = await connectInBrowser(stack.url, merchantId, platform, { shop: shops[platform] });
    expect(result.status).toBe(200);
    const connection = (await db.dataSource.manager.findOneBy(ShopConnectionEntity, { merchantId, platform }))!;
    return { connection, shop: { platform, connectionId: connection.id, shopId: connection.shopId } };
  }

  const refreshCalls = async (platform: Platform) => {
    const counters = platform === 'kuaishou' ? await stack.ksControl.counters() : await stack.yzControl.counters();
    return platform === 'kuaishou'
      ? (counters.calls['oauth2.refresh_token'] ?? 0)
      : (counters.calls['auth.token'] ?? 0);
  };

  it.each(['kuaishou', 'youzan'] as const)(
    '%s: after expiry two instances calling at once cause one refresh, and both go on with the new token',
    async (platform) => {
      const { connection, shop } = await connected(platform);
      const before = await refreshCalls(platform);
      // The platform's clock passes the access token's lifetime (Kuaishou 48 h, Youzan 7 days).
      await (platform === 'kuaishou'
        ? stack.ksControl.advanceClock(49 * HOUR)
        : stack.yzControl.advanceClock(7 * 24 * HOUR + HOUR));
      const call = (app: TestApp) => app.app.get<ChannelRegistry>(CHANNELS).catalog(platform).getCategories(shop);
      const [a, b] = await Promise.all([call(stack.t), call(second)]);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      expect((await refreshCalls(platform)) - before).toBe(1);

      const after = (await db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!;
      expect(after.lastRefreshedAt).not.toBeNull();
      expect(after.accessTokenEnc).not.toEqual(connection.accessTokenEnc);
      expect(after.refreshTokenEnc).not.toEqual(connection.refreshTokenEnc);
    },
  );

  it('kuaishou: keeps working after the rotated-out refresh token dies (the new one was stored atomically)', async () => {
    const { connection } = await connected('kuaishou');
    const refresher = stack.t.app.get(TokenRefreshService);
    await refresher.refresh(connection.id, { force: true });
    // The old refresh token stops working 5 minutes after rotation.
    await stack.ksControl.advanceClock(10 * 60_000);
    await refresher.refresh(connection.id, { force: true });
    expect((await db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!.status).toBe('active');
  });

  it('a revoked grant ends as needs_reauth with a failure record and an event', async () => {
    const { connection } = await connected('kuaishou');
    await stack.ksControl.revokeShop(connection.shopId);
    await expect(stack.t.app.get(TokenRefreshService).refresh(connection.id, { force: true })).rejects.toMatchObject({
      code: 'AUTH_REVOKED',
    });

    const after = (await db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!;
    expect(after).toMatchObject({ status: 'needs_reauth', accessTokenEnc: null, refreshTokenEnc: null });
    const [[failure]] = await stack.t.app
      .get(SyncFailureService)
      .list({ context: 'accounts', entityRef: connection.id }, 1, 5);
    expect(failure).toMatchObject({
      operation: 'token.refresh',
      errorCode: 'AUTH_REVOKED',
      status: 'open',
      platform: 'kuaishou',
      shopRef: connection.shopId,
    });
    const events = await db.dataSource.manager.findBy(OutboxEventEntity, {
      topic: Topic.ConnectionStatusChanged,
      eventKey: connection.id,
    });
    expect(events.map((e) => JSON.parse(e.payload) as { status: string; previousStatus?: string })).toContainEqual(
      expect.objectContaining({ status: 'needs_reauth', previousStatus: 'active' }),
    );

    // Authorizing again brings it back and closes the failure.
    const shopsOfMerchant = await connectInBrowser(stack.url, connection.merchantId, 'kuaishou', {
      shop: connection.shopId,
    });
    expect(shopsOfMerchant.status).toBe(200);
    expect((await db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!.status).toBe('active');
    expect((await stack.t.app.get(SyncFailureService).get(failure.id)).status).toBe('resolved');
  });

  it('the scheduled job refreshes tokens that expire within the margin, through the bus', async () => {
    const { connection } = await connected('youzan');
    await db.dataSource.manager.update(
      ShopConnectionEntity,
      { id: connection.id },
      { accessTokenExpiresAt: Date.now() + HOUR },
    );
    expect(await stack.t.app.get(TokenRefreshJob).enqueueExpiring()).toBeGreaterThanOrEqual(1);
    const refreshed = await eventually(async () => {
      const c = (await db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!;
      return c.lastRefreshedAt ? c : undefined;
    });
    expect(refreshed.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 6 * 24 * HOUR);
  });

  it('flags a grant ending within 7 days so the merchant can authorize again in time', async () => {
    const { connection } = await connected('kuaishou');
    const endsAt = Date.now() + 5 * 24 * HOUR;
    await db.dataSource.manager.update(ShopConnectionEntity, { id: connection.id }, { refreshTokenExpiresAt: endsAt });
    expect(await stack.t.app.get(ReauthDueJob).flagEndingGrants()).toBeGreaterThanOrEqual(1);
    expect((await db.dataSource.manager.findOneBy(ShopConnectionEntity, { id: connection.id }))!.reauthDueAt).toBe(
      endsAt,
    );
    const events = await db.dataSource.manager.findBy(OutboxEventEntity, {
      topic: Topic.ConnectionStatusChanged,
      eventKey: connection.id,
    });
    expect(events.map((e) => JSON.parse(e.payload) as { reauthDueAt?: number })).toContainEqual(
      expect.objectContaining({ reauthDueAt: endsAt }),
    );
    const page = await (
      await fetch(`${stack.url}/merchants/${connection.merchantId}`, {
        headers: { cookie: ownerOf(connection.merchantId).cookie },
      })
    ).text();
    expect(page).toContain('data-testid="reauth-due-kuaishou"');
  });
});
