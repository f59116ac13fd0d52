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
    findByPlatformId: async (_p: string, id: string) => [...orders.values()].find((o) => o.platformOrderId === id) ?? null,
    lockByPlatformId: async (_p: string, id: string) => [...orders.values()].find((o) => o.platformOrderId === id) ?? null,
    insertOrder: async (o: ChannelOrderEntity) => (orders.set(o.id, o), true),
    saveOrder: async (o: ChannelOrderEntity) => void orders.set(o.id, o),
    lines: async (orderId: string) => [...lines.values()].filter((l) => l.orderId === orderId),
    saveLine: async (l: ChannelOrderLineEntity) => void lines.set(l.id, { ...l }),
  } as unknown as OrderRepository;
  const binding = Object.assign(new SkuBindingEntity(), { id: 'b1', merchantSkuId: 'sku-1' });
  const ledger = { hold: jest.fn(async () => true), release: jest.fn(async () => true), ship: jest.fn(async () => true) };
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
