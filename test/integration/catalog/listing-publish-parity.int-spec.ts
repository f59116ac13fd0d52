import { InventoryHarness } from '../inventory/inventory.harness';
import { ListingApi, ListingView } from './listing.harness';

/**
 * Publishing a listing is a price write like any other: the draft's prices (read from the source
 * when it was drafted) meet the parity guard against what the SKU's listings show now.
 */
describe('publishing a listing through the price-parity guard', () => {
  let h: InventoryHarness;
  let l: ListingApi;

  beforeAll(async () => {
    h = await InventoryHarness.start('listing-parity', { label: 'listing-parity' });
    l = new ListingApi(h);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A Youzan item drafted for Kuaishou at ¥199.00, then repriced to ¥259.00 in the Youzan back office (+30 %). */
  async function staleDraft(code: string): Promise<ListingView> {
    const item = await l.youzanItem(code, [`${code}-A`], { priceFen: 19_900 });
    const listing = await l.draftForKuaishou(item.itemId);
    expect(listing.findings.filter((f) => f.severity === 'error')).toEqual([]);
    await h.stack.yzControl.setSku(item.itemId, item.skus[0].skuId, { priceFen: 25_900 });
    return listing;
  }

  it('refuses a publish whose price would break the limit, with the numbers, and creates nothing', async () => {
    const listing = await staleDraft('PAR-REFUSE');
    const res = await l.publish(listing.id);
    expect(res.status).toBe(409);
    const body = (await res.json()) as {
      error: string;
      message: string;
      fields: { field: string; messages: string[] }[];
    };
    expect(body.error).toBe('PARITY_LIMIT');
    expect(body.fields.map((f) => f.field)).toEqual(['skus[0].priceFen']);
    const [message] = body.fields[0].messages;
    expect(message).toContain('¥199.00');
    expect(message).toContain('youzan ¥259.00');
    expect(message).toContain('10% parity limit');
    // The nearest price the limit allows: ¥259.00 / 1.1, rounded up.
    expect(message).toContain('¥235.46');
    await h.quiet();

    expect(await l.kuaishouItemsWithRel('PAR-REFUSE')).toHaveLength(0);
    const kept = await l.get(listing.id);
    expect(kept.status).toBe('draft');
    expect(kept.findings.find((f) => f.code === 'PRICE_PARITY')).toMatchObject({
      severity: 'error',
      field: 'skus[0].priceFen',
    });
  });

  it('creates the item at the nearest price the limit allows when the policy clamps', async () => {
    expect((await l.call('/price-policy', { method: 'PUT', body: { onBreach: 'clamp' } })).status).toBe(200);
    const listing = await staleDraft('PAR-CLAMP');
    await l.publishAndWait(listing.id);

    const published = await l.get(listing.id);
    expect(published.targetItemId).not.toBeNull();
    expect(published.findings.find((f) => f.code === 'PRICE_PARITY')).toMatchObject({ severity: 'warning' });
    expect(await l.kuaishouItemsWithRel('PAR-CLAMP')).toHaveLength(1);
    const created = await h.stack.ksControl.getItem(published.targetItemId!);
    expect(created.skus.map((s) => s.price)).toEqual([23_546]);
    // Created at that price, not corrected afterwards: no price write reached the new item.
    expect(await h.stack.ksControl.priceHistory({ itemId: published.targetItemId! })).toEqual([]);
  });
});
