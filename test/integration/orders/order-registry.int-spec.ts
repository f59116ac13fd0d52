import { randomUUID } from 'node:crypto';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';
import { Clock, CLOCK } from '@app/common/clock';
import { OutboxRelay } from '@app/messaging/outbox/outbox.relay';
import { ShipDeadlineJob } from '@app/orders/jobs/ship-deadline.job';
import { ErpKey } from '@test/support/erp';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

const HOUR = 3_600_000;

interface OrderBody {
  id: string;
  platform: string;
  platformOrderId: string;
  erpOrderId: string | null;
  status: string;
  matchedBy?: string;
  paidAt: number | null;
  deadline: { at: number | null; source: string | null; risk: string | null; riskRaised: string | null };
  buyer: { name: string | null; phone: string | null; address: string | null; encrypted: boolean };
  lines: { lineId: string; quantity: number; paidFen: number }[];
  statusCode?: number;
  code?: string;
  fields?: { field: string; messages: string[] }[];
}

/**
 * The order registry seen from outside: orders the emulators hold, found by every id, linked to
 * the ERP's ids, held to their ship deadlines, and repaired by the reconciler.
 */
describe('order registry', () => {
  let h: InventoryHarness;
  let sku: SkuFixture;

  beforeAll(async () => {
    h = await InventoryHarness.start('orderreg');
    sku = await h.sku('REG-1', { onHand: 500, mode: 'split' });
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await h.stack.ksControl.resetFaults();
    await h.stack.yzControl.resetFaults();
  });

  async function api<T = OrderBody>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...h.auth },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async function sendErp(
    path: string,
    payload: unknown,
    key: ErpKey = h.erpKey,
    deliveryId = randomUUID(),
  ): Promise<{ status: number; body: { duplicate: boolean; results: { orderId: string; outcome: string }[] } }> {
    const raw = JSON.stringify(payload);
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${h.stack.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [ERP_HEADERS.keyId]: key.keyId,
        [ERP_HEADERS.timestamp]: String(ts),
        [ERP_HEADERS.delivery]: deliveryId,
        [ERP_HEADERS.signature]: signErpPayload(key.secret, ts, deliveryId, raw),
      },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as never };
  }

  /** Two paid orders, one per platform, read by the service (pushes, then the poll backstop). */
  async function buyBoth(quantity = 1): Promise<{ oid: string; tid: string; yzLineOid: string }> {
    const ks = await h.stack.ksControl.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity, pay: true });
    const yz = await h.stack.yzControl.placeOrder({
      kdtId: Number(h.shops.youzan),
      lines: [{ skuId: sku.yz.skuId, quantity }],
      pay: true,
    });
    await h.poll();
    await h.quiet();
    return { oid: ks.oid, tid: yz.tid, yzLineOid: yz.lines[0].oid };
  }

  /** Merchant events raised on the merchant-event-raised contract for one order. */
  async function raised(orderId: string): Promise<{ type: string; eventId: string; data: Record<string, unknown> }[]> {
    const rows = (await h.db.dataSource.query(
      'SELECT payload FROM outbox_event WHERE topic = ? AND event_key = ? ORDER BY id',
      ['kwaizan.webhooks.merchant-event-raised.v1', `${h.merchantId}:${orderId}`],
    )) as { payload: string }[];
    return rows.map((r) => JSON.parse(r.payload) as { type: string; eventId: string; data: Record<string, unknown> });
  }

  it('finds an order by every id: internal, Kuaishou oid, Youzan tid and line oid, and the ERP id', async () => {
    const { oid, tid, yzLineOid } = await buyBoth();
    const ksOrder = await api('GET', `/orders/${oid}`);
    expect(ksOrder.status).toBe(200);
    expect(ksOrder.body).toMatchObject({ platform: 'kuaishou', platformOrderId: oid, matchedBy: 'platform_order' });
    expect(ksOrder.body.lines).toEqual([expect.objectContaining({ lineId: oid, quantity: 1 })]);
    const yzOrder = await api('GET', `/orders/${tid}`);
    expect(yzOrder.body).toMatchObject({ platform: 'youzan', platformOrderId: tid, matchedBy: 'platform_order' });

    expect((await api('GET', `/orders/${ksOrder.body.id}`)).body).toMatchObject({
      platformOrderId: oid,
      matchedBy: 'internal',
    });
    expect((await api('GET', `/orders/${yzLineOid}`)).body).toMatchObject({
      platformOrderId: tid,
      matchedBy: 'platform_line',
    });

    // The ERP's id, through the API and through the signed ERP webhook.
    const set = await api('PUT', `/orders/${oid}/erp-order-id`, { erpOrderId: `ERP-KS-${oid}` });
    expect(set.status).toBe(200);
    expect(set.body.erpOrderId).toBe(`ERP-KS-${oid}`);
    const delivery = randomUUID();
    const linked = await sendErp(
      '/webhooks/erp/orders',
      { orders: [{ orderId: yzLineOid, erpOrderId: `ERP-YZ-${tid}` }] },
      h.erpKey,
      delivery,
    );
    expect(linked.status).toBe(200);
    expect(linked.body.results).toEqual([expect.objectContaining({ outcome: 'linked' })]);
    expect((await api('GET', `/orders/ERP-KS-${oid}`)).body).toMatchObject({ platformOrderId: oid, matchedBy: 'erp' });
    expect((await api('GET', `/orders/ERP-YZ-${tid}`)).body).toMatchObject({ platformOrderId: tid, matchedBy: 'erp' });
    const listed = await api<{ items: OrderBody[]; total: number }>('GET', `/orders?id=ERP-YZ-${tid}`);
    expect(listed.body.items.map((o) => o.platformOrderId)).toEqual([tid]);

    // A repeated delivery is recognised; an ERP id another order holds is refused, never moved.
    expect(
      (await sendErp('/webhooks/erp/orders', { orders: [{ orderId: tid, erpOrderId: 'X' }] }, h.erpKey, delivery)).body,
    ).toMatchObject({ duplicate: true, results: [] });
    const clash = await sendErp('/webhooks/erp/orders', { orders: [{ orderId: tid, erpOrderId: `ERP-KS-${oid}` }] });
    expect(clash.body.results).toEqual([expect.objectContaining({ outcome: 'conflict' })]);
    expect((await api('PUT', `/orders/${tid}/erp-order-id`, { erpOrderId: `ERP-KS-${oid}` })).status).toBe(409);
    expect((await api('GET', `/orders/${tid}`)).body.erpOrderId).toBe(`ERP-YZ-${tid}`);
    const unknown = await sendErp('/webhooks/erp/orders', {
      orders: [{ orderId: 'NO-SUCH-ORDER', erpOrderId: 'E-1' }],
    });
    expect(unknown.body.results).toEqual([expect.objectContaining({ outcome: 'not_found' })]);

    // Bad input: 4xx with the field named; unknown ids are 404.
    const bad = await api('PUT', `/orders/${oid}/erp-order-id`, { erpOrderId: 'has spaces' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields?.map((f) => f.field)).toEqual(['erpOrderId']);
    const badHook = await sendErp('/webhooks/erp/orders', { orders: [{ orderId: '', erpOrderId: 'E' }] });
    expect(badHook.status).toBe(400);
    expect((await api('GET', '/orders/NO-SUCH-ORDER')).status).toBe(404);
    expect((await api('GET', '/orders?status=lost')).status).toBe(400);
  });

  it('stores the buyer only as the platform delivered it (masked, ciphertext kept, never decrypted)', async () => {
    const { oid, tid } = await buyBoth();
    const ks = (await api('GET', `/orders/${oid}`)).body;
    const yz = (await api('GET', `/orders/${tid}`)).body;
    for (const buyer of [ks.buyer, yz.buyer]) {
      expect(buyer.name).toMatch(/\*/);
      expect(buyer.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(buyer.address).toMatch(/\*/);
    }
    // Kuaishou also sends ciphertexts; they are kept as sent (for its decrypt API), not shown.
    expect(ks.buyer.encrypted).toBe(true);
    expect(yz.buyer.encrypted).toBe(false);
    const [stored] = (await h.db.dataSource.query('SELECT buyer_encrypted FROM channel_order WHERE id = ?', [
      ks.id,
    ])) as { buyer_encrypted: string }[];
    expect(JSON.parse(stored.buyer_encrypted).phone).toMatch(/^\$.+\$$/);
  });

  it('raises created and paid once per order on the merchant-event contract, then shipped and cancelled', async () => {
    const { oid, tid } = await buyBoth();
    const ks = (await api('GET', `/orders/${oid}`)).body;
    const yz = (await api('GET', `/orders/${tid}`)).body;
    expect((await raised(ks.id)).map((e) => e.type)).toEqual(['order.created', 'order.paid']);
    expect((await raised(yz.id)).map((e) => e.type)).toEqual(['order.created', 'order.paid']);

    await h.stack.ksControl.shipOrder(oid);
    await h.stack.yzControl.cancelOrder(tid);
    await h.poll();
    await h.quiet();
    await h.poll();
    await h.quiet();
    const ksEvents = await raised(ks.id);
    expect(ksEvents.map((e) => e.type)).toEqual(['order.created', 'order.paid', 'order.shipped']);
    expect(ksEvents[2].data).toMatchObject({ platformOrderId: oid, status: 'shipped', previousStatus: 'paid' });
    expect((await raised(yz.id)).map((e) => e.type)).toEqual(['order.created', 'order.paid', 'order.cancelled']);
    expect(new Set(ksEvents.map((e) => e.eventId)).size).toBe(3);
  });

  it('holds orders to their deadline, raises 12 h and overdue once each, and reports the on-time rate', async () => {
    // Youzan sets no ship-by: this shop promises 24 h; Kuaishou's own ship-by is pay + the item's 48 h.
    const policy = await api('PUT', `/connections/${h.connections.youzan.id}/ship-policy`, { promiseHours: 24 });
    expect(policy.status).toBe(200);
    expect((await api('PUT', `/connections/${h.connections.youzan.id}/ship-policy`, { promiseHours: 0 })).status).toBe(
      400,
    );
    const { oid, tid } = await buyBoth();
    const ksPlatform = await h.stack.ksControl.getOrder(oid);
    const ks = (await api('GET', `/orders/${oid}`)).body;
    const yz = (await api('GET', `/orders/${tid}`)).body;
    expect(ks.deadline).toMatchObject({ at: ksPlatform.validPromiseShipmentTimeStamp, source: 'platform', risk: null });
    expect(yz.deadline).toMatchObject({ at: yz.paidAt! + 24 * HOUR, source: 'policy', risk: null });

    // 37 h later: Kuaishou has 11 h left, Youzan is 13 h overdue.
    const clock = h.stack.t.app.get<Clock>(CLOCK);
    const real = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => real() + 37 * HOUR);
    const job = h.stack.t.app.get(ShipDeadlineJob);
    expect(await job.enqueue()).toBeGreaterThanOrEqual(2);
    await h.stack.t.app.get(OutboxRelay).drain(30_000);
    expect((await api('GET', `/orders/${oid}`)).body.deadline).toMatchObject({ risk: 'h12', riskRaised: 'h12' });
    expect((await api('GET', `/orders/${tid}`)).body.deadline).toMatchObject({
      risk: 'overdue',
      riskRaised: 'overdue',
    });
    const atRisk = await api<{ items: OrderBody[] }>('GET', '/orders?risk=overdue');
    expect(atRisk.body.items.map((o) => o.platformOrderId)).toContain(tid);
    expect(atRisk.body.items.map((o) => o.platformOrderId)).not.toContain(oid);

    // Raised once: the next run finds nothing new for them.
    await job.enqueue();
    await h.stack.t.app.get(OutboxRelay).drain(30_000);
    const risk = (await raised(ks.id)).filter((e) => e.type === 'order.deadline_risk');
    expect(risk.map((e) => e.data.level)).toEqual(['h12']);
    expect((await raised(yz.id)).filter((e) => e.type === 'order.deadline_risk').map((e) => e.data.level)).toEqual([
      'overdue',
    ]);
    jest.restoreAllMocks();

    // Kuaishou ships in time; the Youzan order stays overdue. Judged 37 h on.
    await h.stack.ksControl.shipOrder(oid);
    await h.poll();
    await h.quiet();
    jest.spyOn(clock, 'now').mockImplementation(() => real() + 37 * HOUR);
    const rates = await api<{ platform: string; onTime: number; late: number }[]>('GET', '/orders/on-time-rate?days=7');
    expect(rates.status).toBe(200);
    const ksRate = rates.body.find((r) => r.platform === 'kuaishou')!;
    const yzRate = rates.body.find((r) => r.platform === 'youzan')!;
    expect(ksRate.late).toBe(0);
    expect(ksRate.onTime).toBeGreaterThanOrEqual(1);
    expect(yzRate.late).toBeGreaterThanOrEqual(1);
    const pageRes = await fetch(`${h.stack.url}/merchants/${h.merchantId}/orders?id=${tid}`, { headers: h.auth });
    expect(pageRes.status).toBe(200);
    const body = await pageRes.text();
    expect(body).toContain(`data-testid="order-${tid}"`);
    expect(body).toContain('Overdue');
    await api('PUT', `/connections/${h.connections.youzan.id}/ship-policy`, { promiseHours: 48 });
  });

  it('reads a Kuaishou ship-by of 0 as "must not ship": no deadline, the hold shown, no risk raised', async () => {
    const { oid } = await buyBoth();
    await h.stack.ksControl.setOrderFlags(oid, { noPromise: true });
    await h.poll();
    await h.quiet();
    expect((await h.stack.ksControl.getOrder(oid)).validPromiseShipmentTimeStamp).toBe(0);
    const held = (await api('GET', `/orders/${oid}`)).body as OrderBody & { deadline: { holds: string[] } };
    expect(held.deadline).toMatchObject({ at: null, source: null, risk: null });
    expect(held.deadline.holds).toContain('no_valid_promise');
    const clock = h.stack.t.app.get<Clock>(CLOCK);
    const real = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => real() + 100 * HOUR);
    await h.stack.t.app.get(ShipDeadlineJob).enqueue();
    await h.stack.t.app.get(OutboxRelay).drain(30_000);
    expect((await raised(held.id)).filter((e) => e.type === 'order.deadline_risk')).toEqual([]);
  });

  it('reconciles: repairs an order whose push was lost and one whose status drifted, and records both', async () => {
    const { tid } = await buyBoth();
    await h.stack.ksControl.setFaults({ push: { lossRate: 1 } });
    await h.stack.yzControl.setFaults({ push: { lossRate: 1 } });
    const lost = await h.stack.ksControl.placeOrder({
      itemId: sku.ks.itemId,
      skuId: sku.ks.skuId,
      quantity: 1,
      pay: true,
    });
    await h.stack.yzControl.cancelOrder(tid);
    await h.quiet();
    expect((await api('GET', `/orders/${lost.oid}`)).status).toBe(404);
    expect((await api('GET', `/orders/${tid}`)).body.status).toBe('paid');

    const asked = await api<{ shops: number }>('POST', '/orders/reconcile');
    expect(asked.status).toBe(202);
    expect(asked.body.shops).toBe(2);
    await h.quiet();

    // The registry now matches what the platforms show.
    const ksPlatform = await h.stack.ksControl.getOrder(lost.oid);
    const yzPlatform = await h.stack.yzControl.getOrder(tid);
    expect(yzPlatform.status).toBe('TRADE_CLOSED');
    expect((await api('GET', `/orders/${lost.oid}`)).body).toMatchObject({
      status: 'paid',
      paidAt: ksPlatform.payTime,
    });
    expect((await api('GET', `/orders/${tid}`)).body.status).toBe('cancelled');

    const runs = await api<
      {
        platform: string;
        missing: number;
        drifted: number;
        repaired: number;
        status: string;
        details: { platformOrderId: string; kind: string }[];
      }[]
    >('GET', '/orders/reconciliations');
    expect(runs.status).toBe(200);
    const ksRun = runs.body.find((r) => r.platform === 'kuaishou')!;
    const yzRun = runs.body.find((r) => r.platform === 'youzan')!;
    expect(ksRun).toMatchObject({ missing: 1, drifted: 0, repaired: 1, status: 'repaired' });
    expect(ksRun.details).toEqual([expect.objectContaining({ platformOrderId: lost.oid, kind: 'missing' })]);
    expect(yzRun).toMatchObject({ missing: 0, drifted: 1, repaired: 1, status: 'repaired' });
    expect(yzRun.details).toEqual([expect.objectContaining({ platformOrderId: tid, kind: 'drifted' })]);

    // A second run finds nothing to repair.
    await api('POST', '/orders/reconcile');
    await h.quiet();
    const again = (
      await api<{ platform: string; missing: number; drifted: number; status: string }[]>(
        'GET',
        '/orders/reconciliations?limit=2',
      )
    ).body;
    expect(again.map((r) => [r.missing, r.drifted, r.status])).toEqual([
      [0, 0, 'ok'],
      [0, 0, 'ok'],
    ]);
  });
});
