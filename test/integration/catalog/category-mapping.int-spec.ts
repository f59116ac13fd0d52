import kuaishouTree from '@app/sandbox/data/kuaishou-categories.json';
import youzanTree from '@app/sandbox/data/youzan-categories.json';
import { ConnectionNotFoundException } from '@app/accounts/accounts.errors';
import { CategoryTreeService } from '@app/catalog/categories/category-tree.service';
import { CategoryTreeRefreshJob } from '@app/catalog/jobs/category-tree-refresh.job';
import { CategoryMappingService } from '@app/catalog/mapping/category-mapping.service';
import { createTestMerchant } from '@test/support/access';
import { InventoryHarness } from '../inventory/inventory.harness';

interface TreeRead {
  connectionId: string;
  platform: string;
  readAt: number | null;
  categoryCount: number;
}
interface Mapping {
  scope: string;
  youzanId: string;
  kuaishouCategoryId: string | null;
  source: string;
  open: boolean | null;
}
interface Suggest {
  suggestions: { categoryId: string; confidence: number; sources: string[] }[];
  tree: string;
  kuaishou: string;
}

/** Rows the emulators serve: their data files (rows with an unknown parent are not served). */
const KS_ROWS = (kuaishouTree.categories as { parentId: number | null }[]).filter((c) => c.parentId !== null).length;
const YZ_ROWS = youzanTree.categories.length;
const CLOSED_LEAF = 1609; // 半身裙

