import { OutboxRelay } from '@app/messaging/outbox/outbox.relay';
import { SyncFailureEntity } from '@app/ops/failures/sync-failure.entity';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { withinLimit } from '@app/pricing/parity';
import { PriceWriteOpEntity } from '@app/pricing/price-write-op.entity';
import { eventually } from '@test/support/test-app';
import { PricingHarness } from '@test/support/pricing-harness';
import { SkuFixture } from '../inventory/inventory.harness';

const PRICE_API = 'open.item.sku.price.update';

/**
 * A price write whose answer is lost may still be applied by the platform later (the emulator's
 * late-apply fault: accepted, held past the client's timeout, then applied). The writer must not
 * write it again while it may still land. Figures come from the emulators' price history.
 */
describe('price writes applied after the answer was lost', () => {
  let h: PricingHarness;

  beforeAll(async () => {
    // A short client timeout so the late-applied call times out well before the emulator applies it.
    h = await PricingHarness.start('pricing-late', {
      label: 'pricing-late',
      env: { PLATFORM_HTTP_TIMEOUT_MS: '3000' },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  const history = (sku: SkuFixture) => h.history(sku);

  it('keeps a timed-out write pending while it may still land: it lands once, never twice, the limit never broken', async () => {
    const sku = await h.sku('PRICE-LATE', { onHand: 5 });
    await h.stack.ksControl.resetCounters();
    await h.stack.ksControl.setFaults({ rules: [{ api: PRICE_API, lateApplyRate: 1, lateApplyDelayMs: 6000 }] });
    try {
      const res = await h.api(`/skus/${sku.code}/price`, 'PUT', { priceFen: 10_800 });
      expect(res.status).toBe(202);
      const relay = h.stack.t.app.get(OutboxRelay);
      void relay.drain(60_000);
      // The late write lands on Kuaishou (the emulator applies it after the client gave up).
      await eventually(
        async () => (await history(sku)).some((c) => c.platform === 'kuaishou' && c.priceFen === 10_800),
        60_000,
        100,
      );
    } finally {
      await h.stack.ksControl.resetFaults();
    }
    // While the write may still land, the change waits: its event is retried and (tests retry only
    // briefly) dead-lettered. Replayed as the failure retry job would, it reads the write back and goes on.
    const failure = await eventually(
      () =>
        h.db.dataSource.manager.findOneBy(SyncFailureEntity, {
          entityRef: sku.merchantSkuId,
          context: 'consumer:pricing.price-writer',
          status: 'open',
        }),
      60_000,
      100,
    );
    await h.stack.t.app.get(SyncFailureService).retry(failure.id);
    await eventually(
      async () => {
        await h.stack.t.app.get(OutboxRelay).drain(30_000);
        const rows = await h.db.dataSource.manager.findBy(PriceWriteOpEntity, { merchantSkuId: sku.merchantSkuId });
        const live = await h.stack.yzControl.getSku(sku.yz.itemId, sku.yz.skuId);
        return rows.length > 0 && rows.every((r) => r.status === 'applied') && live.priceFen === 10_800;
      },
      90_000,
      200,
    );
    const changes = await history(sku);
    expect(changes.filter((c) => c.platform === 'kuaishou').map((c) => c.priceFen)).toEqual([10_800]);
    expect(changes.filter((c) => c.platform === 'youzan').map((c) => c.priceFen)).toEqual([10_800]);
    const state = { kuaishou: 9900, youzan: 9900 };
    for (const change of changes) {
      state[change.platform] = change.priceFen;
      expect(withinLimit([state.kuaishou, state.youzan], 1000)).toBe(true);
    }
    const counters = await h.stack.ksControl.counters();
    expect(counters.calls[PRICE_API]).toBe(1);
    expect(counters.writesApplied[PRICE_API]).toBe(1);
    const ks = await h.stack.ksControl.getSku(sku.ks.itemId, sku.ks.skuId);
    expect(ks.price).toBe(10_800);
  }, 180_000);
});
