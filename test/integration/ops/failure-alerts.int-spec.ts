import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FailureAlertsService } from '@app/ops/alerts/failure-alerts.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { asSession, createTestMerchant, createTestUser, TestUser } from '@test/support/access';
import { eventually, startTestApp, TestApp } from '@test/support/test-app';

interface Hook {
  type: string;
  merchantId: string;
  data: { alertId: string; openFailures: number; threshold: number; windowMinutes: number };
}

const THRESHOLD = 3;
// A day: the test does not straddle a window edge unless it runs across midnight UTC.
const WINDOW_MINUTES = 1440;

/**
 * Alerts on sync failures: open failures of a merchant (and of all merchants) reaching the threshold within the
 * window raise one alert per window, shown on the console home and sent to the merchant's outbound webhooks.
 */
describe('sync failure alerts', () => {
  let t: TestApp;
  let server: Server;
  const hooks: Hook[] = [];
  let url = '';
  let merchantA: string;
  let merchantB: string;
  let ops: TestUser;

  const failures = () => t.app.get(SyncFailureService);
  const alerts = () => t.app.get(FailureAlertsService);
  const rows = (sql: string, params: unknown[] = []) =>
    t.app.get(DataSource).query(sql, params) as Promise<Record<string, unknown>[]>;
  const fail = (merchantId: string | null) =>
    failures().record({
      context: 'inventory',
      operation: 'stock.write',
      errorCode: 'TEMPORARY',
      reason: 'platform busy',
      platform: 'youzan',
      shopRef: 'shop-1',
      merchantId,
      dedupeKey: `test:${randomUUID()}`,
    });
  const alertRows = (scopeKey: string) =>
    rows('SELECT scope_key, merchant_id, open_failures, threshold FROM sync_failure_alert WHERE scope_key = ?', [
      scopeKey,
    ]);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Hook);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    t = await startTestApp({ label: 'failure_alerts', env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } });
    const a = await createTestMerchant(t.app, 'Alert merchant A');
    merchantA = a.merchantId;
    merchantB = (await createTestMerchant(t.app, 'Alert merchant B')).merchantId;
    await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantA}/webhooks/subscriptions`)
      .set(asSession(a.owner))
      .send({ url, eventTypes: ['sync.failures_above_threshold'], description: 'alerts' })
      .expect(201);
    const admin = await createTestUser(t.app, 'admin');
    await t.app
      .get(OpsSettingsService)
      .update(
        { userId: admin.userId, email: admin.email },
        { failureAlertThreshold: THRESHOLD, failureAlertWindowMinutes: WINDOW_MINUTES },
      );
    ops = await createTestUser(t.app, 'ops');
  });
  afterAll(async () => {
    await t?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('records the merchant on a failure when the failing operation knows it', async () => {
    const saved = await fail(merchantB);
    expect(await rows('SELECT merchant_id FROM sync_failure WHERE id = ?', [saved.id])).toEqual([
      { merchant_id: merchantB },
    ]);
  });

  it('raises no alert below the threshold', async () => {
    await fail(merchantA);
    expect(await alerts().check(merchantA)).toEqual([]);
    // One of B's, one of A's: the total is below the threshold too.
    expect(await rows('SELECT * FROM sync_failure_alert')).toEqual([]);
  });

  it("raises one alert for the merchant and one in total when the merchant's open failures reach the threshold", async () => {
    await fail(merchantA);
    await fail(merchantA);
    await eventually(async () => (await alertRows(merchantA)).length === 1, 20_000);
    expect(await alertRows(merchantA)).toEqual([
      { scope_key: merchantA, merchant_id: merchantA, open_failures: THRESHOLD, threshold: THRESHOLD },
    ]);
    await eventually(async () => (await alertRows('total')).length === 1, 20_000);
    expect((await alertRows('total'))[0]).toMatchObject({ merchant_id: null, threshold: THRESHOLD });

    // The merchant's ERP hears of it once, through its outbound webhook subscription.
    const hook = await eventually(() => hooks.find((h) => h.type === 'sync.failures_above_threshold'), 30_000);
    expect(hook).toMatchObject({
      merchantId: merchantA,
      data: { openFailures: THRESHOLD, threshold: THRESHOLD, windowMinutes: WINDOW_MINUTES },
    });
  }, 60_000);

  it('does not raise another alert in the same window however many more failures come', async () => {
    for (let i = 0; i < 4; i++) await fail(merchantA);
    // Above the threshold, checked again: the window already has its alert.
    expect(await failures().countOpenCreatedSince(Date.now() - WINDOW_MINUTES * 60_000, merchantA)).toBeGreaterThan(
      THRESHOLD,
    );
    expect(await alerts().check(merchantA)).toEqual([]);
    expect(await alertRows(merchantA)).toHaveLength(1);
    expect(await alertRows('total')).toHaveLength(1);
    // A later webhook (there is none to wait for) would be a second delivery of this type.
    const delivered = await rows(
      "SELECT COUNT(*) AS n FROM webhook_outbound_delivery WHERE event_type = 'sync.failures_above_threshold'",
    );
    expect(Number(delivered[0].n)).toBe(1);
  });

  it("counts each merchant on its own: another merchant's failures raise that merchant's alert, with no webhook it did not ask for", async () => {
    await fail(merchantB);
    await fail(merchantB);
    await eventually(async () => (await alertRows(merchantB)).length === 1, 20_000);
    expect(hooks.filter((h) => h.merchantId === merchantB)).toEqual([]);
    // A failure without a merchant counts in the total only.
    await fail(null);
    expect(await alerts().check(null)).toEqual([]);
  }, 60_000);

  it('shows the alerts on the console home and the platform health page', async () => {
    const home = await request(t.app.getHttpServer()).get('/ops/console').set(asSession(ops)).expect(200);
    expect(home.text).toContain(`data-scope="${merchantA}"`);
    expect(home.text).toContain('data-scope="total"');
    const health = await request(t.app.getHttpServer()).get('/ops/console/platforms').set(asSession(ops)).expect(200);
    expect(health.text).toContain(`data-scope="${merchantB}"`);
  });
});
