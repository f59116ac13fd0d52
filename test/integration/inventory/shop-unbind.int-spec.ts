import { connectInBrowser } from '@test/support/sandbox-stack';
import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from './inventory.harness';

/**
 * A whole shop leaves (issue 8, leftovers): every listing it showed is lowered to 0 on the
 * platform while its grant still works, and those units go to the other shop. Measured on the
 * emulators. A shop whose grant was revoked first cannot be lowered: what it shows stays counted.
 */

/** One harness per describe: a merchant with both shops connected, and the calls the tests make. */
function shopHarness(label: string) {
  const ctx = {} as {
    h: InventoryHarness;
    unbind(connectionId: string): Promise<number>;
    detail(sku: SkuFixture): Promise<{ allocations: { platform: string; unwritable?: string | null }[] }>;
  };
  beforeAll(async () => {
    ctx.h = await InventoryHarness.start(label);
  });
  afterAll(async () => {
    await ctx.h?.close();
  });
  afterEach(async () => {
    await ctx.h?.stack.yzControl.resetFaults();
  });
  ctx.unbind = async (connectionId) => {
    const res = await fetch(`${ctx.h.stack.url}/api/merchants/${ctx.h.merchantId}/connections/${connectionId}`, {
      method: 'DELETE',
      headers: ctx.h.auth,
    });
    return res.status;
  };
  ctx.detail = async (sku) =>
    (await (
      await fetch(`${ctx.h.stack.url}/api/merchants/${ctx.h.merchantId}/skus/${sku.code}`, { headers: ctx.h.auth })
    ).json()) as never;
  return ctx;
}

describe('a shop disconnected by the merchant', () => {
  const ctx = shopHarness('shop-unbind');

  it('lowers every listing of the shop to 0 and gives their units to the other shop', async () => {
    const { h } = ctx;
    const a = await h.sku('SHOP-A', { onHand: 20, mode: 'split' });
    const b = await h.sku('SHOP-B', { onHand: 9, mode: 'split' });
    for (const sku of [a, b]) expect((await h.platformStock(sku)).youzan).toBeGreaterThan(0);

    expect(await ctx.unbind(h.connections.youzan.id)).toBe(200);
    await h.quiet();

    // Measured on the emulators: the Youzan listings show nothing, Kuaishou shows every unit.
    expect(await h.platformStock(a)).toEqual({ kuaishou: 20, youzan: 0 });
    expect(await h.platformStock(b)).toEqual({ kuaishou: 9, youzan: 0 });
    for (const sku of [a, b]) expect((await ctx.detail(sku)).allocations.map((x) => x.platform)).toEqual(['kuaishou']);

    // Those units sell on Kuaishou; an ERP drop lowers Kuaishou only.
    let sold = 0;
    while ((await h.buy(a, 'kuaishou', 1)) !== undefined) sold += 1;
    expect(sold).toBe(20);
    await h.quiet();
    await h.erp(b.code, 4);
    await h.quiet();
    expect(await h.platformStock(b)).toEqual({ kuaishou: 4, youzan: 0 });
  });

  it('a shop connected again gets its listings back: the "binding removed" flag of a sale it made unheard goes', async () => {
    const { h } = ctx;
    await connectInBrowser(h.stack.url, h.merchantId, 'youzan', { shop: h.shops.youzan });
    const sku = await h.sku('SHOP-BACK', { onHand: 10, mode: 'split' });
    const before = await h.platformStock(sku);
    expect(before.youzan).toBeGreaterThan(1);
    // A Youzan sale whose push is lost: counted on Youzan, not heard yet when the shop leaves.
    await h.stack.yzControl.setFaults({ push: { lossRate: 1 } });
    expect(await h.buy(sku, 'youzan')).toBeDefined();
    expect(await ctx.unbind(h.connections.youzan.id)).toBe(200);
    await h.quiet();
    expect((await h.platformStock(sku)).youzan).toBe(0);
    const left = (await ctx.detail(sku)).allocations.find((x) => x.platform === 'youzan');
    expect(left?.unwritable).toMatch(/^binding removed/);

    // The merchant connects the shop again; the sale is heard, the ERP reports.
    await h.stack.yzControl.resetFaults();
    const result = await connectInBrowser(h.stack.url, h.merchantId, 'youzan', { shop: h.shops.youzan });
    expect(result.status).toBe(200);
    await h.poll();
    await h.erp(sku.code, 10);
    await h.quiet();

    // The flag is gone and the listing is written again (measured on the emulators), never beyond the 9 units left.
    expect((await ctx.detail(sku)).allocations.find((x) => x.platform === 'youzan')?.unwritable).toBeNull();
    const after = await h.platformStock(sku);
    expect(after.youzan).toBeGreaterThan(0);
    expect(after.kuaishou + after.youzan).toBe(9);
  });
});

describe('a shop revoked, then disconnected by the merchant', () => {
  const ctx = shopHarness('shop-unbind-revoked');

  it('a revoked shop that is then disconnected keeps what it shows counted, flagged, and the other shop fits around it', async () => {
    const { h } = ctx;
    const sku = await h.sku('SHOP-REV', { onHand: 30, mode: 'split' });
    await h.poll();
    const before = await h.platformStock(sku);
    expect(before.kuaishou).toBeGreaterThan(0);
    await h.stack.ksControl.revokeShop(h.shops.kuaishou);
    // The service finds out on its next call to the shop.
    await h.erp(sku.code, 25);
    await h.quiet();
    await eventually(
      async () =>
        (await h.db.dataSource.query('SELECT status FROM shop_connection WHERE id = ?', [h.connections.kuaishou.id]))[0]
          .status !== 'active',
      30_000,
      50,
    );
    expect(await ctx.unbind(h.connections.kuaishou.id)).toBe(200);
    await h.erp(sku.code, 24);
    await h.quiet();

    // Kuaishou still sells what it shows (it cannot be lowered): those units stay counted, Youzan gets the rest.
    const after = await h.platformStock(sku);
    expect(after.kuaishou).toBe(before.kuaishou);
    expect(after.kuaishou + after.youzan).toBeLessThanOrEqual(24);
    expect(after.youzan).toBe(24 - before.kuaishou);
    const ks = (await ctx.detail(sku)).allocations.find((x) => x.platform === 'kuaishou');
    expect(ks?.unwritable).toMatch(/not connected/);
    // Ops and the merchant see it.
    const health = (await (await fetch(`${h.stack.url}/health`, { headers: await h.opsAuth() })).json()) as {
      status: string;
      checks: Record<string, { up: boolean } | undefined>;
    };
    expect(health.status).toBe('degraded');
    expect(health.checks.stock?.up).toBe(false);
  });
});
