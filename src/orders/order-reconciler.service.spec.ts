import type { Mocked } from '@suites/unit';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { ConnectionsService } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { CHANNELS } from '../platforms/ports/channel.registry';
import { ChannelOrder, OrderPage } from '../platforms/ports/orders.port';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderIngestService } from './order-ingest.service';
import { OrderReconcileRunEntity } from './order-reconcile-run.entity';
import { OrderReconcilerService } from './order-reconciler.service';
import { OrderRepository } from './order.repository';

const listed = (orderId: string, status: ChannelOrder['status'], updatedAt: number): ChannelOrder => ({
  platform: 'youzan',
  orderId,
  status,
  rawStatus: status,
  createdAt: updatedAt - 1000,
  updatedAt,
  shipHolds: [],
  lines: [],
  goodsTotalFen: 0,
  discountFen: 0,
  shippingFeeFen: 0,
  paidFen: 0,
  promotions: [],
});

const held = (platformOrderId: string, status: ChannelOrder['status'], platformUpdatedAt: number) =>
  Object.assign(new ChannelOrderEntity(), { platformOrderId, status, platformUpdatedAt });

describe('OrderReconcilerService', () => {
  let t: TestService<OrderReconcilerService>;
  let ingest: Mocked<OrderIngestService>;
  let pages: OrderPage[];
  let saved: OrderReconcileRunEntity[];
  let registry: Map<string, ChannelOrderEntity>;

  beforeEach(async () => {
    pages = [];
    saved = [];
    registry = new Map();
    const channels = {
      orders: () => ({
        listOrders: jest.fn(async () => {
          const page = pages.shift();
          if (!page) throw new Error('platform unavailable');
          return page;
        }),
        clockOffsetMs: () => 0,
      }),
    };
    t = await newTestService(OrderReconcilerService, { provide: [[CHANNELS, channels]] });
    t.mocks.get(ConnectionsService).findById.mockResolvedValue(
      Object.assign(new ShopConnectionEntity(), {
        id: 'conn-1',
        merchantId: 'm-1',
        platform: 'youzan',
        shopId: '42',
        status: 'active',
      }),
    );
    const repo = t.mocks.get(OrderRepository);
    repo.statusesOf.mockImplementation(
      async (_c, ids) => new Map(ids.filter((id) => registry.has(id)).map((id) => [id, registry.get(id)!])),
    );
    repo.insertReconcileRun.mockImplementation(async (run) => (saved.push(run), run));
    ingest = t.mocks.get(OrderIngestService);
    ingest.ingest.mockResolvedValue('updated');
  });

  it('finds missing and drifted orders, ingests them, and records what it found', async () => {
    registry.set('A', held('A', 'paid', 100));
    registry.set('B', held('B', 'paid', 100));
    registry.set('C', held('C', 'shipped', 300));
    pages = [
      { orders: [listed('A', 'paid', 100), listed('B', 'cancelled', 200)], nextCursor: 'next' },
      // C: the list lags behind the registry (newer shipped state); D is new to us, listed twice.
      { orders: [listed('C', 'paid', 200), listed('D', 'paid', 150), listed('D', 'paid', 160)] },
    ];
    ingest.ingest.mockImplementation(async (_s, o) => (o.orderId === 'D' ? 'created' : 'updated'));
    const run = (await t.sut.reconcile('conn-1'))!;
    expect(run).toMatchObject({
      platformOrders: 4,
      missing: 1,
      drifted: 1,
      duplicated: 1,
      repaired: 2,
      status: 'repaired',
    });
    expect(ingest.ingest.mock.calls.map(([, o]) => [o.orderId, o.updatedAt])).toEqual([
      ['B', 200],
      ['D', 160],
    ]);
    expect(run.details!.map((d) => [d.platformOrderId, d.kind])).toEqual([
      ['D', 'duplicated'],
      ['B', 'drifted'],
      ['D', 'missing'],
    ]);
    expect(saved).toHaveLength(1);
  });

  it('records a run that matched as ok', async () => {
    registry.set('A', held('A', 'paid', 100));
    pages = [{ orders: [listed('A', 'paid', 100)] }];
    expect(await t.sut.reconcile('conn-1')).toMatchObject({ missing: 0, drifted: 0, status: 'ok' });
    expect(ingest.ingest).not.toHaveBeenCalled();
  });

  it('records a failed run with its reason, and fails so the consumer retries', async () => {
    await expect(t.sut.reconcile('conn-1')).rejects.toThrow('platform unavailable');
    expect(saved[0]).toMatchObject({ status: 'failed', error: 'platform unavailable' });
  });

  it('skips a shop that is not active', async () => {
    t.mocks.get(ConnectionsService).findById.mockResolvedValue(null);
    expect(await t.sut.reconcile('conn-1')).toBeNull();
    expect(saved).toEqual([]);
  });
});
