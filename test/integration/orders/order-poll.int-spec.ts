import { ShopConnectionEntity } from '@app/accounts/shop-connection.entity';
import { Clock, CLOCK } from '@app/common/clock';
import { OutboxRelay } from '@app/messaging/outbox/outbox.relay';
import { ChannelOrderEntity } from '@app/orders/channel-order.entity';
import { OrderPollJob } from '@app/orders/jobs/order-poll.job';
import { OrderPollService } from '@app/orders/order-poll.service';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';
import { connectInBrowser, createMerchant } from '@test/support/sandbox-stack';
import { eventually } from '@test/support/test-app';

const DAY_MS = 24 * 3_600_000;

/**
 * The polling backstop finds what lost pushes did not bring, for every shop the service writes,
 * whatever the platform's clock says. Orders are the emulators' own.
 */
describe('order polling backstop', () => {
  let h: InventoryHarness;
  let poller: OrderPollService;

  beforeAll(async () => {
    h = await InventoryHarness.start('orderpoll');
    poller = h.stack.t.app.get(OrderPollService);
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await h.stack.ksControl.resetFaults();
    await h.stack.yzControl.resetFaults();
  });

  async function losePushes(): Promise<void> {
    await h.stack.ksControl.setFaults({ push: { lossRate: 1 } });
    await h.stack.yzControl.setFaults({ push: { lossRate: 1 } });
  }

  async function placeSix(sku: SkuFixture): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await h.stack.ksControl.placeOrder({ itemId: sku.ks.itemId, skuId: sku.ks.skuId, quantity: 1, pay: true }))
          .oid,
      );
      ids.push(
        (
          await h.stack.yzControl.placeOrder({
            kdtId: Number(h.shops.youzan),
            lines: [{ skuId: sku.yz.skuId, quantity: 1 }],
            pay: true,
          })
        ).tid,
      );
    }
    return ids;
  }

  async function known(ids: string[]): Promise<number> {
    const rows = await h.db.dataSource.manager.findBy(ChannelOrderEntity, { merchantId: h.merchantId });
    return ids.filter((id) => rows.some((r) => r.platformOrderId === id)).length;
  }

  async function pollBoth(): Promise<void> {
    await poller.poll(h.connections.kuaishou.id);
    await poller.poll(h.connections.youzan.id);
  }

  it('polls a shop that belongs to no store pair', async () => {
    const merchantId = await createMerchant(h.stack.url, 'Kuaishou only');
    const shop = await h.stack.ksControl.createShop({ name: '快手独店' });
    const connected = await connectInBrowser(h.stack.url, merchantId, 'kuaishou', { shop: shop.openId });
    expect(connected.status).toBe(200);
    const connection = (await h.db.dataSource.manager.findOneBy(ShopConnectionEntity, { merchantId }))!;
    const item = await h.stack.ksControl.createItem({
      openId: shop.openId,
      title: '独店商品',
      skus: [{ stock: 5, price: 9900, skuNick: 'SOLO-1' }],
    });
    await losePushes();
    const { oid } = await h.stack.ksControl.placeOrder({
      itemId: item.itemId,
      skuId: item.skus[0].skuId,
      quantity: 1,
      pay: true,
    });

    await h.stack.t.app.get(OrderPollJob).enqueue();
    await h.stack.t.app.get(OutboxRelay).drain(30_000);

    expect(
      await h.db.dataSource.manager.countBy(ChannelOrderEntity, { connectionId: connection.id, platformOrderId: oid }),
    ).toBe(1);
  });

  it('finds orders whose pushes were lost while the platforms’ clocks are minutes behind ours', async () => {
    const sku = await h.sku('BEHIND-1', { onHand: 100, mode: 'split' });
    const clock = h.stack.t.app.get<Clock>(CLOCK);
    const real = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => real() + 4 * 60_000);
    await pollBoth();
    await losePushes();
    const ids = await placeSix(sku);

    await pollBoth();

    expect(await known(ids)).toBe(6);
  });

  it('finds orders whose pushes were lost after the platforms’ clocks moved 16 days ahead', async () => {
    const sku = await h.sku('AHEAD-1', { onHand: 100, mode: 'split' });
    await pollBoth();
    await h.stack.ksControl.advanceClock(16 * DAY_MS);
    await h.stack.yzControl.advanceClock(16 * DAY_MS);
    await losePushes();
    const ids = await placeSix(sku);

    await pollBoth();

    expect(await known(ids)).toBe(6);
  });
});

describe('order feed completeness', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    // Youzan shows an order 3 s after it took stock; the service is told so (ORDER_READ_LAG_YOUZAN_MS).
    h = await InventoryHarness.start('orderfeed', { label: 'orderfeed', youzan: { orderReadLagMs: 3_000 } });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('never says a Youzan sale was heard before a poll could read it', async () => {
    const poller = h.stack.t.app.get(OrderPollService);
    const sku = await h.sku('FEED-1', { onHand: 20, mode: 'split' });
    await h.stack.yzControl.setFaults({ push: { lossRate: 1 } });
    const soldAt = Date.now();
    const { tid } = await h.stack.yzControl.placeOrder({
      kdtId: Number(h.shops.youzan),
      lines: [{ skuId: sku.yz.skuId, quantity: 1 }],
      pay: true,
    });
    const heard = async () =>
      (await h.db.dataSource.manager.countBy(ChannelOrderEntity, { platformOrderId: tid })) === 1;

    const claimedUnheard: number[] = [];
    await eventually(
      async () => {
        await poller.poll(h.connections.youzan.id);
        const complete = (await poller.feedCompleteUpTo(h.connections.youzan.id))!;
        if (complete >= soldAt && !(await heard())) claimedUnheard.push(complete);
        return complete >= soldAt;
      },
      60_000,
      500,
    );
    expect(claimedUnheard).toEqual([]);
    expect(await heard()).toBe(true);
  });
});
