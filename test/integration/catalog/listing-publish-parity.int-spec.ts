import { relIdFor } from '@app/platforms/kuaishou/kuaishou.mapper';
import { InventoryHarness } from '../inventory/inventory.harness';

interface Listing {
  id: string;
  status: string;
  targetItemId: string | null;
  errorCode: string | null;
  findings: { code: string; field: string; severity: string; message: { zh: string; en: string } }[];
}

const IMAGE = 'https://img.example.com/listing-main.jpg';
/** 生活日用: no required properties. */
const DAILY = '1125';

/**
 * Publishing a listing is a price write like any other: the draft's prices (read from the source
 * when it was drafted) meet the parity guard against what the SKU's listings show now.
 */
describe('publishing a listing through the price-parity guard', () => {
  let h: InventoryHarness;

  beforeAll(async () => {
    h = await InventoryHarness.start('listing-parity', { label: 'listing-parity' });
  });

  afterAll(async () => {
    await h?.close();
  });

  const call = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${h.stack.url}/api/merchants/${h.merchantId}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...h.auth },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const get = async (id: string): Promise<Listing> => (await (await call(`/listings/${id}`)).json()) as Listing;
  const kuaishouItems = async (outer: string) =>
    (await h.stack.ksControl.listShopItems(h.shops.kuaishou)).filter((i) => String(i.relItemId) === relIdFor(outer));

  /** A Youzan item drafted for Kuaishou at ¥199.00, then repriced to ¥259.00 in the Youzan back office (+30 %). */
  async function staleDraft(code: string): Promise<Listing> {
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: `收纳盒 ${code}`,
      desc: '桌面收纳盒，多格分类',
      itemNo: code,
      skus: [{ itemNo: `${code}-A`, priceFen: 19_900, stock: 3 }],
    });
    const res = await call('/listings', 'POST', {
      sourceConnectionId: h.connections.youzan.id,
      sourceItemId: item.itemId,
      targetConnectionId: h.connections.kuaishou.id,
      categoryId: DAILY,
      imageUrls: [IMAGE],
    });
    expect(res.status).toBe(201);
    const listing = (await res.json()) as Listing;
    expect(listing.findings.filter((f) => f.severity === 'error')).toEqual([]);
    await h.stack.yzControl.setSku(item.itemId, item.skus[0].skuId, { priceFen: 25_900 });
    return listing;
  }

  it('refuses a publish whose price would break the limit, with the numbers, and creates nothing', async () => {
    const listing = await staleDraft('PAR-REFUSE');
    const res = await call(`/listings/${listing.id}/publish`, 'POST');
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

    expect(await kuaishouItems('PAR-REFUSE')).toHaveLength(0);
    const kept = await get(listing.id);
    expect(kept.status).toBe('draft');
    expect(kept.findings.find((f) => f.code === 'PRICE_PARITY')).toMatchObject({
      severity: 'error',
      field: 'skus[0].priceFen',
    });
  });

  it('creates the item at the nearest price the limit allows when the policy clamps', async () => {
    expect((await call('/price-policy', 'PUT', { onBreach: 'clamp' })).status).toBe(200);
    const listing = await staleDraft('PAR-CLAMP');
    expect((await call(`/listings/${listing.id}/publish`, 'POST')).status).toBe(202);
    await h.quiet();

    const published = await get(listing.id);
    expect(published.targetItemId).not.toBeNull();
    expect(published.findings.find((f) => f.code === 'PRICE_PARITY')).toMatchObject({ severity: 'warning' });
    expect(await kuaishouItems('PAR-CLAMP')).toHaveLength(1);
    const created = await h.stack.ksControl.getItem(published.targetItemId!);
    expect(created.skus.map((s) => s.price)).toEqual([23_546]);
    // Created at that price, not corrected afterwards: no price write reached the new item.
    expect(await h.stack.ksControl.priceHistory({ itemId: published.targetItemId! })).toEqual([]);
  });
});
