import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Carrier } from '@app/platforms/carriers';
import { ChannelPushEvent, PushRejectedError } from '@app/platforms/ports/push.port';
import { KuaishouPushParser } from '@app/platforms/kuaishou/kuaishou-push.parser';
import { KuaishouHarness, seedItem, startKuaishouHarness, waitFor } from './kuaishou.harness';

interface Delivery {
  at: number;
  body: string;
  contentType: string | undefined;
  events: ChannelPushEvent[];
}

/** A push receiver as the service runs it: parse with KuaishouPushParser, answer the ack body. */
class Receiver {
  readonly deliveries: Delivery[] = [];
  /** Answers to give before acknowledging normally. */
  readonly scripted: { status: number; body: string }[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly parser: KuaishouPushParser) {}

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        let events: ChannelPushEvent[] = [];
        try {
          events = this.parser.parse({ rawBody, headers: req.headers });
        } catch (error) {
          if (!(error instanceof PushRejectedError)) throw error;
          res.writeHead(400).end();
          return;
        }
        this.deliveries.push({
          at: Date.now(),
          body: rawBody.toString('utf8'),
          contentType: req.headers['content-type'],
          events,
        });
        const scripted = this.scripted.shift();
        if (scripted) res.writeHead(scripted.status, { 'content-type': 'application/json' }).end(scripted.body);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(this.parser.ackBody);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/webhooks/kuaishou`;
  }

  events(): ChannelPushEvent[] {
    return this.deliveries.flatMap((d) => d.events);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('Kuaishou push delivery from the emulator', () => {
  let h: KuaishouHarness;
  let receiver: Receiver;
  beforeEach(async () => {
    h = await startKuaishouHarness();
    receiver = new Receiver(new KuaishouPushParser(h.config));
    await receiver.start();
    await h.control.setPush({ url: receiver.url, retryDelaysMs: [60, 60, 60] });
  });
  afterEach(async () => {
    await h.stop();
    await receiver.stop();
  });

  it('delivers order events encrypted as text/plain, decodable only with the message secret', async () => {
    const { itemId, skuIds } = await seedItem(h);
    const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
    await h.channels.fulfilment.shipOrder(h.shop, { orderId: order.oid, carrier: Carrier.SF, trackingNo: 'SF300' });
    await waitFor(() => receiver.events().length >= 3, 3_000, 'three order events');
    expect(receiver.events().map((e) => [e.kind, e.rawType, e.orderId, e.shopId])).toEqual([
      ['order', 'kwaishop_order_addOrder', order.oid, h.shop.shopId],
      ['order', 'kwaishop_order_paySuccess', order.oid, h.shop.shopId],
      ['order', 'kwaishop_order_delivering', order.oid, h.shop.shopId],
    ]);
    expect(receiver.events()[2].status).toBe('40');
    const delivery = receiver.deliveries[0];
    expect(delivery.contentType).toBe('text/plain;charset=utf-8');
    expect(delivery.body).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const stranger = new KuaishouPushParser({
      appKey: h.config.appKey,
      messageSecret: Buffer.from('another-16b-key!').toString('base64'),
    });
    expect(() => stranger.parse({ rawBody: Buffer.from(delivery.body), headers: {} })).toThrow(PushRejectedError);
    expect((await h.control.counters()).push).toMatchObject({ sent: 3, acknowledged: 3, failedAttempts: 0 });
  });

  it('delivers refund events with the refund and order ids', async () => {
    const { itemId, skuIds } = await seedItem(h);
    const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
    const refund = await h.control.createRefund({ oid: order.oid });
    await h.control.setRefundStatus(refund.refundId, 'succeed');
    await waitFor(
      () => receiver.events().some((e) => e.rawType === 'kwaishop_aftersales_updateRefund'),
      3_000,
      'the refund update',
    );
    const refundEvents = receiver.events().filter((e) => e.kind === 'refund');
    expect(refundEvents.map((e) => [e.rawType, e.refundId, e.orderId, e.status])).toEqual([
      ['kwaishop_aftersales_addRefund', refund.refundId, order.oid, '10'],
      ['kwaishop_aftersales_updateRefund', refund.refundId, order.oid, '60'],
    ]);
  });

  it('retries a delivery that was not acknowledged, with the same event id', async () => {
    receiver.scripted.push({ status: 500, body: 'oops' }, { status: 200, body: '{"result":0}' });
    const { itemId, skuIds } = await seedItem(h);
    await h.control.placeOrder({ itemId, skuId: skuIds[0] });
    await waitFor(() => receiver.deliveries.length >= 3, 3_000, 'the third attempt');
    const ids = receiver.events().map((e) => e.eventId);
    expect(new Set(ids).size).toBe(1);
    await waitFor(async () => (await h.control.counters()).push.acknowledged === 1, 2_000, 'the acknowledgement');
    expect((await h.control.counters()).push).toMatchObject({
      sent: 1,
      delivered: 3,
      failedAttempts: 2,
      acknowledged: 1,
    });
  });

  it('loses pushes when told to: the polling backstop has to find those orders', async () => {
    await h.control.setFaults({ push: { lossRate: 1 } });
    const { itemId, skuIds } = await seedItem(h);
    const order = await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.deliveries).toEqual([]);
    expect((await h.control.counters()).push).toMatchObject({ sent: 2, lost: 2 });
    const now = (await h.control.clock()).now;
    const polled = await h.channels.orders.listOrders(h.shop, { since: now - 60_000, until: now + 1, by: 'updated' });
    expect(polled.orders.map((o) => o.orderId)).toEqual([order.oid]);
  });

  it('duplicates pushes when told to, with one event id per duplicate pair', async () => {
    await h.control.setFaults({ push: { duplicateRate: 1 } });
    const { itemId, skuIds } = await seedItem(h);
    await h.control.placeOrder({ itemId, skuId: skuIds[0] });
    await waitFor(() => receiver.deliveries.length >= 2, 3_000, 'the duplicate');
    const [first, second] = receiver.events();
    expect(second.eventId).toBe(first.eventId);
    expect((await h.control.counters()).push).toMatchObject({ sent: 1, duplicated: 1 });
  });

  it('delays pushes when told to', async () => {
    await h.control.setFaults({ push: { delayMs: 300 } });
    const { itemId, skuIds } = await seedItem(h);
    const placedAt = Date.now();
    await h.control.placeOrder({ itemId, skuId: skuIds[0] });
    await waitFor(() => receiver.deliveries.length >= 1, 3_000, 'the delayed push');
    expect(receiver.deliveries[0].at - placedAt).toBeGreaterThanOrEqual(280);
  });

  it('sends heartbeats, encrypted or plain, that the parser recognises', async () => {
    await h.control.sendTestPush({ encrypted: true });
    await h.control.sendTestPush({ encrypted: false });
    await waitFor(() => receiver.deliveries.length >= 2, 3_000, 'two heartbeats');
    expect(receiver.events().map((e) => e.kind)).toEqual(['heartbeat', 'heartbeat']);
    expect(receiver.deliveries.map((d) => d.body.startsWith('{'))).toEqual([false, true]);
  });

  it('sends nothing for a shop that revoked the app', async () => {
    const { itemId, skuIds } = await seedItem(h);
    await h.control.revokeShop(h.shop.shopId);
    await h.control.placeOrder({ itemId, skuId: skuIds[0], pay: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.deliveries).toEqual([]);
    expect((await h.control.counters()).push.sent).toBe(0);
  });
});
