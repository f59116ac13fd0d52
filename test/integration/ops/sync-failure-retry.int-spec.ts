import { StockSyncService } from '@app/inventory/stock-sync.service';
import { FailureRetryJob } from '@app/ops/jobs/failure-retry.job';
import { SyncFailureView } from '@app/ops/failures/dto/sync-failure.view';
import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

const KS_STOCK = 'open.item.sku.stock.update';
const YZ_STOCK = 'youzan.item.quantity.update';

/**
 * Automatic and manual retries of sync failures against the emulators' fault API: a record is
 * resolved only when the retried write landed (checked on the emulator), and an outage's failures
 * resolve by themselves once the platform answers again.
 */
describe('sync failure retries', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('failure-retry');
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(async () => {
    await h.stack.ksControl.resetFaults();
    await h.stack.yzControl.resetFaults();
  });

  async function failuresOf(sku: SkuFixture, query = ''): Promise<SyncFailureView[]> {
    const res = await fetch(`${h.stack.url}/ops/failures?entityRef=${sku.merchantSkuId}&pageSize=100${query}`, {
      headers: await h.opsAuth(),
    });
    return ((await res.json()) as { items: SyncFailureView[] }).items;
  }

  async function failure(id: string): Promise<SyncFailureView> {
    return (await (
      await fetch(`${h.stack.url}/ops/failures/${id}`, { headers: await h.opsAuth() })
    ).json()) as SyncFailureView;
  }

  const retry = async (id: string) =>
    fetch(`${h.stack.url}/ops/failures/${id}/retry`, { method: 'POST', headers: await h.opsAuth() });

  /** What the scheduler does every 30 s, run until a retry was enqueued and handled. */
  async function automaticRetry(timeoutMs: number): Promise<void> {
    const job = h.stack.t.app.get(FailureRetryJob);
    await eventually(async () => (await job.enqueueDue()) > 0, timeoutMs, 250);
    await h.quiet();
  }

  it('keeps a failure open with the new error and a next retry while the retried write still fails, and accepts manual retries until it lands', async () => {
    const sku = await h.sku('RETRY-LIE-1', { onHand: 10, mode: 'split' });
    await h.stack.yzControl.setFaults({ rules: [{ api: YZ_STOCK, errorRate: 1, error: 'throttle' }] });
    await h.erp(sku.code, 30);
    await h.quiet();
    const [open] = await failuresOf(sku, '&context=inventory&platform=youzan&status=open');
    expect(open).toMatchObject({ status: 'open', errorCode: 'RATE_LIMITED', replayable: true });

    // The fault is still active when the automatic retry runs.
    await automaticRetry(60_000);
    const afterAuto = await failure(open.id);
    expect(afterAuto).toMatchObject({ status: 'open', errorCode: 'RATE_LIMITED', closedAt: null });
    expect(afterAuto.attempts).toBeGreaterThan(open.attempts);
    expect(afterAuto.nextRetryAt).toBeGreaterThan(Date.now());

    const manual = await retry(open.id);
    expect(manual.status).toBe(200);
    const afterManual = (await manual.json()) as SyncFailureView;
    expect(afterManual).toMatchObject({ status: 'open', errorCode: 'RATE_LIMITED' });
    expect(afterManual.attempts).toBeGreaterThan(afterAuto.attempts);
    expect(afterManual.nextRetryAt).not.toBeNull();

    await h.stack.yzControl.resetFaults();
    const landed = await retry(open.id);
    expect(landed.status).toBe(200);
    expect(((await landed.json()) as SyncFailureView).status).toBe('resolved');
    await h.quiet();
    const stock = await h.platformStock(sku);
    const allocations = await h.allocations(sku);
    expect(stock.youzan).toBe(allocations.youzan.allotted);
    expect(stock.youzan).toBeGreaterThan(0);
    expect(stock.kuaishou + stock.youzan).toBeLessThanOrEqual(30);
  }, 120_000);

  it('runs an ops retry of a stock write in the SKU’s lane: after the live run with a slow write in flight, never beside it', async () => {
    const sku = await h.sku('LANE-1', { onHand: 10, mode: 'split' });
    await h.stack.yzControl.setFaults({ rules: [{ api: YZ_STOCK, errorRate: 1, error: 'throttle' }] });
    await h.erp(sku.code, 30);
    await h.quiet();
    const [open] = await failuresOf(sku, '&context=inventory&platform=youzan&status=open');
    expect(open).toMatchObject({ status: 'open', replayable: true });

    // Every writer run of this SKU in this process, live or replayed, with when it started and ended.
    const writer = h.stack.t.app.get(StockSyncService);
    const original = writer.sync.bind(writer);
    const runs: { reconcile: boolean; start: number; end: number }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const spy = jest.spyOn(writer, 'sync').mockImplementation(async (merchantSkuId, options) => {
      if (merchantSkuId !== sku.merchantSkuId) return original(merchantSkuId, options);
      const run = { reconcile: options.reconcile === true, start: performance.now(), end: 0 };
      runs.push(run);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await original(merchantSkuId, options);
      } finally {
        inFlight--;
        run.end = performance.now();
      }
    });
    const leaseBusyBefore = await leaseBusy();
    try {
      await h.stack.ksControl.setFaults({ rules: [{ api: KS_STOCK, latencyMs: 1_500 }] });
      await h.erp(sku.code, 40);
      await eventually(
        async () => (await h.ops(sku)).some((o) => o.platform === 'kuaishou' && o.status === 'pending'),
        30_000,
        10,
      );
      // The live run has a Kuaishou write on the wire (Youzan still refuses): ops retry the failed Youzan write now.
      const retried = await retry(open.id);
      expect(retried.status).toBe(200);
      expect(((await retried.json()) as SyncFailureView).status).toBe('open');
      await h.quiet();
    } finally {
      spy.mockRestore();
      await h.stack.ksControl.resetFaults();
    }

    expect(maxInFlight).toBe(1);
    const live = runs.find((r) => !r.reconcile)!;
    const replay = runs.find((r) => r.reconcile)!;
    expect(live).toBeDefined();
    expect(replay).toBeDefined();
    expect(replay.start).toBeGreaterThanOrEqual(live.end);
    // The replay waited in the lane instead of finding the lease held and giving up.
    expect(await leaseBusy()).toBe(leaseBusyBefore);

    await h.stack.yzControl.resetFaults();
    const landed = await retry(open.id);
    expect(((await landed.json()) as SyncFailureView).status).toBe('resolved');
    await h.quiet();
    const stock = await h.platformStock(sku);
    const allocations = await h.allocations(sku);
    expect(stock.kuaishou + stock.youzan).toBe(40);
    expect(stock.kuaishou).toBe(allocations.kuaishou.allotted);
    expect(stock.youzan).toBe(allocations.youzan.allotted);
  }, 120_000);

  async function leaseBusy(): Promise<number> {
    const text = await (await fetch(`${h.stack.url}/metrics`, { headers: await h.opsAuth() })).text();
    return Number(/^kwaizan_stock_writer_lease_busy_total (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('keeps the platform’s code when an ops retry of a dead-lettered event fails again', async () => {
    const sku = await h.sku('DEAD-CODE-1', { onHand: 10, mode: 'split' });
    // Youzan refuses the order read with a business error (5002): the push cannot be turned into the order.
    await h.stack.yzControl.setFaults({ rules: [{ api: 'youzan.trade.get', errorRate: 1, error: 'business' }] });
    await h.buy(sku, 'youzan');
    await h.quiet();
    const dead = await eventually(
      async () => {
        const res = await fetch(
          `${h.stack.url}/ops/failures?context=consumer:orders.push-received&platform=youzan&status=open`,
          { headers: await h.opsAuth() },
        );
        return ((await res.json()) as { items: SyncFailureView[] }).items[0];
      },
      30_000,
      250,
    );
    expect(dead).toMatchObject({ errorCode: 'INVALID_REQUEST', platformCode: '5002', replayable: true });

    const again = await retry(dead.id);
    expect(again.status).toBe(200);
    const after = (await again.json()) as SyncFailureView;
    expect(after).toMatchObject({ status: 'open', errorCode: 'INVALID_REQUEST', platformCode: '5002' });
    // Parked for ops: retrying the same request gets the same answer, so nothing retries it by itself.
    expect(after.nextRetryAt).toBeNull();
    expect(after.attempts).toBeGreaterThan(dead.attempts);
  }, 120_000);

  it('after an outage of both stock APIs, retries and resolves every failure it caused without a person, and stock converges', async () => {
    const skus = [
      await h.sku('OUTAGE-1', { onHand: 10, mode: 'split' }),
      await h.sku('OUTAGE-2', { onHand: 10, mode: 'split' }),
    ];
    await h.stack.ksControl.setFaults({ rules: [{ api: KS_STOCK, errorRate: 1, error: 'qps' }] });
    await h.stack.yzControl.setFaults({ rules: [{ api: YZ_STOCK, errorRate: 1, error: 'throttle' }] });
    // The ERP keeps reporting during the outage: each report fails again and collapses into the open record.
    for (let i = 1; i <= 8; i++) {
      for (const sku of skus) await h.erp(sku.code, 10 + i * 5);
      await h.quiet();
    }
    for (const sku of skus) {
      const open = await failuresOf(sku, '&status=open');
      expect(open.length).toBeGreaterThanOrEqual(1);
    }
    await h.stack.ksControl.resetFaults();
    await h.stack.yzControl.resetFaults();

    // Nobody touches the records: only the scheduler's runs (what @Interval does every 30 s).
    const job = h.stack.t.app.get(FailureRetryJob);
    await eventually(
      async () => {
        await job.enqueueDue();
        await h.quiet();
        for (const sku of skus) if ((await failuresOf(sku, '&status=open,retrying')).length > 0) return false;
        return true;
      },
      150_000,
      1000,
    );
    for (const sku of skus) {
      const stock = await h.platformStock(sku);
      const allocations = await h.allocations(sku);
      expect(stock).toEqual({ kuaishou: allocations.kuaishou.allotted, youzan: allocations.youzan.allotted });
      expect(stock.kuaishou).toBeGreaterThan(0);
      expect(stock.youzan).toBeGreaterThan(0);
      expect(stock.kuaishou + stock.youzan).toBeLessThanOrEqual(50);
      const all = await failuresOf(sku);
      expect(all.every((f) => f.status === 'resolved')).toBe(true);
    }
  }, 240_000);
});
