import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { WebhookSubscriptionsService } from '@app/webhooks/outbound/webhook-subscriptions.service';
import { eventually } from '@test/support/test-app';
import { PricingHarness } from '@test/support/pricing-harness';

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  body: { type: string; subject: string; data: Record<string, unknown> };
}

/** The merchant's ERP endpoint: records what arrives. */
class Receiver {
  readonly received: Received[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ raw, headers: req.headers, body: JSON.parse(raw) as Received['body'] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A parity violation found by the audit reaches the merchant's subscribed endpoint as `price.parity_violation`. */
describe('price parity violations as outbound webhook events', () => {
  let h: PricingHarness;
  let receiver: Receiver;
  let secret: string;

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    h = await PricingHarness.start('pricing-webhook', {
      label: 'pricing-webhook',
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
    });
    // Subscribing is a signed-in owner's form (session only); the service is the same one it calls.
    ({ secret } = await h.stack.t.app.get(WebhookSubscriptionsService).create(h.merchantId, {
      url: receiver.url,
      eventTypes: ['price.parity_violation'],
      description: 'ERP',
    }));
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await receiver?.stop();
  });

  const api = (path: string, method = 'GET', body?: unknown) => h.api(path, method, body);
  const audit = () => h.audit();

  const violations = (subject: string) =>
    receiver.received.filter((r) => r.body.type === 'price.parity_violation' && r.body.subject === subject);

  it('sends one signed event per observed violation of a back-office edit, not one per audit', async () => {
    const sku = await h.sku('PRICE-HOOK', { onHand: 5 });
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    await audit();
    expect(violations(sku.merchantSkuId)).toEqual([]);
    // The merchant raises Kuaishou by 25 % in the back office.
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    const got = await eventually(() => violations(sku.merchantSkuId)[0], 60_000, 50);
    expect(() => new Webhook(secret).verify(got.raw, got.headers as Record<string, string>)).not.toThrow();
    expect(got.body.data).toMatchObject({
      skuCode: sku.code,
      prices: { kuaishou: 12_375, youzan: 9900 },
      spreadBp: 2500,
      // No merchant discount running: the effective spread is the list-price spread.
      effectivePrices: { kuaishou: 12_375, youzan: 9900 },
      effectiveSpreadBp: 2500,
      limitBp: 1000,
      action: 'alert',
    });
    // Audited again with the same prices: no second event.
    await audit();
    await audit();
    const rows = await h.db.dataSource.query(
      "SELECT COUNT(*) AS n FROM webhook_outbound_delivery WHERE event_type = 'price.parity_violation' AND subject = ?",
      [sku.merchantSkuId],
    );
    expect(Number(rows[0].n)).toBe(1);
    expect(violations(sku.merchantSkuId)).toHaveLength(1);
    // Another edit is another observation: a second event with the new prices.
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 13_000 });
    await audit();
    const second = await eventually(() => violations(sku.merchantSkuId)[1], 60_000, 50);
    expect(second.body.data).toMatchObject({ prices: { kuaishou: 13_000, youzan: 9900 } });
    expect(second.headers['webhook-id']).not.toBe(got.headers['webhook-id']);
  }, 180_000);

  it('carries the effective spread after the merchant-funded discount running on each platform', async () => {
    const sku = await h.sku('PRICE-HOOK-EFF', { onHand: 5 });
    expect(
      (await api(`/skus/${sku.code}/price-policy`, 'PUT', { master: 'youzan', auditAction: 'alert' })).status,
    ).toBe(200);
    // ¥20 off from ¥105: on both platforms' coupons, but only a price from ¥105 on gets it.
    const now = Date.now();
    const campaign = await api('/campaigns', 'POST', {
      name: 'Spread check 20 off',
      discountFen: 2000,
      thresholdFen: 10_500,
      budget: 10,
      perBuyerLimit: 1,
      startsAt: now - 3_600_000,
      endsAt: now + 86_400_000,
    });
    expect(campaign.status).toBe(201);
    expect(((await campaign.json()) as { status: string }).status).toBe('live');
    await h.stack.ksControl.setSku(sku.ks.itemId, sku.ks.skuId, { price: 12_375 });
    await audit();
    const got = await eventually(() => violations(sku.merchantSkuId)[0], 60_000, 50);
    // Kuaishou 123.75 − 20 = 103.75 against Youzan 99.00 (below the threshold): 4.80 %.
    expect(got.body.data).toMatchObject({
      prices: { kuaishou: 12_375, youzan: 9900 },
      spreadBp: 2500,
      effectivePrices: { kuaishou: 10_375, youzan: 9900 },
      effectiveSpreadBp: 480,
    });
    const drift = await h.db.dataSource.query(
      "SELECT effective_spread_bp FROM price_drift WHERE merchant_sku_id = ? AND platform = 'kuaishou'",
      [sku.merchantSkuId],
    );
    expect(drift.map((d: { effective_spread_bp: number }) => Number(d.effective_spread_bp))).toEqual([480]);
  }, 180_000);
});
