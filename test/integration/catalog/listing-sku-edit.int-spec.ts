import { ListingPublishService } from '@app/catalog/listings/listing-publish.service';
import { InventoryHarness } from '../inventory/inventory.harness';

interface Listing {
  id: string;
  status: string;
  targetItemId: string | null;
  draft: { skus: { skuCode: string; priceFen: number; specs: { name: string; value: string }[] }[] };
}
interface ErrorBody {
  error: string;
  fields?: { field: string; messages: string[] }[];
}

/** 生活日用: no required properties. */
const DAILY = '1125';
const IMAGE = 'https://img.example.com/sku-edit-main.jpg';
/** A 1×1 PNG: the Youzan adapter uploads data URLs without fetching anything. */
const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/**
 * SKU edits of a published listing (`PATCH …/listings/:lid` `skus`): new sale-property values through
 * Kuaishou `open.item.edit` (journaled, settled by reading the item back) and new prices through the
 * price-parity guard. What the platforms hold is read from the emulators.
 */
describe('editing the SKUs of a published listing', () => {
  let h: InventoryHarness;
  let listing: Listing;

  const call = (path: string, init?: { method?: string; body?: unknown }) =>
    fetch(`${h.stack.url}/api/merchants/${h.merchantId}${path}`, {
      method: init?.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...h.auth },
      body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const patch = (body: unknown) => call(`/listings/${listing.id}`, { method: 'PATCH', body });
  const ksSkus = () => [...h.stack.ks.store.items.get(listing.targetItemId!)!.skus];
  const valueOf = (code: string) =>
    ksSkus()
      .find((s) => s.skuNick === code)!
      .props.map((p) => `${p.propName}:${p.propValueName}`)
      .join(';');
  const priceOf = (code: string) => ksSkus().find((s) => s.skuNick === code)!.price;

  beforeAll(async () => {
    h = await InventoryHarness.start('skuedit');
    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '家用收纳盒 SKUEDIT',
      desc: '家用多功能收纳盒，大容量，可叠放',
      itemNo: 'SKUEDIT',
      skus: [
        { itemNo: 'SKUEDIT-W', priceFen: 2_900, stock: 3, specs: [{ k: '颜色', v: '白' }] },
        { itemNo: 'SKUEDIT-B', priceFen: 2_900, stock: 3, specs: [{ k: '颜色', v: '黑' }] },
      ],
    });
    const res = await call('/listings', {
      method: 'POST',
      body: {
        sourceConnectionId: h.connections.youzan.id,
        sourceItemId: item.itemId,
        targetConnectionId: h.connections.kuaishou.id,
        categoryId: DAILY,
        imageUrls: [IMAGE],
      },
    });
    const draft = (await res.json()) as Listing;
    expect((await call(`/listings/${draft.id}/publish`, { method: 'POST' })).status).toBe(202);
    await h.quiet();
    listing = (await (await call(`/listings/${draft.id}`)).json()) as Listing;
    expect(listing.status).toBe('live');
  });

  afterAll(async () => {
    await h?.close();
  });

  it('changes a SKU’s sale-property value on Kuaishou, journaled and settled by reading the item back', async () => {
    const res = await patch({ skus: [{ skuCode: 'SKUEDIT-W', specs: [{ name: '颜色', value: '米白' }] }] });
    expect(res.status).toBe(200);
    const view = (await res.json()) as Listing;
    expect(view.draft.skus.find((s) => s.skuCode === 'SKUEDIT-W')?.specs).toEqual([{ name: '颜色', value: '米白' }]);
    expect(valueOf('SKUEDIT-W')).toBe('颜色:米白');
    expect(valueOf('SKUEDIT-B')).toBe('颜色:黑');
    const journal = await h.stack.t.app.get(ListingPublishService).skuEdits(listing.id);
    expect(journal.map((j) => [j.skuCode, j.status, j.previousSpecs, j.specs])).toEqual([
      ['SKUEDIT-W', 'applied', [{ name: '颜色', value: '白' }], [{ name: '颜色', value: '米白' }]],
    ]);
  });

  it('refuses bad input with field messages and a spec change that breaks the Cartesian set with the rule, sending nothing', async () => {
    const calls = () => h.stack.ks.counters.snapshot().calls['open.item.edit'] ?? 0;
    const before = calls();
    const unknown = await patch({ skus: [{ skuCode: 'NOPE', priceFen: 100 }] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).fields?.map((f) => f.field)).toEqual(['skus[0].skuCode']);
    const typed = await patch({ skus: [{ skuCode: 'SKUEDIT-W', priceFen: 'cheap', specs: [{ name: '' }] }] });
    expect(typed.status).toBe(400);
    const clash = await patch({ skus: [{ skuCode: 'SKUEDIT-W', specs: [{ name: '颜色', value: '黑' }] }] });
    expect(clash.status).toBe(422);
    expect(JSON.stringify(await clash.json())).toContain('SALE_PROP_CARTESIAN');
    expect(calls()).toBe(before);
    expect(valueOf('SKUEDIT-W')).toBe('颜色:米白');
  });

  it('sends a price within the parity limit through the pricing writer, and refuses one beyond it without changing anything', async () => {
    const ok = await patch({ skus: [{ skuCode: 'SKUEDIT-W', priceFen: 3_000 }] });
    expect(ok.status).toBe(200);
    await h.quiet();
    expect(priceOf('SKUEDIT-W')).toBe(3_000);

    // Over the 10% limit, together with a spec change: refused as a whole, the spec is not sent either.
    const refused = await patch({
      skus: [
        { skuCode: 'SKUEDIT-B', specs: [{ name: '颜色', value: '墨黑' }] },
        { skuCode: 'SKUEDIT-W', priceFen: 9_000 },
      ],
    });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as ErrorBody;
    expect(body.error).toBe('PARITY_LIMIT');
    expect(body.fields?.map((f) => f.field)).toEqual(['skus[1].priceFen']);
    await h.quiet();
    expect(priceOf('SKUEDIT-W')).toBe(3_000);
    expect(valueOf('SKUEDIT-B')).toBe('颜色:黑');
    const stored = (await (await call(`/listings/${listing.id}`)).json()) as Listing;
    expect(stored.draft.skus.map((s) => [s.skuCode, s.priceFen])).toEqual([
      ['SKUEDIT-W', 3_000],
      ['SKUEDIT-B', 2_900],
    ]);
  });

  it('answers a spec edit of a Youzan listing with 422: Youzan’s documented spec edit replaces every SKU', async () => {
    const ks = await h.stack.ksControl.createItem({
      openId: h.shops.kuaishou,
      title: '快手原生商品 SKUEDIT',
      skus: [{ stock: 5, price: 2_990, skuNick: 'KS-SKUEDIT-1' }],
    });
    const draft = (await (
      await call('/listings', {
        method: 'POST',
        body: {
          sourceConnectionId: h.connections.kuaishou.id,
          sourceItemId: ks.itemId,
          targetConnectionId: h.connections.youzan.id,
          imageUrls: [PNG],
        },
      })
    ).json()) as Listing;
    expect((await call(`/listings/${draft.id}/publish`, { method: 'POST' })).status).toBe(202);
    await h.quiet();
    expect(((await (await call(`/listings/${draft.id}`)).json()) as Listing).status).toBe('live');
    const res = await call(`/listings/${draft.id}`, {
      method: 'PATCH',
      body: { skus: [{ skuCode: 'KS-SKUEDIT-1', specs: [{ name: '规格', value: '大号' }] }] },
    });
    const answer = (await res.json()) as ErrorBody;
    expect(res.status).toBe(422);
    expect(answer.error).toBe('SKU_SPEC_EDIT_UNSUPPORTED');
  });
});
