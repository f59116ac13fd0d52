import mysql from 'mysql2/promise';
import request from 'supertest';
import { SessionEntity } from '@app/auth/session.entity';
import { Db } from '@app/database/db';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { asSession, asUser, createTestUser, TestUser } from '@test/support/access';
import { startTestApp, TestApp } from '@test/support/test-app';

describe('ops settings', () => {
  let t: TestApp;
  let connection: mysql.Connection;
  let admin: TestUser;
  let ops: TestUser;
  const http = () => request(t.app.getHttpServer());
  const put = (body: unknown, who: TestUser = admin) =>
    http()
      .put('/ops/settings')
      .set(asUser(who))
      .send(body as object);
  const rows = async (sql: string) => (await connection.query<mysql.RowDataPacket[]>(sql))[0];
  /** Every stored setting and audit row, to prove a refused request wrote nothing. */
  const checksum = async () =>
    JSON.stringify([
      await rows('SELECT * FROM ops_setting ORDER BY name'),
      await rows('SELECT * FROM ops_setting_change ORDER BY id'),
    ]);
  const setting = async (key: string) =>
    ((await http().get('/ops/settings').set(asUser(ops))).body.settings as { key: string }[]).find(
      (s) => s.key === key,
    );

  beforeAll(async () => {
    t = await startTestApp({ label: 'opssettings' });
    connection = await mysql.createConnection(t.database.url);
    admin = await createTestUser(t.app, 'admin');
    ops = await createTestUser(t.app, 'ops');
  });

  afterAll(async () => {
    await connection?.end();
    await t?.close();
  });

  it('shows ops every setting with its default from the environment; ops cannot change them', async () => {
    const got = await http().get('/ops/settings').set(asUser(ops));
    expect(got.status).toBe(200);
    expect(got.body.settings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'signInMaxAttempts',
          value: t.config.auth.signInMaxAttempts,
          defaultValue: t.config.auth.signInMaxAttempts,
          overridden: false,
        }),
        expect.objectContaining({
          key: 'failureRetryDelaysMs',
          value: t.config.messaging.failureRetryDelaysMs,
          overridden: false,
        }),
        expect.objectContaining({
          key: 'retentionPushesDays',
          value: 30,
          label: expect.stringMatching(/平台推送.*Platform pushes/),
        }),
      ]),
    );
    expect((await put({ retentionDriftDays: 40 }, ops)).status).toBe(403);
    expect(await rows('SELECT * FROM ops_setting')).toEqual([]);
  });

  it('refuses bad input with field messages and writes nothing', async () => {
    const before = await checksum();
    const cases: [unknown, string][] = [
      [{}, 'body'],
      [{ notASetting: 1 }, 'notASetting'],
      [{ retentionDriftDays: 'forty' }, 'retentionDriftDays'],
      [{ retentionDriftDays: 4.5 }, 'retentionDriftDays'],
      [{ retentionDriftDays: 0 }, 'retentionDriftDays'],
      [{ retentionInboxDays: 7 }, 'retentionInboxDays'],
      [{ signInMaxAttempts: 1e20 }, 'signInMaxAttempts'],
      [{ failureRetryDelaysMs: [] }, 'failureRetryDelaysMs'],
      [{ failureRetryDelaysMs: [60000, 'x'] }, 'failureRetryDelaysMs'],
      [{ failureRetryDelaysMs: 60000 }, 'failureRetryDelaysMs'],
      // One good field beside a bad one: the good one is not written either.
      [{ retentionDriftDays: 40, sessionIdleSeconds: 5 }, 'sessionIdleSeconds'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.fields).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, messages: [expect.any(String)] })]),
      );
    }
    expect(
      (
        await http()
          .put('/ops/settings')
          .set(asUser(admin))
          .send([{ retentionDriftDays: 40 }])
      ).status,
    ).toBe(400);
    const text = await http()
      .put('/ops/settings')
      .set(asUser(admin))
      .set('content-type', 'text/plain')
      .send('retentionDriftDays=40');
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(await checksum()).toBe(before);
  });

  it('audits each change (who, when, old → new); null goes back to the default; an unchanged value writes nothing', async () => {
    const changed = await put({ retentionDriftDays: 45, failureRetryDelaysMs: [2000, 4000] });
    expect(changed.status).toBe(200);
    expect(changed.body.settings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'retentionDriftDays',
          value: 45,
          defaultValue: 30,
          overridden: true,
          updatedBy: admin.email,
        }),
      ]),
    );
    const audit = await rows(
      'SELECT name, old_value, new_value, changed_by, changed_by_user_id, changed_at FROM ops_setting_change ORDER BY id',
    );
    expect(audit).toEqual([
      expect.objectContaining({
        name: 'retentionDriftDays',
        old_value: '30',
        new_value: '45',
        changed_by: admin.email,
        changed_by_user_id: admin.userId,
      }),
      expect.objectContaining({
        name: 'failureRetryDelaysMs',
        old_value: JSON.stringify(t.config.messaging.failureRetryDelaysMs),
        new_value: '[2000,4000]',
      }),
    ]);
    expect(Math.abs(Number(audit[0].changed_at) - Date.now())).toBeLessThan(600_000);

    expect((await put({ retentionDriftDays: 45 })).status).toBe(200);
    expect(await rows('SELECT id FROM ops_setting_change')).toHaveLength(2);

    expect((await put({ retentionDriftDays: null })).status).toBe(200);
    expect(await setting('retentionDriftDays')).toMatchObject({ value: 30, overridden: false, updatedBy: null });
    expect(await rows("SELECT * FROM ops_setting WHERE name = 'retentionDriftDays'")).toEqual([]);
    const last = (await http().get('/ops/settings').set(asUser(ops))).body.changes[0];
    expect(last).toMatchObject({ key: 'retentionDriftDays', oldValue: 45, newValue: 30, changedBy: admin.email });
  });

  it('ignores a stored row that does not fit (edited by hand, or from another release) instead of obeying it', async () => {
    await connection.query(
      "INSERT INTO ops_setting (name, value, updated_at, updated_by) VALUES ('retentionPushesDays', '2', 1, 'x'), " +
        "('retentionDriftDays', 'not json', 1, 'x'), ('aRemovedSetting', '5', 1, 'x')",
    );
    try {
      expect(await setting('retentionPushesDays')).toMatchObject({ value: 30, overridden: false });
      expect(await setting('retentionDriftDays')).toMatchObject({ value: 30, overridden: false });
      expect((await put({ retentionPushesDays: 40 })).status).toBe(200);
      const [last] = await rows('SELECT old_value, new_value FROM ops_setting_change ORDER BY id DESC LIMIT 1');
      expect(last).toMatchObject({ old_value: '30', new_value: '40' });
    } finally {
      await connection.query('DELETE FROM ops_setting');
    }
  });

  it('schedules automatic failure retries by the delays in force', async () => {
    expect((await put({ failureRetryDelaysMs: [7000, 9000] })).status).toBe(200);
    const failure = await t.app.get(SyncFailureService).record({
      context: 'test',
      operation: 'op',
      errorCode: 'TEMPORARY',
      reason: 'x',
      replay: { kind: 'noop', data: {} },
    });
    const [row] = await rows(`SELECT created_at, next_retry_at FROM sync_failure WHERE id = '${failure.id}'`);
    expect(Number(row.next_retry_at) - Number(row.created_at)).toBe(7000);
  });

  it('ends sessions idle longer than the idle timeout in force', async () => {
    const user = await createTestUser(t.app, 'ops');
    const db = t.app.get(Db);
    const session = (await db.manager.find(SessionEntity, { where: { userId: user.userId } }))[0];
    await db.manager.update(SessionEntity, { idHash: session.idHash }, { lastSeenAt: Date.now() - 120_000 });
    expect((await http().get('/api/session').set('cookie', user.cookie)).status).toBe(200);
    expect((await put({ sessionIdleSeconds: 90 })).status).toBe(200);
    await db.manager.update(SessionEntity, { idHash: session.idHash }, { lastSeenAt: Date.now() - 120_000 });
    expect((await http().get('/api/session').set('cookie', user.cookie)).status).toBe(401);
    expect((await put({ sessionIdleSeconds: null })).status).toBe(200);
  });

  it('the page shows ops the values read-only and lets an admin change them, showing refusals by field', async () => {
    const opsPage = await http().get('/ops-settings').set('cookie', ops.cookie);
    expect(opsPage.status).toBe(200);
    expect(opsPage.text).toContain('运维设置 Ops settings');
    expect(opsPage.text).not.toContain('data-testid="save-settings"');
    const form = (fields: Record<string, string>) =>
      http()
        .post('/ops-settings')
        .set('cookie', admin.cookie)
        .type('form')
        .send({ _csrf: admin.csrf, ...fields });

    const before = await checksum();
    const refused = await form({ retentionClosedFailuresDays: '120', retentionOutboxDays: 'soon' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('data-testid="setting-error-retentionOutboxDays"');
    expect(refused.text).toContain('value="soon"');
    expect(await checksum()).toBe(before);

    const saved = await form({ retentionClosedFailuresDays: '120', failureRetryDelaysMs: '3000, 6000' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('已保存 Saved');
    expect(await setting('retentionClosedFailuresDays')).toMatchObject({ value: 120 });
    expect(await setting('failureRetryDelaysMs')).toMatchObject({ value: [3000, 6000] });
    expect(saved.text).toMatch(/retentionClosedFailuresDays<\/td>\s*<td>90 → 120<\/td>/);

    const reset = await form({ reset_retentionClosedFailuresDays: '1' });
    expect(reset.status).toBe(200);
    expect(await setting('retentionClosedFailuresDays')).toMatchObject({ value: 90, overridden: false });
    expect(
      (await http().post('/ops-settings').set(asSession(ops)).type('form').send({ retentionClosedFailuresDays: '100' }))
        .status,
    ).toBe(403);
  });
});
