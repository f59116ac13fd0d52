import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AlertCheckJob } from '@app/ops/jobs/alert-check.job';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { PlatformCallStatsService } from '@app/platforms/call-stats/platform-call-stats.service';
import { GATEWAYS, Gateways } from '@app/platforms/platform-health.service';
import { PlatformError } from '@app/platforms/platform-error';
import { asSession, createTestUser, TestUser } from '@test/support/access';
import { eventually, startTestApp, TestApp } from '@test/support/test-app';

/**
 * The scheduled alert check: alerts fire although no new failure is recorded (a lowered threshold, a platform whose
 * calls fail, a breaker left open), are raised once while their condition holds and resolved when it clears.
 */
describe('scheduled alert check', () => {
  let t: TestApp;
  let admin: TestUser;
  let ops: TestUser;

  const job = () => t.app.get(AlertCheckJob);
  const rows = (sql: string, params: unknown[] = []) =>
    t.app.get(DataSource).query(sql, params) as Promise<Record<string, unknown>[]>;
  const settings = (input: Record<string, number>) =>
    t.app.get(OpsSettingsService).update({ userId: admin.userId, email: admin.email }, input);
  const youzan = () => t.app.get<Gateways>(GATEWAYS).youzan;
  const failingCall = () =>
    youzan()
      .call({ api: 'youzan.alert.probe', idempotent: false }, () =>
        Promise.reject(
          new PlatformError({ platform: 'youzan', api: 'youzan.alert.probe', code: 'TEMPORARY', message: 'busy' }),
        ),
      )
      .catch(() => undefined);
  const okCall = () => youzan().call({ api: 'youzan.alert.probe', idempotent: false }, async () => 'ok');
  const platformAlerts = () =>
    rows('SELECT kind, scope_key, open_marker, resolved_at FROM ops_alert ORDER BY kind, scope_key');

  beforeAll(async () => {
    t = await startTestApp({ label: 'alert_check', env: { PLATFORM_BREAKER_RESET_MS: '1000' } });
    admin = await createTestUser(t.app, 'admin');
    ops = await createTestUser(t.app, 'ops');
    await settings({
      failureAlertThreshold: 100,
      failureAlertWindowMinutes: 1440,
      platformAlertWindowMinutes: 60,
      errorRateAlertPercent: 50,
      errorRateAlertMinCalls: 10,
      noSuccessAlertMinutes: 60,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('raises a failure alert when the threshold is lowered below what is open, and resolves it when failures close', async () => {
    const failures = t.app.get(SyncFailureService);
    const recorded = [];
    for (let i = 0; i < 3; i++)
      recorded.push(
        await failures.record({
          context: 'inventory',
          operation: 'stock.write',
          errorCode: 'TEMPORARY',
          reason: 'platform busy',
          platform: 'youzan',
          shopRef: 'shop-1',
          merchantId: null,
          dedupeKey: `test:${randomUUID()}`,
        }),
      );
    expect(await rows('SELECT * FROM sync_failure_alert')).toEqual([]);

    // Nothing new fails: only the scheduled check can see the lowered threshold.
    await settings({ failureAlertThreshold: 3 });
    expect((await job().check()).raised).toBe(1);
    expect(await rows('SELECT scope_key, open_failures, resolved_at FROM sync_failure_alert')).toEqual([
      { scope_key: 'total', open_failures: 3, resolved_at: null },
    ]);
    // Checked again while it holds: no second alert.
    expect(await job().check()).toEqual({ raised: 0, resolved: 0 });

    await failures.dismiss(recorded[0].id, 'known outage');
    expect(await job().check()).toEqual({ raised: 0, resolved: 1 });
    const [alert] = await rows('SELECT resolved_at FROM sync_failure_alert');
    expect(Number(alert.resolved_at)).toBeGreaterThan(0);
    expect(await job().check()).toEqual({ raised: 0, resolved: 0 });
  });

  it('raises breaker, error-rate and no-success alerts from the calls the gateway made, once, and resolves them when calls succeed again', async () => {
    for (let i = 0; i < 12; i++) await failingCall();
    expect(youzan().breakerState()).toBe('open');
    await t.app.get(PlatformCallStatsService).flush();

    expect((await job().check()).raised).toBe(3);
    expect(await platformAlerts()).toEqual([
      { kind: 'breaker_open', scope_key: 'youzan:youzan', open_marker: 1, resolved_at: null },
      { kind: 'error_rate', scope_key: 'youzan', open_marker: 1, resolved_at: null },
      { kind: 'no_successful_call', scope_key: 'youzan', open_marker: 1, resolved_at: null },
    ]);
    const [rate] = await rows("SELECT figures FROM ops_alert WHERE kind = 'error_rate'");
    expect(JSON.parse(String(rate.figures))).toMatchObject({ calls: 12, errors: 12, ratePercent: 100 });

    // Still failing, checked again: the same three alerts, none raised twice.
    await failingCall();
    await t.app.get(PlatformCallStatsService).flush();
    expect(await job().check()).toEqual({ raised: 0, resolved: 0 });
    expect(await platformAlerts()).toHaveLength(3);

    const page = await request(t.app.getHttpServer()).get('/ops/console/platforms').set(asSession(ops)).expect(200);
    expect(page.text).toContain('data-alert-kind="breaker_open"');
    expect(page.text).toContain('data-alert-kind="error_rate"');
    const home = await request(t.app.getHttpServer()).get('/ops/console').set(asSession(ops)).expect(200);
    expect(home.text).toContain('data-alert-kind="no_successful_call"');

    // The breaker lets a trial call through after its reset time; a success closes it.
    await eventually(
      () =>
        okCall().then(
          () => true,
          () => false,
        ),
      20_000,
      200,
    );
    expect(youzan().breakerState()).toBe('closed');
    for (let i = 0; i < 20; i++) await okCall();
    await t.app.get(PlatformCallStatsService).flush();

    expect(await job().check()).toEqual({ raised: 0, resolved: 3 });
    const after = await platformAlerts();
    expect(after.map((a) => [a.kind, a.open_marker])).toEqual([
      ['breaker_open', null],
      ['error_rate', null],
      ['no_successful_call', null],
    ]);
    expect(after.every((a) => Number(a.resolved_at) > 0)).toBe(true);
  }, 60_000);
});
