import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import request from 'supertest';
import { RetentionJob } from '@app/ops/retention/retention.job';
import { OPS_SETTING_DEFINITIONS } from '@app/ops/settings/ops-settings.definitions';
import { OpsSettingsService } from '@app/ops/settings/ops-settings.service';
import { asUser, createTestUser } from '@test/support/access';
import { startTestApp, TestApp } from '@test/support/test-app';

const DAY = 86_400_000;

/** Inserts a row with every required column filled, foreign keys unchecked: only the ages matter here. */
async function insertRow(connection: mysql.Connection, table: string, values: Record<string, unknown>): Promise<void> {
  const [columns] = await connection.query<mysql.RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type, CHARACTER_MAXIMUM_LENGTH AS length FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND IS_NULLABLE = ? AND COLUMN_DEFAULT IS NULL AND EXTRA NOT LIKE ?',
    [table, 'NO', '%auto_increment%'],
  );
  const row: Record<string, unknown> = {};
  for (const c of columns) {
    row[c.name as string] = /int|decimal/.test(c.type as string)
      ? 1
      : /text/.test(c.type as string)
        ? '{}'
        : randomUUID().slice(0, Math.min(36, Number(c.length ?? 36)));
  }
  Object.assign(row, values);
  await connection.query(`INSERT INTO \`${table}\` SET ?`, [row]);
}

