import { ConnectionsService } from '../accounts/connections.service';
import { ShopConnectionEntity } from '../accounts/shop-connection.entity';
import { ManualClock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { Platform } from '../platforms/ports/platform.types';
import { OrderQuery, OrdersPort } from '../platforms/ports/orders.port';
import { AfterSalesPort } from '../platforms/ports/after-sales.port';
import { ChannelRegistry } from '../platforms/ports/channel.registry';
import { OrderIngestService } from './order-ingest.service';
import { OrderPollService } from './order-poll.service';
import { OrderSyncStateEntity } from './order-sync-state.entity';
import { OrderRepository } from './order.repository';

const DAY_MS = 24 * 3_600_000;
const LAG = { kuaishou: 10_000, youzan: 30_000 };

/** A platform whose clock is `offset` ms from ours; it states it (rounded down to the second) in every answer. */
class FakeChannel {
  offset = 0;
  stated: number | undefined;
  failing = false;
  readonly queries: OrderQuery[] = [];

  constructor(private readonly clock: ManualClock) {}

  clockOffsetMs(): number | undefined {
    return this.stated;
  }

  async listOrders(_shop: unknown, query: OrderQuery) {
    if (this.failing) throw new Error('platform down');
    this.queries.push(query);
    this.answer();
    return { orders: [] };
  }

  async listRefunds() {
    this.answer();
    return { refunds: [] };
  }

  private answer(): void {
    const platformNow = this.clock.now() + this.offset;
    this.stated = Math.floor(platformNow / 1000) * 1000 - this.clock.now();
  }
}

function setup(platform: Platform = 'youzan') {
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 12, 0, 0, 400));
  const channel = new FakeChannel(clock);
  const states = new Map<string, OrderSyncStateEntity>();
  const orders = {
    syncState: async (id: string) => states.get(id) ?? null,
    advanceSyncState: async (
      id: string,
      p: { polledUntil?: number; feedCompleteUntil?: number; refundsPolledUntil?: number; at: number; seen: number },
    ) => {
      const prev = states.get(id);
      states.set(
        id,
        Object.assign(new OrderSyncStateEntity(), {
          connectionId: id,
          polledUntil: Math.max(prev?.polledUntil ?? -Infinity, p.polledUntil ?? -Infinity),
          feedCompleteUntil: Math.max(prev?.feedCompleteUntil ?? -Infinity, p.feedCompleteUntil ?? -Infinity),
          refundsPolledUntil: p.refundsPolledUntil ?? prev?.refundsPolledUntil ?? null,
          lastPollAt: p.at,
          ordersSeen: (prev?.ordersSeen ?? 0) + p.seen,
        }),
      );
    },
  } as unknown as OrderRepository;
  const connection = Object.assign(new ShopConnectionEntity(), {
    id: 'c1',
    platform,
    shopId: 's1',
    merchantId: 'm1',
    status: 'active',
  });
  const connections = {
    findById: async () => connection,
    reportCallFailure: async () => false,
  } as unknown as ConnectionsService;
  const db = { transaction: <T>(work: () => Promise<T>) => work() } as unknown as Db;
  const config = { orders: { pollIntervalMs: 60_000, readLagMs: LAG } } as unknown as AppConfig;
  const registry = {
    orders: () => channel as unknown as OrdersPort,
    afterSales: () => channel as unknown as AfterSalesPort,
  } as unknown as ChannelRegistry;
  const make = () => new OrderPollService(db, orders, {} as OrderIngestService, connections, config, registry, clock);
  return { clock, channel, states, service: make(), make };
}

describe(OrderPollService.name, () => {
  describe('feedCompleteUpTo', () => {
    it('is unknown before a shop was ever polled', async () => {
      const { service } = setup();
      expect(await service.feedCompleteUpTo('c1')).toBeUndefined();
    });

    it('is the start of the last poll that reached the platform’s now, minus Youzan’s read lag', async () => {
      const { service, clock } = setup('youzan');
      await service.poll('c1');
      clock.advance(60_000);
      const start = clock.now();
      await service.poll('c1');
      expect(await service.feedCompleteUpTo('c1')).toBe(start - LAG.youzan);
    });

    it('subtracts Kuaishou’s smaller read lag for Kuaishou shops', async () => {
      const { service, clock } = setup('kuaishou');
      await service.poll('c1');
      clock.advance(60_000);
      const start = clock.now();
      await service.poll('c1');
      expect(await service.feedCompleteUpTo('c1')).toBe(start - LAG.kuaishou);
    });

    it('stays where it was when a poll fails', async () => {
      const { service, clock, channel } = setup();
      await service.poll('c1');
      const before = await service.feedCompleteUpTo('c1');
      clock.advance(60_000);
      channel.failing = true;
      await expect(service.poll('c1')).rejects.toThrow('platform down');
      expect(await service.feedCompleteUpTo('c1')).toBe(before);
    });

    it('reads on to the platform’s now when its clock jumped ahead, and only then counts the poll', async () => {
      const { service, clock, channel } = setup();
      await service.poll('c1');
      clock.advance(60_000);
      channel.offset = 16 * DAY_MS;
      channel.queries.length = 0;
      const start = clock.now();
      await service.poll('c1');
      // The first window ended at our now; the platform said it is 16 days later, so a second window followed.
      expect(channel.queries).toHaveLength(2);
      expect(channel.queries[1].until).toBeGreaterThanOrEqual(start + 16 * DAY_MS);
      expect(channel.queries[1].since).toBeLessThanOrEqual(channel.queries[0].until);
      expect(await service.feedCompleteUpTo('c1')).toBe(start - LAG.youzan);
    });

    it('keeps the poll watermark at the platform’s now when its clock is behind ours', async () => {
      const { service, clock, channel, states } = setup();
      channel.offset = -4 * 60_000;
      await service.poll('c1');
      clock.advance(60_000);
      await service.poll('c1');
      const platformNow = clock.now() + channel.offset;
      expect(states.get('c1')!.polledUntil).toBeLessThanOrEqual(platformNow);
      expect(states.get('c1')!.polledUntil).toBeGreaterThan(platformNow - 1_000);
      // The next window starts before the last one ended by more than the read lag.
      channel.queries.length = 0;
      clock.advance(60_000);
      await service.poll('c1');
      expect(channel.queries[0].since).toBeLessThanOrEqual(platformNow - LAG.youzan);
    });

    it('is read from the stored state, so another instance agrees', async () => {
      const { service, make } = setup();
      await service.poll('c1');
      expect(await make().feedCompleteUpTo('c1')).toBe(await service.feedCompleteUpTo('c1'));
    });
  });
});
