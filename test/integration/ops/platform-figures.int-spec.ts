import request from 'supertest';
import { PlatformCallStatsService } from '@app/platforms/call-stats/platform-call-stats.service';
import { GATEWAYS, Gateways } from '@app/platforms/platform-health.service';
import { PlatformError } from '@app/platforms/platform-error';
import { Platform } from '@app/platforms/ports/platform.types';
import { asSession, createTestUser, TestUser } from '@test/support/access';
import { startTestApp, TestApp } from '@test/support/test-app';
import { createTestDatabase, TestDatabase } from '@test/support/test-database';

/**
 * Two instances on one database: the platform health page of either shows the breakers and calls of both, names
 * them, and counts calls and errors per platform API over the window from what each instance's gateway made.
 */
describe('platform figures over instances', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let ops: TestUser;
  // A reset far beyond the test: once open, A's breaker stays open while the page is read.
  const env = {
    PLATFORM_BREAKER_VOLUME: '2',
    PLATFORM_BREAKER_ERROR_PERCENT: '50',
    PLATFORM_BREAKER_RESET_MS: '600000',
  };

  const gateway = (t: TestApp, platform: Platform) => t.app.get<Gateways>(GATEWAYS)[platform];
  const call = (t: TestApp, platform: Platform, api: string, ok: boolean) =>
    gateway(t, platform)
      .call({ api, idempotent: false }, async () => {
        if (!ok) throw new PlatformError({ platform, api, code: 'TEMPORARY', message: 'system busy' });
        return 'ok';
      })
      .catch(() => undefined);
  const stats = (t: TestApp) => t.app.get(PlatformCallStatsService);
  const platformPage = async (t: TestApp) =>
    (await request(t.app.getHttpServer()).get('/ops/console/platforms').set(asSession(ops)).expect(200)).text;
  /** The cells of one row of a usage table, by test id, as text. */
  const apiRow = (html: string, table: string, key: string) => {
    const start = html.indexOf(`data-testid="${table}-row" data-key="${key}"`);
    if (start < 0) return undefined;
    const row = html.slice(start, html.indexOf('</tr>', start));
    const cell = (testid: string) =>
      new RegExp(`data-testid="${testid}"[^>]*>([\\s\\S]*?)</td>`)
        .exec(row)?.[1]
        .replace(/<[^>]+>/g, '')
        .trim();
    return { calls: cell('window-calls'), errors: cell('window-errors'), rate: cell('error-rate') };
  };

  beforeAll(async () => {
    database = await createTestDatabase('platform_figures');
    a = await startTestApp({ database, env });
    b = await startTestApp({ database, env });
    ops = await createTestUser(b.app, 'ops');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('shows both instances by name, with the breaker one of them opened', async () => {
    expect(stats(a).instance).not.toBe(stats(b).instance);
    for (let i = 0; i < 5; i++) await call(a, 'youzan', 'youzan.item.get', false);
    expect(gateway(a, 'youzan').breakerState()).toBe('open');
    for (let i = 0; i < 6; i++) await call(b, 'youzan', 'youzan.item.get', true);
    await call(b, 'kuaishou', 'open.item.list', true);
    await stats(a).flush();

    // B renders the page: its own figures, and A's as A persisted them.
    const html = await platformPage(b);
    expect(html).toContain(`data-testid="instance" data-instance="${stats(a).instance}"`);
    expect(html).toContain(`data-testid="instance" data-instance="${stats(b).instance}"`);
    expect(html).toMatch(/data-testid="breaker-youzan" data-state="open"/);
    expect(html).toContain(`data-instance="${stats(a).instance}" data-state="open"`);
    expect(html).toContain(`data-instance="${stats(b).instance}" data-state="closed"`);
    expect(html).toMatch(/data-testid="breaker-kuaishou" data-state="closed"/);
  });

  it('counts calls, errors and the error rate per API over every instance', async () => {
    const html = await platformPage(a);
    // A's first failures reached the platform; the ones after the breaker opened were refused in the gateway. Each is
    // a call the client tried and an error it met.
    expect(apiRow(html, 'api-usage-youzan', 'youzan.item.get')).toEqual({ calls: '11', errors: '5', rate: '45.5%' });
    expect(apiRow(html, 'api-usage-kuaishou', 'open.item.list')).toEqual({ calls: '1', errors: '0', rate: '0%' });
    expect(html).toContain('data-testid="platform-error-rate-youzan"');
    // The page reads the same on either instance.
    expect(apiRow(await platformPage(b), 'api-usage-youzan', 'youzan.item.get')).toEqual({
      calls: '11',
      errors: '5',
      rate: '45.5%',
    });
  });

  it('leaves out an instance that stopped', async () => {
    const name = stats(a).instance;
    await a.close();
    a = undefined as unknown as TestApp;
    const html = await platformPage(b);
    expect(html).not.toContain(`data-testid="instance" data-instance="${name}"`);
    expect(html).toMatch(/data-testid="breaker-youzan" data-state="closed"/);
    // Its calls stay counted in the window.
    expect(apiRow(html, 'api-usage-youzan', 'youzan.item.get')).toMatchObject({ calls: '11', errors: '5' });
  });
});