describe('category trees, mapping and suggestions', () => {
  let h: InventoryHarness;
  let itemId = '';

  beforeAll(async () => {
    h = await InventoryHarness.start('categories');
    await h.stack.ksControl.setShopCatalog(h.shops.kuaishou, { closedCategoryIds: [CLOSED_LEAF], suggestDailyCap: 1 });
  });

  afterAll(async () => {
    await h?.close();
  });

  const api = (path: string, init?: RequestInit) =>
    fetch(`${h.stack.url}/api/merchants/${h.merchantId}/catalog${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...h.auth },
    });
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await api(path, init)).json()) as T;
  const mappings = () => json<Mapping[]>('/category-mappings');

  it('refuses to map before any Kuaishou tree was read', async () => {
    const res = await api('/category-mappings', {
      method: 'PUT',
      body: JSON.stringify({ scope: 'category', youzanId: '1000000', kuaishouCategoryId: '1584' }),
    });
    expect(res.status).toBe(409);
  });

  it('reads every shop’s tree on schedule: the job enqueues, the consumer reads', async () => {
    const enqueued = await h.stack.t.app.get(CategoryTreeRefreshJob).enqueueDue();
    expect(enqueued).toBe(2);
    await h.quiet();
    const reads = await json<TreeRead[]>('/category-trees');
    expect(reads.find((r) => r.platform === 'kuaishou')).toMatchObject({
      categoryCount: KS_ROWS,
      readAt: expect.any(Number),
    });
    expect(reads.find((r) => r.platform === 'youzan')).toMatchObject({
      categoryCount: YZ_ROWS,
      readAt: expect.any(Number),
    });
    // Fresh trees are not due again.
    expect(await h.stack.t.app.get(CategoryTreeRefreshJob).enqueueDue()).toBe(0);
  });

  it('the service itself refuses to refresh another merchant’s shop, and the read stays as it was', async () => {
    const other = await createTestMerchant(h.stack.t.app, 'Other merchant');
    const before = (await json<TreeRead[]>('/category-trees')).find((r) => r.platform === 'kuaishou')!;
    const trees = h.stack.t.app.get(CategoryTreeService);
    await expect(trees.refresh(other.merchantId, h.connections.kuaishou.id)).rejects.toBeInstanceOf(
      ConnectionNotFoundException,
    );
    const after = (await json<TreeRead[]>('/category-trees')).find((r) => r.platform === 'kuaishou')!;
    expect(after).toEqual(before);
  });

  it('re-reads on demand and keeps the merchant’s open flags', async () => {
    const before = (await json<TreeRead[]>('/category-trees')).find((r) => r.platform === 'kuaishou')!;
    const res = await api('/category-trees/refresh', {
      method: 'POST',
      body: JSON.stringify({ connectionId: h.connections.kuaishou.id }),
    });
    expect(res.status).toBe(200);
    const [after] = (await res.json()) as TreeRead[];
    expect(after.readAt).toBeGreaterThanOrEqual(before.readAt!);
    const nodes = await json<{ id: string; leaf: boolean; open: boolean }[]>(
      `/category-trees/${h.connections.kuaishou.id}`,
    );
    expect(nodes).toHaveLength(KS_ROWS);
    expect(nodes.find((n) => n.id === String(CLOSED_LEAF))).toMatchObject({ leaf: true, open: false });
    expect(nodes.find((n) => n.id === '1584')).toMatchObject({ leaf: true, open: true });
  });

  it('lists the shipped defaults for all 26 Youzan categories until the merchant overrides one', async () => {
    const list = await mappings();
    expect(list.filter((m) => m.scope === 'category')).toHaveLength(26);
    expect(list.find((m) => m.youzanId === '1000000')).toMatchObject({
      kuaishouCategoryId: '1635',
      source: 'default',
      open: true,
    });

    const res = await api('/category-mappings', {
      method: 'PUT',
      body: JSON.stringify({ scope: 'category', youzanId: '1000000', kuaishouCategoryId: '1584' }),
    });
    expect(res.status).toBe(200);
    expect((await mappings()).find((m) => m.youzanId === '1000000')).toMatchObject({
      kuaishouCategoryId: '1584',
      source: 'merchant',
    });

    expect((await api('/category-mappings/category/1000000', { method: 'DELETE' })).status).toBe(204);
    expect((await mappings()).find((m) => m.youzanId === '1000000')).toMatchObject({
      kuaishouCategoryId: '1635',
      source: 'default',
    });
  });

  it('refuses a closed leaf, a branch and an unknown Youzan category with field messages, changing nothing', async () => {
    const before = await mappings();
    const put = (body: object) => api('/category-mappings', { method: 'PUT', body: JSON.stringify(body) });
    const closed = await put({ scope: 'category', youzanId: '1000000', kuaishouCategoryId: String(CLOSED_LEAF) });
    expect(closed.status).toBe(400);
    expect(JSON.stringify(await closed.json())).toContain('not open for this shop');
    const branch = await put({ scope: 'category', youzanId: '1000000', kuaishouCategoryId: '1582' });
    expect(branch.status).toBe(400);
    const unknown = await put({ scope: 'category', youzanId: '1234567', kuaishouCategoryId: '1584' });
    expect(unknown.status).toBe(400);
    const malformed = await put({ scope: 'shop', youzanId: 'x', kuaishouCategoryId: '' });
    expect(malformed.status).toBe(400);
    const fields = ((await malformed.json()) as { fields: { field: string }[] }).fields.map((f) => f.field).sort();
    expect(fields).toEqual(['kuaishouCategoryId', 'scope', 'youzanId']);
    expect(await mappings()).toEqual(before);
  });

  it('names the request’s own fields when the service refuses a mapping', async () => {
    const put = (body: object) => api('/category-mappings', { method: 'PUT', body: JSON.stringify(body) });
    const fieldsOf = async (res: Response) =>
      ((await res.json()) as { fields: { field: string }[] }).fields.map((f) => f.field);
    const unknown = await put({ scope: 'category', youzanId: '1234567', kuaishouCategoryId: '1582' });
    expect(unknown.status).toBe(400);
    expect(await fieldsOf(unknown)).toEqual(['youzanId', 'kuaishouCategoryId']);
    const closed = await put({ scope: 'category', youzanId: '1000000', kuaishouCategoryId: String(CLOSED_LEAF) });
    expect(await fieldsOf(closed)).toEqual(['kuaishouCategoryId']);
  });

  it('maps an item of the merchant’s Youzan shop over its category, refusing an item the shop lacks', async () => {
    const before = await mappings();
    const put = (youzanId: string) =>
      api('/category-mappings', {
        method: 'PUT',
        body: JSON.stringify({ scope: 'item', youzanId, kuaishouCategoryId: '1823' }),
      });
    const missing = await put('99999999999999999999999999');
    expect(missing.status).toBe(400);
    expect((await missing.json()) as object).toMatchObject({
      fields: [{ field: 'youzanId', messages: [expect.stringContaining('not an item')] }],
    });
    // An item of another Youzan shop (the emulator's data example) is not this merchant's either.
    expect((await put('403680077')).status).toBe(400);
    expect(await mappings()).toEqual(before);

    const item = await h.stack.yzControl.createItem({
      kdtId: Number(h.shops.youzan),
      title: '胶原蛋白饮',
      skus: [{ itemNo: 'CAT-1', priceFen: 5900, stock: 0 }],
    });
    itemId = item.itemId;
    const res = await put(itemId);
    expect(res.status).toBe(200);
    expect((await mappings()).find((m) => m.scope === 'item')).toMatchObject({
      youzanId: itemId,
      kuaishouCategoryId: '1823',
      source: 'merchant',
    });

    // An item bound to a merchant SKU is known from its binding: Youzan is not asked.
    const bound = await h.sku('CAT-B', { onHand: 0 });
    const itemReads = async () => (await h.stack.yzControl.counters()).calls['youzan.item.get'] ?? 0;
    const readsBefore = await itemReads();
    expect(readsBefore).toBeGreaterThan(0); // the counter is the one the unbound item above was read with
    expect((await put(bound.yz.itemId)).status).toBe(200);
    expect(await itemReads()).toBe(readsBefore);
    expect((await api(`/category-mappings/item/${bound.yz.itemId}`, { method: 'DELETE' })).status).toBe(204);

    const service = h.stack.t.app.get(CategoryMappingService);
    expect(await service.resolve(h.merchantId, '3000000', itemId)).toMatchObject({
      scope: 'item',
      kuaishouCategoryId: '1823',
    });
    expect(await service.resolve(h.merchantId, '3000000', '1')).toMatchObject({
      scope: 'category',
      kuaishouCategoryId: '1165',
      source: 'default',
    });
  });

  it('exports the mapping as CSV and imports an edited file back', async () => {
    const res = await api('/category-mappings/export.csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('scope,youzan_id,youzan_name,kuaishou_category_id,kuaishou_path,source');
    expect(lines).toHaveLength(1 + 26 + 1);
    const edited = csv.replace('category,3000000,食品,1165,', 'category,3000000,食品,1166,');
    const imported = await api('/category-mappings/import', { method: 'POST', body: JSON.stringify({ csv: edited }) });
    expect(imported.status).toBe(200);
    // The edited row and the item row are applied; the rest is still at the default and stays a default.
    expect(await imported.json()).toEqual({ applied: 2, unchanged: 25 });
    const list = await mappings();
    expect(list.find((m) => m.youzanId === '3000000')).toMatchObject({
      kuaishouCategoryId: '1166',
      source: 'merchant',
    });
    expect(list.filter((m) => m.scope === 'category' && m.source === 'merchant')).toHaveLength(1);
  });

  it('imports nothing when one row is bad, naming each bad row and field', async () => {
    const before = await mappings();
    const csv = [
      'scope,youzan_id,kuaishou_category_id',
      'category,2000000,1526',
      `category,4000000,${CLOSED_LEAF}`,
      'category,9999999,1584',
      'planet,5000000,1584',
    ].join('\n');
    const res = await api('/category-mappings/import', { method: 'POST', body: JSON.stringify({ csv }) });
    expect(res.status).toBe(400);
    const fields = ((await res.json()) as { fields: { field: string }[] }).fields.map((f) => f.field);
    expect(fields).toEqual(['row 3.kuaishou_category_id', 'row 4.youzan_id', 'row 5.scope']);
    expect(await mappings()).toEqual(before);

    const blankLeaves = ['scope,youzan_id,kuaishou_category_id', 'foo,3000000,', 'category,9999999,', 'item,abc,'];
    const blank = await api('/category-mappings/import', {
      method: 'POST',
      body: JSON.stringify({ csv: blankLeaves.join('\n') }),
    });
    expect(blank.status).toBe(400);
    const blankFields = ((await blank.json()) as { fields: { field: string }[] }).fields.map((f) => f.field);
    expect(blankFields).toEqual(['row 2.scope', 'row 3.youzan_id', 'row 4.youzan_id']);
    const ghost = await api('/category-mappings/import', {
      method: 'POST',
      body: JSON.stringify({ csv: 'scope,youzan_id,kuaishou_category_id\nitem,99999999999999999999999999,1584' }),
    });
    expect(ghost.status).toBe(400);
    expect(JSON.stringify(await ghost.json())).toContain('row 2.youzan_id');
    expect(await mappings()).toEqual(before);

    const broken = await api('/category-mappings/import', {
      method: 'POST',
      body: JSON.stringify({ csv: 'scope,youzan_id\n"unterminated' }),
    });
    expect(broken.status).toBe(400);
    expect(await mappings()).toEqual(before);
  });

  it('suggests open leaves of the shop’s tree, asking Kuaishou too until its daily cap', async () => {
    const ask = (body: object) =>
      json<Suggest>('/category-suggestions', { method: 'POST', body: JSON.stringify(body) });
    const skirt = await ask({ title: '高腰A字半身裙女春秋', youzanCategory: '女人' });
    expect(skirt.tree).toBe('shop');
    expect(skirt.kuaishou).toBe('skipped');
    expect(skirt.suggestions.map((s) => s.categoryId)).not.toContain(String(CLOSED_LEAF));

    const withImages = {
      title: '法式碎花雪纺连衣裙',
      youzanCategory: '女人',
      imageUrls: ['https://img.example.com/a.jpg'],
    };
    const first = await ask(withImages);
    expect(first.kuaishou).toBe('used');
    expect(first.suggestions[0]).toMatchObject({ categoryId: '1584', sources: ['local', 'kuaishou'] });
    const second = await ask(withImages);
    expect(second.kuaishou).toBe('capped');
    expect(second.suggestions[0]).toMatchObject({ categoryId: '1584', sources: ['local'] });
  });

  it('suggests leaves for a whole Youzan category and validates the request', async () => {
    const food = await json<Suggest>('/category-mappings/3000000/suggestions');
    expect(food.suggestions.length).toBeGreaterThan(0);
    expect((await api('/category-mappings/42/suggestions')).status).toBe(400);
    const bad = await api('/category-suggestions', { method: 'POST', body: JSON.stringify({ title: '', limit: 99 }) });
    expect(bad.status).toBe(400);
    const suggest = (youzanCategory: string) =>
      api('/category-suggestions', { method: 'POST', body: JSON.stringify({ title: '连衣裙', youzanCategory }) });
    const unknown = await suggest('nonexistent');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()) as object).toMatchObject({ fields: [{ field: 'youzanCategory' }] });
    expect((await suggest('1000000')).status).toBe(200);
    expect((await suggest('女人')).status).toBe(200);
  });

  it('clears a mapping only for a well-formed, known id', async () => {
    const before = await mappings();
    const del = (path: string) => api(`/category-mappings/${path}`, { method: 'DELETE' });
    const malformed = await del('category/abc');
    expect(malformed.status).toBe(400);
    expect((await malformed.json()) as object).toMatchObject({ fields: [{ field: 'youzanId' }] });
    expect((await del('item/abc')).status).toBe(400);
    expect((await del('shop/1000000')).status).toBe(400);
    expect((await del('category/1234567')).status).toBe(404);
    expect((await del('item/123456789')).status).toBe(404);
    expect(await mappings()).toEqual(before);
    // A known category already at its default stays there.
    expect((await del('category/2000000')).status).toBe(204);
    expect((await del(`item/${itemId}`)).status).toBe(204);
    expect((await mappings()).find((m) => m.scope === 'item' && m.youzanId === itemId)).toBeUndefined();
  });

  it('shows the mapping on the merchant’s catalog page and changes it from the form', async () => {
    const pageUrl = `${h.stack.url}/merchants/${h.merchantId}/catalog`;
    const shown = await fetch(pageUrl, { headers: h.auth });
    expect(shown.status).toBe(200);
    const body = await shown.text();
    expect(body).toContain('data-testid="mapping-category-1000000"');
    expect(body).toContain('data-testid="tree-kuaishou"');

    const post = (leaf: string) =>
      fetch(`${pageUrl}/mappings`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...h.auth },
        body: new URLSearchParams({ scope: 'category', youzanId: '7000000', kuaishouCategoryId: leaf }).toString(),
      });
    const refused = await post(String(CLOSED_LEAF));
    expect(refused.status).toBe(303);
    expect(decodeURIComponent(refused.headers.get('location') ?? '')).toContain('not open for this shop');
    expect((await mappings()).find((m) => m.youzanId === '7000000')).toMatchObject({ source: 'default' });

    const saved = await post('1067');
    expect(saved.status).toBe(303);
    expect((await mappings()).find((m) => m.youzanId === '7000000')).toMatchObject({
      kuaishouCategoryId: '1067',
      source: 'merchant',
    });
  });
});
