import { ChannelRefundEntity } from '@app/orders/after-sales/channel-refund.entity';
import { OrderPollService } from '@app/orders/order-poll.service';
import type { CountersSnapshot } from '@app/sandbox/shared/counters';
import { ownerOf } from '@test/support/sandbox-stack';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

/**
 * Seller actions on refunds against both emulators: each judged by the emulator's own refund and
 * stock, each sent once however often it is asked for.
 */
interface Answer {
  repeated?: boolean;
  message?: string;
  refund: { status: string };
  fields: { field: string }[];
  actions: string[];
}

const json = async (res: Response): Promise<Answer> => (await res.json()) as Answer;

describe('after-sales: seller refund actions', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('refund-actions');
  });

  afterAll(async () => {
    await h?.close();
  });

  async function settle(): Promise<void> {
    const poller = h.stack.t.app.get(OrderPollService);
    await poller.poll(h.connections.kuaishou.id);
    await poller.poll(h.connections.youzan.id);
    await h.quiet();
  }

  async function registryId(platformRefundId: string): Promise<string> {
    return (await h.db.dataSource.manager.findOneByOrFail(ChannelRefundEntity, { platformRefundId })).id;
  }

  function act(refundId: string, body: object): Promise<Response> {
    return fetch(`${h.stack.url}/api/merchants/${h.merchantId}/refunds/${refundId}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...h.auth },
      body: JSON.stringify(body),
    });
  }

  /** Calls the emulator answered for one API (the counter keys may carry a version). */
  function callsOf(counters: CountersSnapshot, api: string): number {
    return Object.entries(counters.calls)
      .filter(([key]) => key.includes(api))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  /** `open.refund.reject` itself (not its reason list). */
  function rejectCalls(counters: CountersSnapshot): number {
    return Object.entries(counters.calls)
      .filter(([key]) => key.includes('open.refund.reject') && !key.includes('open.refund.reject.reason'))
      .reduce((sum, [, n]) => sum + n, 0);
  }

  /** A fresh SKU (10 on hand, split) and a paid Kuaishou order of it, known to the service. */
  async function ksOrder(code: string, quantity: number): Promise<{ sku: SkuFixture; oid: string }> {
    const sku = await h.sku(code, { onHand: 10, mode: 'split' });
    const order = await h.stack.ksControl.placeOrder({
      itemId: sku.ks.itemId,
      skuId: sku.ks.skuId,
      quantity,
      pay: true,
    });
    await settle();
    return { sku, oid: order.oid };
  }

  /** The buyer asks for a refund that puts the units back on sale; answered with the emulator's and the registry's ids. */
  async function ksRefund(oid: string, options: { handlingWay?: number } = {}) {
    const refund = await h.stack.ksControl.createRefund({ oid, ...options, restock: true });
    await settle();
    return { refund, id: await registryId(refund.refundId) };
  }

  async function shown(sku: SkuFixture): Promise<number> {
    const stock = await h.platformStock(sku);
    return stock.kuaishou + stock.youzan;
  }

  describe('Kuaishou', () => {
    it('agrees a refund once: the platform pays out, the units go back on sale, a repeat sends nothing', async () => {
      const { sku, oid } = await ksOrder('RA-KS-1', 2);
      expect(await shown(sku)).toBe(8);
      const { refund, id } = await ksRefund(oid);
      const listed = await json(
        await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/refunds/${id}`, { headers: h.auth }),
      );
      expect(listed.actions).toEqual(['agree', 'refuse']);
      await h.stack.ksControl.resetCounters();

      // A double click: two requests at once, then a third after the fact.
      const [a, b] = await Promise.all([act(id, { action: 'agree' }), act(id, { action: 'agree' })]);
      const answers = [a.status, b.status].sort();
      expect(answers[0]).toBe(200);
      expect([200, 409]).toContain(answers[1]);
      const again = await act(id, { action: 'agree' });
      expect(again.status).toBe(200);
      expect((await json(again)).repeated).toBe(true);

      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(60);
      expect(callsOf(await h.stack.ksControl.counters(), 'open.seller.order.refund.approve')).toBe(1);
      await settle();
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 0 });
      expect(await shown(sku)).toBe(10);
      const row = await h.db.dataSource.manager.findOneByOrFail(ChannelRefundEntity, { id });
      expect(row).toMatchObject({ status: 'succeeded', restockUnits: 2 });
      const journal = await (
        await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/refunds/${id}/actions`, { headers: h.auth })
      ).json();
      expect(journal).toEqual([expect.objectContaining({ action: 'agree', status: 'applied', statusAfter: '60' })]);
    });

    it('agrees a return, then confirms the goods received: only then is the refund paid', async () => {
      const { oid } = await ksOrder('RA-KS-2', 1);
      const { refund, id } = await ksRefund(oid, { handlingWay: 1 });

      const plainAgree = await act(id, { action: 'agree' });
      expect(plainAgree.status).toBe(422);
      expect((await json(plainAgree)).message).toMatch(/agree_return/);
      // The return address must be one of the shop's own (open.address.seller.list), checked before sending.
      const options = (await (
        await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/refunds/${id}/action-options`, { headers: h.auth })
      ).json()) as { returnAddresses: { addressId: string; isDefault: boolean }[] };
      const home = options.returnAddresses.find((a) => a.isDefault)!;
      expect(home).toBeDefined();
      const foreign = await act(id, { action: 'agree_return', returnAddressId: '123456' });
      expect(foreign.status).toBe(400);
      expect((await json(foreign)).fields).toEqual([expect.objectContaining({ field: 'returnAddressId' })]);
      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(10);
      expect((await act(id, { action: 'agree_return', returnAddressId: home.addressId })).status).toBe(200);
      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(30);
      // Nothing to confirm before the buyer has sent the goods.
      expect((await act(id, { action: 'confirm_received' })).status).toBe(422);

      await h.stack.ksControl.buyerReturned(refund.refundId);
      const confirmed = await act(id, { action: 'confirm_received' });
      expect(confirmed.status).toBe(200);
      expect((await json(confirmed)).refund.status).toBe('succeeded');
      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(60);
    });

    it('refuses with a reason and code; a refusal without them is a 400 that sends nothing', async () => {
      const { sku, oid } = await ksOrder('RA-KS-3', 1);
      const { refund, id } = await ksRefund(oid);
      await h.stack.ksControl.resetCounters();

      const bare = await act(id, { action: 'refuse' });
      expect(bare.status).toBe(400);
      expect((await json(bare)).fields.map((f: { field: string }) => f.field).sort()).toEqual(['reason', 'reasonCode']);
      expect((await act(id, { action: 'refuse', reason: 'x', reasonCode: 'one' })).status).toBe(400);
      // The codes are Kuaishou's own list for this refund (open.refund.reject.reason), offered and checked.
      const options = (await (
        await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/refunds/${id}/action-options`, { headers: h.auth })
      ).json()) as { refusalReasons: { code: number; text: string }[] };
      expect(options.refusalReasons).toEqual(expect.arrayContaining([{ code: 11, text: '商品已发出' }]));
      const unknown = await act(id, { action: 'refuse', reason: '商品已发出', reasonCode: 3 });
      expect(unknown.status).toBe(400);
      expect((await json(unknown)).fields).toEqual([
        {
          field: 'reasonCode',
          messages: [expect.stringMatching(/^3 is not one of kuaishou's reason codes.*11 \(商品已发出\)/)],
        },
      ]);
      expect(rejectCalls(await h.stack.ksControl.counters())).toBe(0);

      const refused = await act(id, { action: 'refuse', reason: '商品已发出', reasonCode: 11 });
      expect(refused.status).toBe(200);
      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(12);
      expect((await json(refused)).refund.status).toBe('refused');
      // Refused: agreeing now is not offered, and nothing moved the stock.
      expect((await act(id, { action: 'agree' })).status).toBe(422);
      await settle();
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 1 });
    });
  });

  describe('Youzan', () => {
    /** A fresh SKU, a paid Youzan order of it and a refund asked that restocks, all known to the service. */
    async function yzRefund(code: string, quantity: number, options: { returnGoods?: boolean } = {}) {
      const sku = await h.sku(code, { onHand: 10, mode: 'split' });
      const { tid } = await h.stack.yzControl.placeOrder({
        kdtId: Number(h.shops.youzan),
        lines: [{ skuId: sku.yz.skuId, quantity }],
        pay: true,
      });
      await settle();
      const { refundIds } = await h.stack.yzControl.createRefund({ tid, ...options, restock: true });
      await settle();
      return { sku, refundIds, id: await registryId(refundIds[0]) };
    }

    it('agrees a refund at its latest version, once', async () => {
      const { sku, refundIds, id } = await yzRefund('RA-YZ-1', 2);
      await h.stack.yzControl.resetCounters();

      expect((await act(id, { action: 'agree' })).status).toBe(200);
      const again = await act(id, { action: 'agree' });
      expect(again.status).toBe(200);
      expect((await json(again)).repeated).toBe(true);
      expect((await h.stack.yzControl.getRefund(refundIds[0])).status).toBe('SUCCESS');
      expect(callsOf(await h.stack.yzControl.counters(), 'youzan.trade.refund.agree')).toBe(1);
      await settle();
      expect(await h.ledger(sku)).toEqual({ onHand: 10, reserved: 0 });
      expect(await shown(sku)).toBe(10);
    });

    it('agrees a return to the given address, then confirms the goods by agreeing the refund', async () => {
      const { refundIds, id } = await yzRefund('RA-YZ-2', 1, { returnGoods: true });

      const noAddress = await act(id, { action: 'agree_return' });
      expect(noAddress.status).toBe(400);
      expect((await json(noAddress)).fields).toEqual([expect.objectContaining({ field: 'returnAddress' })]);
      // Youzan lists no return addresses and takes no refusal code: both offered as null.
      const options = await (
        await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/refunds/${id}/action-options`, { headers: h.auth })
      ).json();
      expect(options).toMatchObject({ platform: 'youzan', refusalReasons: null, returnAddresses: null });
      const coded = await act(id, { action: 'refuse', reason: '不同意', reasonCode: 11 });
      expect(coded.status).toBe(400);
      expect((await json(coded)).fields).toEqual([expect.objectContaining({ field: 'reasonCode' })]);
      const partial = await act(id, {
        action: 'agree_return',
        returnAddress: { name: '仓库', mobile: '13800000000', address: ' ' },
      });
      expect(partial.status).toBe(400);
      expect((await json(partial)).fields).toEqual([expect.objectContaining({ field: 'returnAddress.address' })]);
      const agreed = await act(id, {
        action: 'agree_return',
        returnAddress: { name: '仓库', mobile: '13800000000', address: '浙江省杭州市西湖区 1 号' },
      });
      expect(agreed.status).toBe(200);
      expect((await h.stack.yzControl.getRefund(refundIds[0])).status).toBe('WAIT_BUYER_RETURN_GOODS');

      await h.stack.yzControl.setRefundStatus(refundIds[0], 'WAIT_SELLER_CONFIRM_GOODS');
      expect((await act(id, { action: 'confirm_received' })).status).toBe(200);
      expect((await h.stack.yzControl.getRefund(refundIds[0])).status).toBe('SUCCESS');
    });
  });

  describe('the refunds page', () => {
    it('shows the actions the platform offers and sends one from its form, with the CSRF token', async () => {
      const { oid } = await ksOrder('RA-PG-1', 1);
      const { refund, id } = await ksRefund(oid);
      const owner = ownerOf(h.merchantId);
      const page = await fetch(`${h.stack.url}/merchants/${h.merchantId}/refunds`, {
        headers: { cookie: owner.cookie },
      });
      const text = await page.text();
      expect(text).toContain(`data-testid="refund-action-agree-${refund.refundId}"`);
      expect(text).toContain(`data-testid="refund-action-refuse-${refund.refundId}"`);
      // The refusal form offers Kuaishou's own reason codes for this refund.
      expect(text).toContain(`data-testid="refund-reason-codes-${refund.refundId}"`);
      expect(text).toContain('<option value="11">11 商品已发出</option>');

      const post = (body: Record<string, string>) =>
        fetch(`${h.stack.url}/merchants/${h.merchantId}/refunds/${id}/actions`, {
          method: 'POST',
          headers: { cookie: owner.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(body),
          redirect: 'manual',
        });
      expect((await post({ action: 'agree' })).status).toBe(403);
      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(10);

      const sent = await post({ _csrf: owner.csrf, action: 'agree' });
      expect(sent.status).toBe(303);
      expect(decodeURIComponent(sent.headers.get('location') ?? '')).toContain('agree sent');
      expect((await h.stack.ksControl.getRefund(refund.refundId)).status).toBe(60);
      const after = await (
        await fetch(`${h.stack.url}${sent.headers.get('location')}`, { headers: { cookie: owner.cookie } })
      ).text();
      expect(after).toContain('data-testid="notice"');
      expect(after).not.toContain(`data-testid="refund-action-agree-${refund.refundId}"`);
    });
  });
});
