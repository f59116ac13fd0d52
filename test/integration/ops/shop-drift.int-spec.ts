import request from 'supertest';
import { asSession, createTestUser, TestUser } from '@test/support/access';
import { InventoryHarness, SkuFixture } from '../inventory/inventory.harness';

/** The platform health page counts stock drift per shop: drift found on one Youzan shop shows on that shop only. */
describe('stock drift per shop on the platform health page', () => {
  let h: InventoryHarness;
  let other: InventoryHarness;
  let ops: TestUser;
  let sku: SkuFixture;

  const driftOf = async (shopId: string): Promise<number> => {
    const html = (
      await request(h.stack.t.app.getHttpServer()).get('/ops/console/platforms').set(asSession(ops)).expect(200)
    ).text;
    const start = html.indexOf(`data-testid="shop-row" data-shop="${shopId}"`);
    if (start < 0) throw new Error(`no row for shop ${shopId}`);
    const row = html.slice(start, html.indexOf('</tr>', start));
    const n = /data-testid="shop-stock-drift">(\d+)</.exec(row)?.[1];
    if (n === undefined) throw new Error(`no drift cell for shop ${shopId}`);
    return Number(n);
  };

  beforeAll(async () => {
    h = await InventoryHarness.start('shop-drift');
    // A second merchant with its own two shops on the same emulators and service.
    other = new InventoryHarness(h.stack);
    await other.connect();
    ops = await createTestUser(h.stack.t.app, 'ops');
    sku = await h.sku('SHOP-DRIFT-1', { onHand: 50, mode: 'split' });
    await other.sku('SHOP-DRIFT-2', { onHand: 50, mode: 'split' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("counts a back-office edit found by reconciliation on the edited shop, not on the platform's other shop", async () => {
    const before = { edited: await driftOf(h.shops.youzan), other: await driftOf(other.shops.youzan) };
    // Someone typed 500 into the first merchant's Youzan back office.
    await h.stack.yzControl.setSku(sku.yz.itemId, sku.yz.skuId, { stock: 500 });
    const res = await fetch(`${h.stack.url}/api/merchants/${h.merchantId}/skus/${sku.code}/reconcile`, {
      method: 'POST',
      headers: h.auth,
    });
    expect(res.status).toBe(202);
    await h.quiet();
    expect(await driftOf(h.shops.youzan)).toBeGreaterThan(before.edited);
    expect(await driftOf(other.shops.youzan)).toBe(before.other);
  }, 120_000);
});
