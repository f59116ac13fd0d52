import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelPushEvent, PushRejectedError } from '@app/platforms/ports/push.port';
import { YouzanPushParser } from '@app/platforms/youzan/youzan-push.parser';
import { CLIENT_ID, CLIENT_SECRET, startYouzanHarness, YouzanHarness } from './youzan-harness';

interface Delivery {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  events: ChannelPushEvent[];
  at: number;
}

/** A local push endpoint that verifies with the real YouzanPushParser and answers like our webhook would. */
class PushReceiver {
  readonly deliveries: Delivery[] = [];
  rejected = 0;
  /** msg_ids answered with a failure the first time they arrive. */
  failFirst = false;
  private readonly failedOnce = new Set<string>();
  private server?: Server;

  constructor(private readonly parser: YouzanPushParser) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        try {
          const events = this.parser.parse({ rawBody: raw, headers: req.headers });
          const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
          const msgId = String(body.msg_id);
          if (this.failFirst && !this.failedOnce.has(msgId)) {
            this.failedOnce.add(msgId);
            res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":0,"msg":"failed"}');
            return;
          }
          this.deliveries.push({ raw, headers: req.headers, body, events, at: Date.now() });
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(this.parser.ackBody);
        } catch (error) {
          if (error instanceof PushRejectedError) this.rejected++;
          res.writeHead(400).end('{"code":1,"msg":"rejected"}');
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/youzan`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  ofOrder(tid: string): Delivery[] {
    return this.deliveries.filter((d) => d.body.id === tid);
  }
}

async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for pushes');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Youzan push delivery to a local receiver', () => {
  let h: YouzanHarness;
  let receiver: PushReceiver;
  let kdtId: number;
  let skuId: string;

  beforeAll(async () => {
    h = await startYouzanHarness({ emulator: { pushRetryDelaysMs: [30, 30] } });
    receiver = new PushReceiver(new YouzanPushParser({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
    await h.control.setPush({ url: await receiver.start() });
    const shop = await h.connectShop('推送测试店');
    kdtId = Number(shop.shopId);
    skuId = (
      await h.control.createItem({ kdtId, title: '推送商品', skus: [{ itemNo: 'P-1', priceFen: 1000, stock: 100 }] })
    ).skus[0].skuId;
  });
  afterAll(async () => {
    await h.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    await h.control.resetFaults();
    await h.control.resetCounters();
    receiver.failFirst = false;
  });

  it('pushes the order lifecycle with a valid Event-Sign, decoded into order events', async () => {
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 2 }], pay: true });
    await h.control.shipOrder(order.tid);
    await h.control.completeOrder(order.tid);
    await waitFor(() => receiver.ofOrder(order.tid).length === 5);
    const types = receiver.ofOrder(order.tid).map((d) => d.body.type);
    expect([...types].sort()).toEqual([
      'trade_TradeBuyerPay',
      'trade_TradeCreate',
      'trade_TradePaid',
      'trade_TradeSellerShip',
      'trade_TradeSuccess',
    ]);
    for (const d of receiver.ofOrder(order.tid)) {
      expect(d.headers['event-type']).toBe(d.body.type);
      expect(d.headers['client-id']).toBe(CLIENT_ID);
      expect(d.events).toHaveLength(1);
      expect(d.events[0]).toMatchObject({
        platform: 'youzan',
        kind: 'order',
        orderId: order.tid,
        shopId: String(kdtId),
        eventId: d.body.msg_id,
      });
    }
    const buyerPay = receiver.ofOrder(order.tid).find((d) => d.body.type === 'trade_TradeBuyerPay');
    expect(buyerPay?.body.status).toBe('WAIT_SELLER_SEND_GOODS');
    // msg is URL-encoded JSON carrying the order structure, and body sign = md5(client_id + msg + secret).
    const decoded = JSON.parse(decodeURIComponent(String(buyerPay?.body.msg).replace(/\+/g, ' '))) as {
      full_order_info: { order_info: { tid: string } };
    };
    expect(decoded.full_order_info.order_info.tid).toBe(order.tid);
    expect(receiver.rejected).toBe(0);
  });

  it('rejects a tampered body or a different secret with the parser', async () => {
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 1 }] });
    await h.control.cancelOrder(order.tid);
    await waitFor(() => receiver.ofOrder(order.tid).length === 2);
    const close = receiver.ofOrder(order.tid).find((d) => d.body.type === 'trade_TradeClose') as Delivery;
    expect(close.events[0]).toMatchObject({ kind: 'order', status: 'TRADE_CLOSED' });
    const parser = new YouzanPushParser({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const tampered = Buffer.from(close.raw.toString('utf8').replace('"TRADE_CLOSED"', '"TRADE_SUCCESS"'));
    expect(() => parser.parse({ rawBody: tampered, headers: close.headers })).toThrow(PushRejectedError);
    const stranger = new YouzanPushParser({ clientId: CLIENT_ID, clientSecret: 'another-secret' });
    expect(() => stranger.parse({ rawBody: close.raw, headers: close.headers })).toThrow(PushRejectedError);
  });

  it('re-pushes with sendCount until the receiver answers success', async () => {
    receiver.failFirst = true;
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 1 }] });
    await waitFor(() => receiver.ofOrder(order.tid).length === 1);
    const [delivery] = receiver.ofOrder(order.tid);
    expect(delivery.body.sendCount).toBe(1);
    const counters = await h.control.counters();
    expect(counters.push).toMatchObject({ sent: 1, failedAttempts: 1, acknowledged: 1 });
  });

  it('loses pushes when push loss is injected', async () => {
    await h.control.setFaults({ push: { lossRate: 1 } });
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 1 }] });
    await sleep(150);
    expect(receiver.ofOrder(order.tid)).toHaveLength(0);
    expect((await h.control.counters()).push).toMatchObject({ sent: 1, lost: 1, delivered: 0 });
  });

  it('duplicates pushes when duplication is injected; both copies share the dedupe key', async () => {
    await h.control.setFaults({ push: { duplicateRate: 1 } });
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 1 }] });
    await waitFor(() => receiver.ofOrder(order.tid).length === 2);
    const [a, b] = receiver.ofOrder(order.tid);
    expect(a.events[0].eventId).toBe(b.events[0].eventId);
    expect((await h.control.counters()).push.duplicated).toBe(1);
  });

  it('delays pushes when a delay is injected', async () => {
    await h.control.setFaults({ push: { delayMs: 200 } });
    const started = Date.now();
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 1 }] });
    await waitFor(() => receiver.ofOrder(order.tid).length === 1);
    expect(receiver.ofOrder(order.tid)[0].at - started).toBeGreaterThanOrEqual(190);
  });

  it('sends test messages that parse as heartbeats', async () => {
    const { msgId } = await h.control.sendTestPush({ kdtId });
    await waitFor(() => receiver.deliveries.some((d) => d.body.msg_id === msgId));
    const test = receiver.deliveries.find((d) => d.body.msg_id === msgId) as Delivery;
    expect(test.body.test).toBe(true);
    expect(test.events[0]).toMatchObject({ kind: 'heartbeat', eventId: msgId });
  });

  it('pushes legacy refund messages as refund events', async () => {
    const order = await h.control.placeOrder({ kdtId, lines: [{ skuId, quantity: 1 }], pay: true });
    const { refundIds } = await h.control.createRefund({ tid: order.tid, status: 'SUCCESS' });
    await waitFor(
      () => receiver.ofOrder(order.tid).filter((d) => String(d.body.type).startsWith('trade_refund_')).length === 2,
    );
    const refunds = receiver.ofOrder(order.tid).filter((d) => String(d.body.type).startsWith('trade_refund_'));
    expect(refunds.map((d) => d.body.type).sort()).toEqual(['trade_refund_BuyerCreated', 'trade_refund_RefundSuccess']);
    expect(
      refunds.every(
        (d) =>
          d.events[0].kind === 'refund' && d.events[0].refundId === refundIds[0] && d.events[0].orderId === order.tid,
      ),
    ).toBe(true);
  });

  it('sends nothing for a shop whose authorization was revoked', async () => {
    const shop = await h.connectShop();
    const sku = (
      await h.control.createItem({
        kdtId: Number(shop.shopId),
        title: '撤销',
        skus: [{ itemNo: 'X', priceFen: 100, stock: 5 }],
      })
    ).skus[0].skuId;
    await h.control.revokeShop(Number(shop.shopId));
    const order = await h.control.placeOrder({ kdtId: Number(shop.shopId), lines: [{ skuId: sku, quantity: 1 }] });
    await sleep(100);
    expect(receiver.ofOrder(order.tid)).toHaveLength(0);
  });
});

describe('Youzan new-style refund pushes (youzan_trade_Refund*, msg as an object)', () => {
  it('delivers object msgs that the parser reads without URL-decoding', async () => {
    const h = await startYouzanHarness({ emulator: { refundPushStyle: 'new' } });
    const receiver = new PushReceiver(new YouzanPushParser({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }));
    try {
      await h.control.setPush({ url: await receiver.start() });
      const shop = await h.connectShop();
      const sku = (
        await h.control.createItem({
          kdtId: Number(shop.shopId),
          title: '新退款',
          skus: [{ itemNo: 'N', priceFen: 990, stock: 5 }],
        })
      ).skus[0].skuId;
      const order = await h.control.placeOrder({
        kdtId: Number(shop.shopId),
        lines: [{ skuId: sku, quantity: 1 }],
        pay: true,
      });
      const { refundIds } = await h.control.createRefund({ tid: order.tid, status: 'SUCCESS' });
      await waitFor(
        () =>
          receiver.ofOrder(order.tid).filter((d) => String(d.body.type).startsWith('youzan_trade_Refund')).length === 2,
      );
      const success = receiver.ofOrder(order.tid).find((d) => d.body.type === 'youzan_trade_RefundSuccess') as Delivery;
      expect(typeof success.body.msg).toBe('object');
      expect(success.body.msg).toMatchObject({ refunded_fee: '9.90', refund_type: 'REFUND_ONLY' });
      expect(success.events[0]).toMatchObject({ kind: 'refund', refundId: refundIds[0], orderId: order.tid });
    } finally {
      await h.close();
      await receiver.stop();
    }
  });
});