async function count(connection: mysql.Connection, table: string, where = '1=1'): Promise<number> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE ${where}`);
  return Number(rows[0].n);
}

describe(RetentionJob.name, () => {
  let t: TestApp;
  let connection: mysql.Connection;

  beforeAll(async () => {
    t = await startTestApp({ label: 'retention' });
    connection = await mysql.createConnection(t.database.url);
    await connection.query('SET FOREIGN_KEY_CHECKS = 0');
  });
  afterAll(async () => {
    await connection?.end();
    await t?.close();
  });

  it('purges rows past their retention and keeps everything younger or still needed', async () => {
    const now = Date.now();
    const old = (keepMs: number) => now - keepMs - DAY;
    const young = (keepMs: number) => now - keepMs + DAY;
    const s = await t.app.get(OpsSettingsService).current();
    const RETENTION_MS = {
      oauthStateAfterExpiry: s.retentionOauthStatesDays * DAY,
      pushes: s.retentionPushesDays * DAY,
      webhookDeliveries: s.retentionErpDeliveriesDays * DAY,
      drift: s.retentionDriftDays * DAY,
      settledWriteOps: s.retentionSettledWritesDays * DAY,
      closedFailures: s.retentionClosedFailuresDays * DAY,
    };

    await insertRow(connection, 'oauth_state', {
      state: 'old-state',
      expires_at: old(RETENTION_MS.oauthStateAfterExpiry),
      used_at: null,
    });
    await insertRow(connection, 'oauth_state', {
      state: 'old-used-state',
      expires_at: old(RETENTION_MS.oauthStateAfterExpiry),
      used_at: now - 3 * DAY,
    });
    await insertRow(connection, 'oauth_state', { state: 'live-state', expires_at: now + 600_000 });
    await insertRow(connection, 'platform_push', {
      platform: 'kuaishou',
      event_id: 'old-push',
      received_at: old(RETENTION_MS.pushes),
    });
    await insertRow(connection, 'platform_push', {
      platform: 'kuaishou',
      event_id: 'young-push',
      received_at: young(RETENTION_MS.pushes),
    });
    await insertRow(connection, 'webhook_delivery', {
      source: 'erp.stock',
      delivery_id: 'old-delivery',
      received_at: old(RETENTION_MS.webhookDeliveries),
    });
    await insertRow(connection, 'webhook_delivery', {
      source: 'erp.stock',
      delivery_id: 'young-delivery',
      received_at: young(RETENTION_MS.webhookDeliveries),
    });
    await insertRow(connection, 'stock_drift', { created_at: old(RETENTION_MS.drift) });
    await insertRow(connection, 'stock_drift', { created_at: young(RETENTION_MS.drift) });
    for (const status of ['applied', 'not_applied', 'reconciled']) {
      await insertRow(connection, 'stock_write_op', {
        id: randomUUID(),
        status,
        created_at: old(RETENTION_MS.settledWriteOps),
        settled_at: old(RETENTION_MS.settledWriteOps),
      });
    }
    await insertRow(connection, 'stock_write_op', {
      id: randomUUID(),
      status: 'applied',
      created_at: old(RETENTION_MS.settledWriteOps),
      settled_at: young(RETENTION_MS.settledWriteOps),
    });
    await insertRow(connection, 'stock_write_op', {
      id: randomUUID(),
      status: 'unknown',
      created_at: old(RETENTION_MS.settledWriteOps),
      settled_at: null,
    });
    await insertRow(connection, 'stock_write_op', {
      id: randomUUID(),
      status: 'pending',
      created_at: old(RETENTION_MS.settledWriteOps),
      settled_at: null,
    });
    for (const status of ['resolved', 'dismissed']) {
      await insertRow(connection, 'sync_failure', {
        id: randomUUID(),
        status,
        created_at: old(RETENTION_MS.closedFailures),
        closed_at: old(RETENTION_MS.closedFailures),
        dedupe_key: randomUUID(),
      });
    }
    await insertRow(connection, 'sync_failure', {
      id: randomUUID(),
      status: 'open',
      created_at: old(RETENTION_MS.closedFailures),
      closed_at: null,
      dedupe_key: randomUUID(),
    });
    await insertRow(connection, 'sync_failure', {
      id: randomUUID(),
      status: 'resolved',
      created_at: old(RETENTION_MS.closedFailures),
      closed_at: young(RETENTION_MS.closedFailures),
      dedupe_key: randomUUID(),
    });

    for (const [id, resolvedAt, marker] of [
      ['old-resolved', old(RETENTION_MS.closedFailures), null],
      ['young-resolved', young(RETENTION_MS.closedFailures), null],
      ['old-active', null, 1],
    ] as const)
      await insertRow(connection, 'ops_alert', {
        id,
        kind: 'error_rate',
        scope_key: `youzan-${id}`,
        platform: 'youzan',
        open_marker: marker,
        figures: '{}',
        raised_at: old(RETENTION_MS.closedFailures) - DAY,
        last_seen_at: old(RETENTION_MS.closedFailures),
        resolved_at: resolvedAt,
      });
    await insertRow(connection, 'sync_failure_alert', {
      id: randomUUID(),
      scope_key: 'total',
      merchant_id: null,
      window_start: 0,
      window_minutes: 15,
      threshold: 20,
      open_failures: 20,
      raised_at: old(RETENTION_MS.closedFailures) - DAY,
      resolved_at: old(RETENTION_MS.closedFailures),
    });

    const purged = await t.app.get(RetentionJob).purge();

    expect(purged).toEqual({
      oauthStates: 2,
      pushes: 1,
      webhookDeliveries: 1,
      drift: 1,
      settledWriteOps: 3,
      closedFailures: 2,
      outboundDeliveries: 0,
      resolvedAlerts: 2,
    });
    expect(await count(connection, 'ops_alert')).toBe(2);
    expect(await count(connection, 'sync_failure_alert')).toBe(0);
    expect(await count(connection, 'oauth_state')).toBe(1);
    expect(await count(connection, 'platform_push', "event_id = 'young-push'")).toBe(1);
    expect(await count(connection, 'webhook_delivery', "delivery_id = 'young-delivery'")).toBe(1);
    expect(await count(connection, 'stock_drift')).toBe(1);
    expect(await count(connection, 'stock_write_op')).toBe(3);
    expect(await count(connection, 'sync_failure', "status = 'open'")).toBe(1);
    expect(await count(connection, 'sync_failure')).toBe(2);
  });

  it('purges delivered outbound webhooks past their age and keeps pending, failed and younger ones', async () => {
    const admin = await createTestUser(t.app, 'admin');
    const put = (body: object) => request(t.app.getHttpServer()).put('/ops/settings').set(asUser(admin)).send(body);
    const now = Date.now();
    const delivery = (id: string, status: string, deliveredAt: number | null, createdAt: number) =>
      insertRow(connection, 'webhook_outbound_delivery', {
        id,
        status,
        delivered_at: deliveredAt,
        created_at: createdAt,
        last_status_code: null,
        last_error: null,
        last_attempt_at: null,
        claim_token: null,
      });
    await delivery('old-delivered', 'delivered', now - 40 * DAY, now - 40 * DAY);
    await delivery('young-delivered', 'delivered', now - 10 * DAY, now - 40 * DAY);
    await delivery('old-failed', 'failed', null, now - 400 * DAY);
    await delivery('old-pending', 'pending', null, now - 400 * DAY);
    await delivery('old-cancelled', 'cancelled', null, now - 400 * DAY);

    expect((await t.app.get(RetentionJob).purge()).outboundDeliveries).toBe(1);
    const left = async () =>
      (await connection.query<mysql.RowDataPacket[]>('SELECT id FROM webhook_outbound_delivery ORDER BY id'))[0].map(
        (r) => r.id,
      );
    expect(await left()).toEqual(['old-cancelled', 'old-failed', 'old-pending', 'young-delivered']);

    expect((await put({ retentionOutboundDeliveriesDays: 7 })).status).toBe(400);
    expect((await put({ retentionOutboundDeliveriesDays: 9 })).status).toBe(200);
    expect((await t.app.get(RetentionJob).purge()).outboundDeliveries).toBe(1);
    expect(await left()).toEqual(['old-cancelled', 'old-failed', 'old-pending']);
    expect((await put({ retentionOutboundDeliveriesDays: null })).status).toBe(200);
  });

  it('keeps push and delivery ids at least as long as a duplicate can arrive, whatever an admin sets', async () => {
    // Youzan keeps its message log (manual re-push) 7 days; Kuaishou retries for about 2 hours.
    const min = (key: string) => OPS_SETTING_DEFINITIONS.find((d) => d.key === key)!.min;
    expect(min('retentionPushesDays')).toBeGreaterThanOrEqual(7);
    expect(min('retentionErpDeliveriesDays')).toBeGreaterThanOrEqual(7);
    const admin = await createTestUser(t.app, 'admin');
    const refused = await request(t.app.getHttpServer())
      .put('/ops/settings')
      .set(asUser(admin))
      .send({ retentionPushesDays: 6 });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([expect.objectContaining({ field: 'retentionPushesDays' })]);
  });

  it('purges by the ages an admin sets, without a restart', async () => {
    const admin = await createTestUser(t.app, 'admin');
    const put = (body: object) => request(t.app.getHttpServer()).put('/ops/settings').set(asUser(admin)).send(body);
    const now = Date.now();
    await connection.query('DELETE FROM platform_push');
    await insertRow(connection, 'platform_push', {
      platform: 'youzan',
      event_id: 'forty-days',
      received_at: now - 40 * DAY,
    });
    await insertRow(connection, 'platform_push', {
      platform: 'youzan',
      event_id: 'ten-days',
      received_at: now - 10 * DAY,
    });

    expect((await put({ retentionPushesDays: 60 })).status).toBe(200);
    expect((await t.app.get(RetentionJob).purge()).pushes).toBe(0);
    expect(await count(connection, 'platform_push', "event_id = 'forty-days'")).toBe(1);

    expect((await put({ retentionPushesDays: 8 })).status).toBe(200);
    expect((await t.app.get(RetentionJob).purge()).pushes).toBe(2);
    expect(await count(connection, 'platform_push', "event_id IN ('forty-days', 'ten-days')")).toBe(0);
    expect((await put({ retentionPushesDays: null })).status).toBe(200);
  });
});
