import type { Mocked } from '@suites/unit';
import { factory, T0 } from '@test/factories/entity.factory';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ChannelOrder } from '../platforms/ports/orders.port';
import { CHANNELS } from '../platforms/ports/channel.registry';
import { SkuBindingEntity } from '../catalog/sku-binding.entity';
import { SkuBindingService } from '../catalog/sku-binding.service';
import { ManualClock } from '../common/clock';
import { Db } from '../database/db';
import { StockLedgerService } from '../inventory/stock-ledger.service';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { toChannelOrder } from '../platforms/kuaishou/kuaishou.mapper';
import { KsOrder } from '../platforms/kuaishou/kuaishou-wire.types';
import { ChannelOrderLineEntity } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderIngestService } from './order-ingest.service';
import { OrderRepository } from './order.repository';

/** A Kuaishou order as open.order.detail returns it, with overrides. */
function ksOrder(status: number, refunds: number[], updateTime: number): KsOrder {
  return {
    orderBaseInfo: { oid: '2411000000000001', status, createTime: 1_000, updateTime, payTime: 1_000 },
    orderItemInfo: { skuId: '77', itemId: '7', price: 1_000, num: 3, itemTitle: 't', skuNick: 'A-1' },
    orderRefundList: refunds.map((refundStatus, i) => ({ refundId: String(900 + i), refundStatus })),
  } as KsOrder;
}

function setup() {
  const orders = new Map<string, ChannelOrderEntity>();
  const lines = new Map<string, ChannelOrderLineEntity>();
  const repo = {
    findByPlatformId: async (_p: string, id: string) =>
      [...orders.values()].find((o) => o.platformOrderId === id) ?? null,
    lockByPlatformId: async (_p: string, id: string) =>
      [...orders.values()].find((o) => o.platformOrderId === id) ?? null,
    insertOrder: async (o: ChannelOrderEntity) => (orders.set(o.id, o), true),
    saveOrder: async (o: ChannelOrderEntity) => void orders.set(o.id, o),
    lines: async (orderId: string) => [...lines.values()].filter((l) => l.orderId === orderId),
    saveLine: async (l: ChannelOrderLineEntity) => void lines.set(l.id, { ...l }),
  } as unknown as OrderRepository;
  const binding = Object.assign(new SkuBindingEntity(), { id: 'b1', merchantSkuId: 'sku-1' });
  const ledger = {
    hold: jest.fn(async () => true),
    release: jest.fn(async () => true),
    ship: jest.fn(async () => true),
  };
  let n = 0;
  const service = new OrderIngestService(
    { transaction: <T>(work: () => Promise<T>) => work() } as unknown as Db,
    repo,
    { resolve: async () => binding } as unknown as SkuBindingService,
    ledger as unknown as StockLedgerService,
    { enqueue: async () => undefined } as unknown as OutboxService,
    { counter: () => ({ inc: () => undefined }) } as unknown as MetricsService,
    new ManualClock(),
    { uuid: () => `id-${++n}` } as never,
  );
  const shop = { platform: 'kuaishou' as const, connectionId: 'c1', shopId: 's1', merchantId: 'm1' };
  return { service, ledger, lines, ingest: (o: KsOrder) => service.ingest(shop, toChannelOrder(o)) };
}

describe(OrderIngestService.name, () => {
  describe('Kuaishou refunds', () => {
    it('keeps the units held when a refund succeeds but the order stays open (money only, partial, price protection), then ships them', async () => {
      const { ledger, lines, ingest } = setup();
      await ingest(ksOrder(30, [], 2_000));
      await ingest(ksOrder(30, [60], 3_000));
      expect(ledger.release).not.toHaveBeenCalled();
      expect([...lines.values()][0].stockState).toBe('held');

      await ingest(ksOrder(40, [60], 4_000));
      expect(ledger.ship).toHaveBeenCalledTimes(1);
      expect([...lines.values()][0].stockState).toBe('shipped');
    });

    it('releases the whole line when the refund closes the order before shipment', async () => {
      const { ledger, lines, ingest } = setup();
      await ingest(ksOrder(30, [], 2_000));
      await ingest(ksOrder(80, [60], 3_000));
      expect(ledger.release).toHaveBeenCalledWith(expect.objectContaining({ quantity: 3 }), 'cancelled');
      expect([...lines.values()][0].stockState).toBe('released');
    });
  });
});

