import type { Mocked } from '@suites/unit';
import { OutboxService } from '@app/messaging/outbox/outbox.service';
import { factory, T0 } from '@test/factories/entity.factory';
import { InMemoryInventoryRepository } from '@test/support/unit/in-memory-inventory.repository';
import { newTestService, TestService } from '@test/support/unit/test-service';
import { InventoryRepository } from './inventory.repository';
import { LineStockRef, StockLedgerService, UNBOUND_PREFIX } from './stock-ledger.service';

const line = (overrides: Partial<LineStockRef> = {}): LineStockRef => ({
  orderLineId: 'line-1',
  merchantSkuId: 'sku-1',
  bindingId: 'binding-1',
  platform: 'kuaishou',
  quantity: 3,
  ...overrides,
});

describe(StockLedgerService.name, () => {
  let t: TestService<StockLedgerService>;
  let repo: InMemoryInventoryRepository;
  let outbox: Mocked<OutboxService>;

  beforeEach(async () => {
    repo = new InMemoryInventoryRepository();
    t = await newTestService(StockLedgerService, { provide: [[InventoryRepository, repo]] });
    outbox = t.mocks.get(OutboxService);
    repo.allocations.set('binding-1', factory.allocation({ allotted: 10 }));
  });

  const reasons = () => outbox.enqueue.mock.calls.map(([, event]) => (event as { reason: string }).reason);
  const kinds = (orderLineId = 'line-1') =>
    repo.reservations.filter((r) => r.orderLineId === orderLineId).map((r) => `${r.kind}:${r.quantity}`);
  const allotted = () => repo.allocations.get('binding-1')!.allotted;

  describe('applyErpOnHand', () => {
    it('takes a newer report and asks the first one to read the platforms before writing', async () => {
      expect(await t.sut.applyErpOnHand('sku-1', 40, 1)).toBe('applied');
      expect(await t.sut.applyErpOnHand('sku-1', 38, 2)).toBe('applied');
      expect(repo.ledgers.get('sku-1')).toMatchObject({ onHand: 38, onHandSeq: 2 });
      expect(outbox.enqueue.mock.calls.map(([, e]) => e)).toEqual([
        { merchantSkuId: 'sku-1', reason: 'erp', triggerAt: T0, reconcile: true },
        { merchantSkuId: 'sku-1', reason: 'erp', triggerAt: T0 },
      ]);
    });

    it.each([2, 1])('ignores a report with sequence %i after sequence 2', async (sequence) => {
      await t.sut.applyErpOnHand('sku-1', 40, 2);
      expect(await t.sut.applyErpOnHand('sku-1', 99, sequence)).toBe('stale');
      expect(repo.ledgers.get('sku-1')!.onHand).toBe(40);
      expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    });

    it('counts the shipments recorded at least the lag before the report, and keeps later ones held', async () => {
      const lag = t.config.erp.shipmentCountLagMs;
      await t.sut.ship(line({ orderLineId: 'early' }));
      t.clock.advance(lag);
      await t.sut.ship(line({ orderLineId: 'late' }));
      await t.sut.applyErpOnHand('sku-1', 40, 1);
      expect(kinds('early')).toContain('counted:3');
      expect(kinds('late')).not.toContain('counted:3');
      expect((await t.sut.sellable('sku-1', 0)).reserved).toBe(3);
    });

    it('counts the shipments up to the report’s shippedThrough, but never past now', async () => {
      await t.sut.ship(line({ orderLineId: 'a' }));
      t.clock.advance(5_000);
      await t.sut.ship(line({ orderLineId: 'b' }));
      await t.sut.applyErpOnHand('sku-1', 40, 1, { shippedThrough: T0 + 4_999 });
      expect(kinds('a')).toContain('counted:3');
      expect(kinds('b')).not.toContain('counted:3');
      t.clock.advance(1);
      await t.sut.ship(line({ orderLineId: 'c' }));
      await t.sut.applyErpOnHand('sku-1', 40, 2, { shippedThrough: T0 + 60_000 });
      expect(kinds('b')).toContain('counted:3');
      expect(kinds('c')).toContain('counted:3');
    });
  });

  describe('hold', () => {
    it('holds the units once, lowers what the platform was allotted and records the sale', async () => {
      expect(await t.sut.hold(line())).toBe(true);
      expect(await t.sut.hold(line())).toBe(false);
      expect(kinds()).toEqual(['placed:3']);
      expect(repo.allocations.get('binding-1')).toMatchObject({
        allotted: 7,
        heardSold: 3,
        soldRecent: 3,
        lastSaleAt: T0,
        demandMilli: 3000,
      });
      expect(reasons()).toEqual(['sale']);
    });

    it('leaves a pinned count alone unless the sale certainly came after the read it was pinned from', async () => {
      repo.allocations.get('binding-1')!.pinned = true;
      repo.allocations.get('binding-1')!.obsReadAt = T0 - 1_000;
      await t.sut.hold(line({ orderLineId: 'before', soldAt: T0 - 1_000 }));
      await t.sut.hold(line({ orderLineId: 'unknown' }));
      expect(allotted()).toBe(10);
      await t.sut.hold(line({ orderLineId: 'after', soldAt: T0 - 999 }));
      expect(allotted()).toBe(7);
      expect(repo.allocations.get('binding-1')!.heardSold).toBe(9);
    });

    it('creates the allocation of a binding it has not seen', async () => {
      await t.sut.hold(line({ bindingId: 'binding-new' }));
      expect(repo.allocations.get('binding-new')).toMatchObject({ allotted: -3, heardSold: 3 });
    });
  });

  describe('release', () => {
    it('gives a cancelled line’s units back to the platform’s allotment', async () => {
      await t.sut.hold(line());
      expect(await t.sut.release(line(), 'cancelled')).toBe(true);
      expect(kinds()).toEqual(['placed:3', 'cancelled:3']);
      expect(allotted()).toBe(10);
      expect((await t.sut.sellable('sku-1', 0)).reserved).toBe(0);
    });

    it('releases only what a refund left held, and a repeated running total not again', async () => {
      await t.sut.hold(line());
      expect(await t.sut.release(line(), 'refunded', 1)).toBe(true);
      expect(await t.sut.release(line(), 'refunded', 1)).toBe(false);
      expect(await t.sut.release(line(), 'cancelled')).toBe(true);
      expect(kinds()).toEqual(['placed:3', 'refunded:1', 'cancelled:2']);
      expect(allotted()).toBe(10);
    });

    it('releases what a growing running total of refunded units adds, never a lower or repeated one', async () => {
      await t.sut.hold(line());
      expect(await t.sut.release(line(), 'refunded', 1)).toBe(true);
      expect(await t.sut.release(line(), 'refunded', 2)).toBe(true);
      expect(await t.sut.release(line(), 'refunded', 1)).toBe(false);
      expect(await t.sut.release(line(), 'refunded', 2)).toBe(false);
      expect(kinds()).toEqual(['placed:3', 'refunded:2']);
      expect(allotted()).toBe(9);
      await t.sut.ship(line());
      expect(kinds()).toEqual(['placed:3', 'refunded:2', 'shipped:1']);
    });

    it('never releases more than the line holds', async () => {
      await t.sut.hold(line());
      await t.sut.release(line(), 'refunded', 99);
      expect(kinds()).toEqual(['placed:3', 'refunded:3']);
    });

    it('releases nothing for a line never held, already cancelled, or shipped', async () => {
      expect(await t.sut.release(line(), 'cancelled')).toBe(false);
      await t.sut.hold(line());
      await t.sut.release(line(), 'cancelled');
      expect(await t.sut.release(line(), 'cancelled')).toBe(false);
      await t.sut.hold(line({ orderLineId: 'shipped' }));
      await t.sut.ship(line({ orderLineId: 'shipped' }));
      expect(await t.sut.release(line({ orderLineId: 'shipped' }), 'refunded', 1)).toBe(false);
      expect(allotted()).toBe(7);
    });
  });

  describe('ship', () => {
    it('records the shipment of a line it never heard of being sold (holding it first)', async () => {
      expect(await t.sut.ship(line())).toBe(true);
      expect(kinds()).toEqual(['placed:3', 'shipped:3']);
      expect(reasons()).toEqual(['sale', 'shipment']);
    });

    it('ships what a partial refund left, once', async () => {
      await t.sut.hold(line());
      await t.sut.release(line(), 'refunded', 2);
      expect(await t.sut.ship(line())).toBe(true);
      expect(await t.sut.ship(line())).toBe(false);
      expect(kinds()).toEqual(['placed:3', 'refunded:2', 'shipped:1']);
    });

    it('ships nothing of a line refunded in full or cancelled', async () => {
      await t.sut.hold(line());
      await t.sut.release(line(), 'refunded');
      expect(await t.sut.ship(line())).toBe(false);
      await t.sut.hold(line({ orderLineId: 'c' }));
      await t.sut.release(line({ orderLineId: 'c' }), 'cancelled');
      expect(await t.sut.ship(line({ orderLineId: 'c' }))).toBe(false);
      expect(repo.reservations.some((r) => r.kind === 'shipped')).toBe(false);
    });
  });

  describe('bindingRemoved', () => {
    it('marks the allocation unwritable, keeps its units counted with the listing to lower, and asks the writer to drain it', async () => {
      await t.sut.bindingRemoved({
        id: 'binding-1',
        merchantSkuId: 'sku-1',
        connectionId: 'conn-1',
        platform: 'kuaishou',
        platformItemId: 'i-1',
        platformSkuId: 's-1',
      });
      const allocation = repo.allocations.get('binding-1')!;
      expect(allocation.unwritable?.startsWith(UNBOUND_PREFIX)).toBe(true);
      expect(allocation.unwritable).toContain('its 10 units stay counted until the listing is lowered to 0');
      expect(allocation.allotted).toBe(10);
      expect(allocation).toMatchObject({ drainConnectionId: 'conn-1', drainItemId: 'i-1', drainSkuId: 's-1' });
      expect(reasons()).toEqual(['binding']);
    });
  });

  describe('sellable', () => {
    it('is on hand less open holds less safety stock, and says whether the ERP ever reported', async () => {
      expect(await t.sut.sellable('sku-1', 0)).toEqual({ onHand: 0, reserved: 0, sellable: 0, reported: false });
      await t.sut.applyErpOnHand('sku-1', 20, 1);
      await t.sut.hold(line());
      expect(await t.sut.sellable('sku-1', 2)).toEqual({ onHand: 20, reserved: 3, sellable: 15, reported: true });
    });
  });
});
