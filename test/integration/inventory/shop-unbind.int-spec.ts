import { eventually } from '@test/support/test-app';
import { InventoryHarness, SkuFixture } from './inventory.harness';

/**
 * A whole shop leaves (issue 8, leftovers): every listing it showed is lowered to 0 on the
 * platform while its grant still works, and those units go to the other shop. Measured on the
 * emulators. A shop whose grant was revoked first cannot be lowered: what it shows stays counted.
 */
describe('a shop disconnected by the merchant', () => {
  let h: InventoryHarness;
  beforeAll(async () => {
    h = await InventoryHarness.start('shop-unbind');
  });
  afterAll(async () => {
    await h?.close();
  });

  async function unbind(connectionId: string): Promise<number> {
    const res = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/connections/${connectionId}`, {
      method: 'DELETE',
      headers: h.auth,
    });
    return res.status;
  }

  async function detail(sku: SkuFixture): Promise<{ allocations: { platform: string; unwritable?: string | null }[] }> {
    return (await (
      await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/skus/${sku.code}`, { headers: h.auth })
    ).json()) as never;
  }

  it('lowers every listing of the shop to 0 and gives their units to the other shop', async () => {
    const a = await h.sku('SHOP-A', { onHand: 20, mode: 'split' });
    const b = await h.sku('SHOP-B', { onHand: 9, mode: 'split' });
    for (const sku of [a, b]) expect((await h.platformStock(sku)).youzan).toBeGreaterThan(0);

    expect(await unbind(h.connections.youzan.id)).toBe(200);
    await h.quiet();

    // Measured on the emulators: the Youzan listings show nothing, Kuaishou shows every unit.
    expect(await h.platformStock(a)).toEqual({ kuaishou: 20, youzan: 0 });
    expect(await h.platformStock(b)).toEqual({ kuaishou: 9, youzan: 0 });
    for (const sku of [a, b]) expect((await detail(sku)).allocations.map((x) => x.platform)).toEqual(['kuaishou']);

    // Those units sell on Kuaishou; an ERP drop lowers Kuaishou only.
    let sold = 0;
    while ((await h.buy(a, 'kuaishou', 1)) !== undefined) sold += 1;
    expect(sold).toBe(20);
    await h.quiet();
    await h.erp(b.code, 4);
    await h.quiet();
    expect(await h.platformStock(b)).toEqual({ kuaishou: 4, youzan: 0 });
  });
});

describe('a shop revoked, then disconnected by the merchant', () => {
  let h: InventoryHarness;
  beforeAll(async () => {
    h = await InventoryHarness.start('shop-unbind-revoked');
  });
  afterAll(async () => {
    await h?.close();
  });

  async function unbind(connectionId: string): Promise<number> {
    const res = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/connections/${connectionId}`, {
      method: 'DELETE',
      headers: h.auth,
    });
    return res.status;
  }

  async function detail(sku: SkuFixture): Promise<{ allocations: { platform: string; unwritable?: string | null }[] }> {
    return (await (
      await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/skus/${sku.code}`, { headers: h.auth })
    ).json()) as never;
  }

  it('a revoked shop that is then disconnected keeps what it shows counted, flagged, and the other shop fits around it', async () => {
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
    expect(await unbind(h.connections.kuaishou.id)).toBe(200);
    await h.erp(sku.code, 24);
    await h.quiet();

    // Kuaishou still sells what it shows (it cannot be lowered): those units stay counted, Youzan gets the rest.
    const after = await h.platformStock(sku);
    expect(after.kuaishou).toBe(before.kuaishou);
    expect(after.kuaishou + after.youzan).toBeLessThanOrEqual(24);
    expect(after.youzan).toBe(24 - before.kuaishou);
    const ks = (await detail(sku)).allocations.find((x) => x.platform === 'kuaishou');
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
