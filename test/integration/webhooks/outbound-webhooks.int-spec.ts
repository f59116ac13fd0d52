import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { ConnectionsService } from '@app/accounts/connections.service';
import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { Db } from '@app/database/db';
import {
  MerchantEventType,
  merchantEventRaisedTopic,
} from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { deliveryIdOf } from '@app/webhooks/outbound/delivery-policy';
import { OutboundDeliveryEntity } from '@app/webhooks/outbound/outbound-delivery.entity';
import { OutboundDeliveryRepository } from '@app/webhooks/outbound/outbound-delivery.repository';
import { WebhookSenderService } from '@app/webhooks/outbound/webhook-sender.service';
import { factory } from '@test/factories/entity.factory';
import { asSession, asUser, createTestMerchant, TestUser } from '@test/support/access';
import { eventually, startTestApp, TestApp } from '@test/support/test-app';

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  body: { type: string; subject: string; data: Record<string, unknown> };
  at: number;
}

/** A tiny ERP endpoint: records what arrives; answers 500 to the webhook-ids it is told to fail (n times, or always). */
class Receiver {
  readonly received: Received[] = [];
  readonly attempts = new Map<string, number>();
  readonly failures = new Map<string, number>();
  /** Answered 500 while they are in here. */
  readonly gated = new Set<string>();
  /** Answers nothing, ever, while sending a byte now and then (an idle timer never fires on it). */
  trickle = new Set<string>();
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        this.attempts.set(id, (this.attempts.get(id) ?? 0) + 1);
        if (this.trickle.has(id)) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 100);
          res.on('close', () => clearInterval(timer));
          return;
        }
        const left = this.failures.get(id) ?? 0;
        if (this.gated.has(id) || left > 0) {
          this.failures.set(id, left - 1);
          res.writeHead(500).end('busy');
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ raw, headers: req.headers, body: JSON.parse(raw) as Received['body'], at: Date.now() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this.url;
  }

  of(webhookId: string): Received[] {
    return this.received.filter((r) => r.headers['webhook-id'] === webhookId);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const ALWAYS = Number.MAX_SAFE_INTEGER;

describe('outbound ERP webhooks to a local receiver', () => {
  let t: TestApp;
  let receiver: Receiver;
  let merchantId: string;
  let owner: TestUser;
  let subscriptionId: string;
  let secret: string;

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    // 3 attempts, 500 ms apart; a hard deadline of 1 s per attempt.
    t = await startTestApp({
      label: 'outbound_webhooks',
      env: { WEBHOOK_RETRY_DELAYS_S: '0.5,0.5', WEBHOOK_TIMEOUT_MS: '1000', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    });
    ({ merchantId, owner } = await createTestMerchant(t.app, 'Webhook merchant'));
    const created = await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantId}/webhooks/subscriptions`)
      .set(asSession(owner))
      .send({
        url: receiver.url,
        eventTypes: ['order.paid', 'order.shipped', 'connection.needs_reauth'],
        description: 'ERP',
      })
      .expect(201);
    subscriptionId = created.body.id;
    secret = created.body.secret;
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  async function raise(type: MerchantEventType, subject: string, eventId = randomUUID()): Promise<string> {
    await t.app.get(Db).transaction(() =>
      t.app.get(OutboxService).enqueue(merchantEventRaisedTopic, {
        eventId,
        merchantId,
        type,
        subject,
        occurredAt: Date.now(),
        data: { orderId: subject },
      }),
    );
    return eventId;
  }

  const log = async (query = '') =>
    (
      await request(t.app.getHttpServer())
        .get(`/api/merchants/${merchantId}/webhooks/deliveries${query}`)
        .set(asUser(owner))
        .expect(200)
    ).body as {
      items: { id: string; webhookId: string; status: string; attempts: number; lastError: string | null }[];
    };

  const deliveryOf = async (webhookId: string) => (await log()).items.find((d) => d.webhookId === webhookId);

  it('delivers a signed event that an independent Standard Webhooks verifier accepts', async () => {
    expect(secret).toMatch(/^whsec_/);
    const eventId = await raise('order.paid', 'order-1');
    const [got] = await eventually(() => (receiver.of(eventId).length ? receiver.of(eventId) : undefined));
    const verified = new Webhook(secret).verify(got.raw, {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    });
    expect(verified).toMatchObject({
      type: 'order.paid',
      merchantId,
      subject: 'order-1',
      data: { orderId: 'order-1' },
    });
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'delivered' && d))).toMatchObject({
      attempts: 1,
    });
  });

  it('sends nothing for an event type the subscription does not take, and one delivery for a repeated event', async () => {
    const skipped = await raise('coupon.anomaly', 'coupon-1');
    const eventId = randomUUID();
    await raise('order.shipped', 'order-2', eventId);
    await raise('order.shipped', 'order-2', eventId);
    await eventually(() => receiver.of(eventId).length === 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.of(eventId)).toHaveLength(1);
    expect(receiver.attempts.get(skipped)).toBeUndefined();
    expect((await log()).items.filter((d) => d.webhookId === eventId)).toHaveLength(1);
  });

  it('retries after the receiver fails, with the same webhook-id, until it accepts', async () => {
    const eventId = randomUUID();
    receiver.failures.set(eventId, 2);
    await raise('order.paid', 'order-3', eventId);
    await eventually(() => receiver.of(eventId).length === 1);
    expect(receiver.attempts.get(eventId)).toBe(3);
    expect(await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'delivered' && d))).toMatchObject({
      attempts: 3,
    });
    const attempts = await t.app.get(MetricsService).registry.getSingleMetric('kwaizan_webhook_attempts_total')!.get();
    const retries = attempts.values.find((v) => v.labels.outcome === 'retry')?.value ?? 0;
    expect(retries).toBeGreaterThanOrEqual(2);
  });

  it('after the last attempt records a sync failure, and a replay from the log delivers it', async () => {
    const eventId = randomUUID();
    receiver.failures.set(eventId, ALWAYS);
    await raise('order.paid', 'order-4', eventId);
    const failed = await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'failed' && d));
    expect(failed).toMatchObject({ attempts: 3, lastError: 'answered HTTP 500' });
    expect(receiver.attempts.get(eventId)).toBe(3);
    const [failures] = await t.app.get(SyncFailureService).list({ context: 'webhooks' }, 1, 50);
    const failure = failures.find((f) => f.entityRef === failed.id);
    expect(failure).toMatchObject({
      status: 'open',
      replay: { kind: 'webhooks.deliver', data: { deliveryId: failed.id } },
    });

    receiver.failures.delete(eventId);
    await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantId}/webhooks/deliveries/${failed.id}/replay`)
      .set(asUser(owner))
      .expect(202);
    const [got] = await eventually(() => (receiver.of(eventId).length ? receiver.of(eventId) : undefined));
    expect(() => new Webhook(secret).verify(got.raw, got.headers as Record<string, string>)).not.toThrow();
    expect(await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'delivered' && d))).toBeTruthy();
    expect((await t.app.get(SyncFailureService).get(failure!.id)).status).toBe('resolved');
  });

  it('the sync failure replay (ops retry) sends a failed delivery once more', async () => {
    const eventId = randomUUID();
    receiver.failures.set(eventId, 3);
    await raise('order.paid', 'order-5', eventId);
    const failed = await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'failed' && d));
    const [failures] = await t.app.get(SyncFailureService).list({ context: 'webhooks' }, 1, 50);
    const failure = failures.find((f) => f.entityRef === failed.id)!;
    expect((await t.app.get(SyncFailureService).retry(failure.id)).status).toBe('resolved');
    expect(receiver.of(eventId)).toHaveLength(1);
    expect((await deliveryOf(eventId))?.status).toBe('delivered');
  });

  it('delivers the events of one subject in order: a later one waits while an earlier one is retried', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const other = randomUUID();
    receiver.gated.add(first);
    await raise('order.paid', 'order-6', first);
    await raise('order.shipped', 'order-6', second);
    await raise('order.paid', 'order-7', other);
    // Another subject is not held up by the retries; the later event of the same subject is.
    await eventually(() => receiver.of(other).length === 1, 15_000);
    expect(receiver.attempts.get(second)).toBeUndefined();
    expect((await deliveryOf(first))?.status).toBe('pending');
    receiver.gated.delete(first);
    await eventually(() => receiver.of(second).length === 1, 15_000);
    const [a] = receiver.of(first);
    const [b] = receiver.of(second);
    expect(a.at).toBeLessThanOrEqual(b.at);
    expect(receiver.attempts.get(first)).toBeGreaterThan(1);
    expect(receiver.attempts.get(second)).toBe(1);
  }, 30_000);

  it('a later event of a subject goes out once the earlier one has finally failed', async () => {
    const first = randomUUID();
    const second = randomUUID();
    receiver.failures.set(first, ALWAYS);
    await raise('order.paid', 'order-8', first);
    await raise('order.shipped', 'order-8', second);
    await eventually(() => receiver.of(second).length === 1, 15_000);
    expect((await deliveryOf(first))?.status).toBe('failed');
    expect(receiver.attempts.get(first)).toBe(3);
  }, 30_000);

  it('gives up an attempt at the hard deadline even while the endpoint keeps sending bytes', async () => {
    const eventId = randomUUID();
    receiver.trickle.add(eventId);
    await raise('order.paid', 'order-9', eventId);
    const d = await eventually(() => deliveryOf(eventId).then((x) => x?.status === 'failed' && x), 15_000);
    expect(d.lastError).toBe('no answer within 1000 ms');
    receiver.trickle.delete(eventId);
  }, 30_000);

  it('sends a delivery whose sender died mid-attempt once its claim expires; the dead attempt cannot overwrite the result', async () => {
    const eventId = randomUUID();
    const deliveries = t.app.get(OutboundDeliveryRepository);
    const id = deliveryIdOf(eventId, subscriptionId);
    const now = Date.now();
    // As a sender leaves it when it dies after claiming: claimed, attempt counted, due again when the claim expires.
    await t.app.get(Db).transaction(() =>
      deliveries.insertIfNew(
        Object.assign(new OutboundDeliveryEntity(), {
          id,
          subscriptionId,
          merchantId,
          eventId,
          eventType: 'order.paid',
          subject: 'order-crash',
          subjectSeq: 1,
          body: JSON.stringify({
            type: 'order.paid',
            timestamp: new Date(now).toISOString(),
            merchantId,
            subject: 'order-crash',
            data: {},
          }),
          status: 'pending',
          attempts: 1,
          nextAttemptAt: now + 400,
          claimToken: 'dead-sender',
          lastStatusCode: null,
          lastError: null,
          lastAttemptAt: now,
          deliveredAt: null,
          createdAt: now,
          updatedAt: now,
        }),
      ),
    );
    await t.app.get(WebhookSenderService).sweep();
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.attempts.get(eventId)).toBeUndefined();
    const [got] = await eventually(() => (receiver.of(eventId).length ? receiver.of(eventId) : undefined));
    expect(got.at).toBeGreaterThanOrEqual(now + 400);
    expect(await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'delivered' && d))).toMatchObject({
      attempts: 2,
    });
    const late = await deliveries.settle(
      id,
      'dead-sender',
      { status: 'failed', nextAttemptAt: now, lastStatusCode: 500, lastError: 'late', deliveredAt: null },
      Date.now(),
    );
    expect(late).toBe(false);
    expect((await deliveryOf(eventId))?.status).toBe('delivered');
  });

  it('after a rotation signs with the new and the old secret', async () => {
    const rotated = await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantId}/webhooks/subscriptions/${subscriptionId}/rotate`)
      .set(asSession(owner))
      .expect(201);
    const next = rotated.body.secret as string;
    expect(next).not.toBe(secret);
    expect(rotated.body.previousSecretUntil).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const eventId = await raise('order.paid', 'order-10');
    const [got] = await eventually(() => (receiver.of(eventId).length ? receiver.of(eventId) : undefined));
    expect(() => new Webhook(next).verify(got.raw, got.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(secret).verify(got.raw, got.headers as Record<string, string>)).not.toThrow();
    secret = next;
  });

  it('tells the ERP when a shop connection needs the merchant to authorize again', async () => {
    const connection = factory.connection({ id: randomUUID(), merchantId, shopId: `shop-${Date.now()}` });
    await t.app.get(Db).transaction(() => t.app.get(Db).manager.getRepository(ShopConnectionEntity).save(connection));
    await t.app.get(ConnectionsService).markNeedsReauth(connection.id, 'grant withdrawn');
    const got = await eventually(() =>
      receiver.received.find((r) => r.body.type === 'connection.needs_reauth' && r.body.subject === connection.id),
    );
    expect(() => new Webhook(secret).verify(got.raw, got.headers as Record<string, string>)).not.toThrow();
    expect(got.body.data).toMatchObject({
      connectionId: connection.id,
      platform: 'kuaishou',
      reason: 'grant withdrawn',
    });
  });

  it('answers bad input with field messages, and another merchant’s subscription with 404', async () => {
    const bad = await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantId}/webhooks/subscriptions`)
      .set(asSession(owner))
      .send({ url: 'ftp://erp.example.com', eventTypes: ['order.teleported'] })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('eventTypes');
    const scheme = await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantId}/webhooks/subscriptions`)
      .set(asSession(owner))
      .send({ url: 'ftp://erp.example.com', eventTypes: ['order.paid'] })
      .expect(400);
    expect(JSON.stringify(scheme.body)).toContain('url');

    const other = await createTestMerchant(t.app, 'Other merchant');
    const theirs = await request(t.app.getHttpServer())
      .post(`/api/merchants/${other.merchantId}/webhooks/subscriptions`)
      .set(asSession(other.owner))
      .send({ url: receiver.url, eventTypes: ['order.paid'] })
      .expect(201);
    await request(t.app.getHttpServer())
      .post(`/api/merchants/${merchantId}/webhooks/subscriptions/${theirs.body.id}/rotate`)
      .set(asSession(owner))
      .expect(404);
    await request(t.app.getHttpServer())
      .delete(`/api/merchants/${merchantId}/webhooks/subscriptions/${theirs.body.id}`)
      .set(asSession(owner))
      .expect(404);
    const list = await request(t.app.getHttpServer())
      .get(`/api/merchants/${merchantId}/webhooks/subscriptions`)
      .set(asUser(owner))
      .expect(200);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([subscriptionId]);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });

  it('delivers nothing more to a deleted subscription', async () => {
    await request(t.app.getHttpServer())
      .delete(`/api/merchants/${merchantId}/webhooks/subscriptions/${subscriptionId}`)
      .set(asSession(owner))
      .expect(204);
    const eventId = await raise('order.paid', 'order-11');
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.attempts.get(eventId)).toBeUndefined();
  });

  it('the page lists subscriptions and deliveries, and shows a new secret only once', async () => {
    const created = await request(t.app.getHttpServer())
      .post(`/merchants/${merchantId}/webhooks/subscriptions`)
      .set('cookie', owner.cookie)
      .type('form')
      .send({ _csrf: owner.csrf, url: receiver.url, eventTypes: 'order.paid', description: 'from the page' })
      .expect(200);
    const secretShown = /data-testid="issued-secret"[^]*?<code>(whsec_[^<]+)<\/code>/.exec(created.text)?.[1];
    expect(secretShown).toMatch(/^whsec_/);
    const eventId = await raise('order.paid', 'order-page');
    const [got] = await eventually(() => (receiver.of(eventId).length ? receiver.of(eventId) : undefined));
    expect(() => new Webhook(secretShown!).verify(got.raw, got.headers as Record<string, string>)).not.toThrow();
    await eventually(() => deliveryOf(eventId).then((d) => d?.status === 'delivered'));
    const shown = await request(t.app.getHttpServer())
      .get(`/merchants/${merchantId}/webhooks`)
      .set('cookie', owner.cookie)
      .expect(200);
    expect(shown.text).toContain('from the page');
    expect(shown.text).toContain('order-page');
    expect(shown.text).not.toContain('whsec_');
  });
});

describe('outbound webhook SSRF guard', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    t = await startTestApp({ label: 'webhooks_ssrf', env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } });
  });
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('refuses private, loopback and link-local URLs', async () => {
    const { merchantId, owner } = await createTestMerchant(t.app, 'SSRF merchant');
    for (const url of [receiver.url, 'http://10.0.0.5/hook', 'http://169.254.169.254/latest', 'http://localhost:9/x']) {
      const res = await request(t.app.getHttpServer())
        .post(`/api/merchants/${merchantId}/webhooks/subscriptions`)
        .set(asSession(owner))
        .send({ url, eventTypes: ['order.paid'] })
        .expect(400);
      expect(JSON.stringify(res.body)).toContain('url');
    }
  });
});