/** The ingest's decisions on the automocked unit tier: the ledger is a double, the order rows live in memory. */
describe(`${OrderIngestService.name} decisions`, () => {
  let t: TestService<OrderIngestService>;
  let ledger: Mocked<StockLedgerService>;
  let bindings: Mocked<SkuBindingService>;
  let outbox: Mocked<OutboxService>;
  let orders: Map<string, ChannelOrderEntity>;
  let lines: Map<string, ChannelOrderLineEntity>;
  let clockOffsetMs: number | undefined;
  const shop = { platform: 'kuaishou' as const, connectionId: 'conn-1', shopId: 'shop-1', merchantId: 'merchant-1' };

  const order = (overrides: Partial<ChannelOrder> = {}): ChannelOrder => ({
    platform: 'kuaishou',
    orderId: 'o-1',
    status: 'paid',
    rawStatus: '30',
    createdAt: T0 - 60_000,
    updatedAt: T0 - 60_000,
    shipHolds: [],
    lines: [
      {
        lineId: 'l-1',
        itemId: 'item-1',
        skuId: 'psku-1',
        title: 'Tea',
        quantity: 2,
        unitPriceFen: 1_000,
        discountFen: 0,
        paidFen: 2_000,
      },
    ],
    goodsTotalFen: 2_000,
    discountFen: 0,
    shippingFeeFen: 0,
    paidFen: 2_000,
    promotions: [],
    ...overrides,
  });
  const only = () => [...lines.values()][0];
  const ingested = async (outcome: string) => {
    const metric = await t.metrics.registry.getSingleMetric('kwaizan_orders_ingested_total')!.get();
    return metric.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  };

  beforeEach(async () => {
    clockOffsetMs = undefined;
    const channels = {
      orders: () => ({ clockOffsetMs: () => clockOffsetMs }),
      fulfilment: (platform: string) => ({ platformShipBy: platform === 'kuaishou' }),
    };
    t = await newTestService(OrderIngestService, { provide: [[CHANNELS, channels]] });
    ledger = t.mocks.get(StockLedgerService);
    bindings = t.mocks.get(SkuBindingService);
    outbox = t.mocks.get(OutboxService);
    const repo = t.mocks.get(OrderRepository);
    orders = new Map();
    lines = new Map();
    const byPlatformId = async (_p: string, id: string) =>
      [...orders.values()].find((o) => o.platformOrderId === id) ?? null;
    repo.findByPlatformId.mockImplementation(async (p, id) => {
      const found = await byPlatformId(p, id);
      return found && Object.assign(new ChannelOrderEntity(), found);
    });
    repo.lockByPlatformId.mockImplementation(byPlatformId);
    repo.insertOrder.mockImplementation(async (o) => (orders.set(o.id, o), true));
    repo.saveOrder.mockImplementation(async (o) => void orders.set(o.id, o));
    repo.lines.mockImplementation(async (orderId) => [...lines.values()].filter((l) => l.orderId === orderId));
    repo.saveLine.mockImplementation(async (l) => void lines.set(l.id, { ...l }));
    repo.unboundLines.mockImplementation(async () =>
      [...lines.values()]
        .filter((l) => l.stockState === 'unbound')
        .map((line) => ({ line, order: orders.get(line.orderId)! })),
    );
    bindings.resolve.mockResolvedValue(factory.binding());
    for (const method of ['hold', 'release', 'ship'] as const) ledger[method].mockResolvedValue(true);
  });

  it('creates the order, holds its lines and announces it with no previous status', async () => {
    expect(await t.sut.ingest(shop, order())).toBe('created');
    expect(ledger.hold).toHaveBeenCalledWith(
      expect.objectContaining({ merchantSkuId: 'sku-1', bindingId: 'binding-1', quantity: 2, soldAt: undefined }),
    );
    expect(only()).toMatchObject({
      stockState: 'held',
      merchantSkuId: 'sku-1',
      refundStatus: 'none',
      refundedQuantity: 0,
    });
    expect(outbox.enqueue).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ status: 'paid', previousStatus: undefined }),
    );
    expect(await ingested('created')).toBe(1);
  });

  it('answers a re-read of an unchanged order without a transaction, and an older read as stale', async () => {
    await t.sut.ingest(shop, order());
    t.db.transaction.mockClear();
    expect(await t.sut.ingest(shop, order())).toBe('unchanged');
    expect(await t.sut.ingest(shop, order({ updatedAt: T0 - 61_000, status: 'cancelled' }))).toBe('stale');
    expect(t.db.transaction).not.toHaveBeenCalled();
    expect(ledger.release).not.toHaveBeenCalled();
    expect(await ingested('stale')).toBe(1);
  });

  it('compares the lines of an unchanged order when asked to (a refund does not move the update time)', async () => {
    await t.sut.ingest(shop, order());
    const refunded = order({ lines: [{ ...order().lines[0], refundStatus: 'refunded', refundedQuantity: 1 }] });
    expect(await t.sut.ingest(shop, refunded, { recheckLines: true })).toBe('unchanged');
    expect(ledger.release).toHaveBeenCalledWith(expect.objectContaining({ orderLineId: only().id }), 'refunded', 1);
    expect(only().stockState).toBe('released');
  });

  it('releases the held units of a cancelled order and announces the change from paid', async () => {
    await t.sut.ingest(shop, order());
    expect(await t.sut.ingest(shop, order({ status: 'cancelled', updatedAt: T0 }))).toBe('updated');
    expect(ledger.release).toHaveBeenCalledWith(expect.anything(), 'cancelled');
    expect(only().stockState).toBe('released');
    expect(outbox.enqueue).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'kwaizan.orders.order-changed.v1' }),
      expect.objectContaining({ status: 'cancelled', previousStatus: 'paid' }),
    );
    expect(outbox.enqueue).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'kwaizan.webhooks.merchant-event-raised.v1' }),
      expect.objectContaining({ type: 'order.cancelled', subject: only().orderId }),
    );
  });

  it('raises created and paid once for a new paid order, and nothing for a re-read', async () => {
    await t.sut.ingest(shop, order());
    await t.sut.ingest(shop, order({ rawStatus: '30', updatedAt: T0 }));
    const raised = outbox.enqueue.mock.calls
      .filter(([topic]) => topic.name === 'kwaizan.webhooks.merchant-event-raised.v1')
      .map(([, p]) => (p as { type: string }).type);
    expect(raised).toEqual(['order.created', 'order.paid']);
  });

  it('holds the order to the platform ship-by, or pay time + 48 h on Youzan, and stores the masked buyer as sent', async () => {
    const shipBy = T0 + 20 * 3_600_000;
    await t.sut.ingest(shop, order({ shipBy, buyer: { name: '张**', phone: '138****0000' } }));
    const ks = [...orders.values()][0];
    expect(ks).toMatchObject({
      deadlineAt: shipBy,
      deadlineSource: 'platform',
      buyerName: '张**',
      buyerPhone: '138****0000',
    });
    const paidAt = T0 - 30_000;
    await t.sut.ingest(
      { ...shop, platform: 'youzan' },
      order({ platform: 'youzan', orderId: 'E1', paidAt, lines: [{ ...order().lines[0], lineId: 'y-1' }] }),
    );
    const yz = [...orders.values()].find((o) => o.platformOrderId === 'E1')!;
    expect(yz).toMatchObject({ deadlineAt: paidAt + 48 * 3_600_000, deadlineSource: 'policy' });
  });

  it('frees nothing for a cancelled order first seen cancelled (it never held stock)', async () => {
    await t.sut.ingest(shop, order({ status: 'cancelled' }));
    expect(ledger.hold).not.toHaveBeenCalled();
    expect(ledger.release).not.toHaveBeenCalled();
  });

  it('ships a held line once, and never touches stock for it again', async () => {
    await t.sut.ingest(shop, order());
    await t.sut.ingest(shop, order({ status: 'shipped', updatedAt: T0 }));
    await t.sut.ingest(shop, order({ status: 'cancelled', updatedAt: T0 + 1 }));
    expect(ledger.ship).toHaveBeenCalledTimes(1);
    expect(ledger.release).not.toHaveBeenCalled();
    expect(only().stockState).toBe('shipped');
  });

  it('keeps a line released in full as released when the order later ships', async () => {
    await t.sut.ingest(
      shop,
      order({ lines: [{ ...order().lines[0], refundStatus: 'refunded', refundedQuantity: 2 }] }),
    );
    expect(only().stockState).toBe('released');
    ledger.ship.mockResolvedValue(false);
    await t.sut.ingest(shop, order({ status: 'shipped', updatedAt: T0 }));
    expect(only().stockState).toBe('released');
  });

  it('leaves a line of an unbound SKU without a stock effect until its binding arrives', async () => {
    bindings.resolve.mockResolvedValue(null);
    await t.sut.ingest(shop, order());
    expect(only()).toMatchObject({ stockState: 'unbound', merchantSkuId: null });
    expect(ledger.hold).not.toHaveBeenCalled();
    expect(await t.sut.attachUnboundLines(factory.binding())).toBe(1);
    expect(ledger.hold).toHaveBeenCalledTimes(1);
    expect(only()).toMatchObject({ stockState: 'held', merchantSkuId: 'sku-1' });
  });

  it('dates the sale on our clock, early by the platform’s clock offset and its uncertainty', async () => {
    clockOffsetMs = 500;
    await t.sut.ingest(shop, order());
    expect(ledger.hold).toHaveBeenCalledWith(expect.objectContaining({ soldAt: T0 - 60_000 - 500 - 3_000 }));
  });
});
