import { ShopRef } from '@app/platforms/ports/platform.types';
import { ChannelItemDraft } from '@app/platforms/ports/catalog.port';
import { rawPost, SAMPLE_IMAGE, startYouzanHarness, YouzanHarness, failure } from './youzan-harness';

function draft(overrides: Partial<ChannelItemDraft> = {}): ChannelItemDraft {
  return {
    outerItemId: 'KS-ITEM-1',
    title: '纯棉短袖T恤',
    categoryId: '1000000',
    description: '<p>100% 纯棉，舒适透气。</p>',
    imageUrls: [SAMPLE_IMAGE],
    properties: [],
    skus: [
      {
        outerSkuId: 'KS-SKU-RED-M',
        specs: [
          { name: '颜色', value: '红色' },
          { name: '尺码', value: 'M' },
        ],
        priceFen: 5990,
        stock: 10,
      },
      {
        outerSkuId: 'KS-SKU-RED-L',
        specs: [
          { name: '颜色', value: '红色' },
          { name: '尺码', value: 'L' },
        ],
        priceFen: 6990,
        stock: 4,
      },
    ],
    ...overrides,
  };
}

describe('Youzan catalog, stock and prices channels against the emulator', () => {
  let h: YouzanHarness;
  let shop: ShopRef;

  beforeAll(async () => {
    h = await startYouzanHarness();
    shop = await h.connectShop();
  });
  afterAll(() => h.close());

  it('reads the real v3 category list: self-referencing roots are leaves, 其他 has 18 children', async () => {
    const categories = await h.channels.catalog.getCategories(shop);
    expect(categories).toHaveLength(26);
    expect(categories.find((c) => c.id === '1000000')).toEqual({
      id: '1000000',
      parentId: null,
      name: '女人',
      leaf: true,
    });
    expect(categories.find((c) => c.id === '8000000')?.leaf).toBe(false);
    expect(categories.filter((c) => c.parentId === '8000000')).toHaveLength(18);
    expect(await h.channels.catalog.getCategoryProperties(shop, '1000000')).toEqual([]);
  });

  it('creates an item with SKUs whose merchant codes come back, and reads it back in fen', async () => {
    const ref = await h.channels.catalog.createItem(shop, draft());
    expect(ref.skus.map((s) => s.outerSkuId)).toEqual(['KS-SKU-RED-M', 'KS-SKU-RED-L']);
    expect(ref.skus.every((s) => /^\d+$/.test(s.skuId))).toBe(true);
    const item = await h.channels.catalog.getItem(shop, ref.itemId);
    expect(item).toMatchObject({
      itemId: ref.itemId,
      outerItemId: 'KS-ITEM-1',
      title: '纯棉短袖T恤',
      categoryId: '1000000',
      onShelf: true,
    });
    expect(item.skus.map((s) => [s.outerSkuId, s.priceFen, s.stock])).toEqual([
      ['KS-SKU-RED-M', 5990, 10],
      ['KS-SKU-RED-L', 6990, 4],
    ]);
    expect(item.skus[0].specs).toEqual([
      { name: '颜色', value: '红色' },
      { name: '尺码', value: 'M' },
    ]);
    const emu = await h.control.getItem(ref.itemId);
    expect(emu.skus.map((s) => s.itemNo)).toEqual(['KS-SKU-RED-M', 'KS-SKU-RED-L']);
  });

  it('keeps item ids beyond 2^53 exact through create, get and stock writes', async () => {
    const refs = [];
    for (let i = 0; i < 2; i++)
      refs.push(
        await h.channels.catalog.createItem(
          shop,
          draft({
            outerItemId: `KS-BIG-${i}`,
            skus: [{ outerSkuId: `KS-BIG-${i}`, specs: [], priceFen: 100, stock: 1 }],
          }),
        ),
      );
    const big = refs.find((r) => BigInt(r.itemId) > BigInt(Number.MAX_SAFE_INTEGER));
    expect(big).toBeDefined();
    const sku = { itemId: big?.itemId ?? '', skuId: big?.skus[0].skuId ?? '' };
    expect(await h.channels.stock.setSkuStock(shop, sku, 77, 'op-big')).toEqual({ outcome: 'applied' });
    expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(77);
    expect((await h.channels.catalog.getItem(shop, sku.itemId)).itemId).toBe(sku.itemId);
  });

  describe('listing validation (Youzan error bodies → INVALID_REQUEST)', () => {
    it('rejects a title over 100 characters', async () => {
      const error = await failure(h.channels.catalog.createItem(shop, draft({ title: '长'.repeat(101) })));
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '121000103' });
      expect(error.rawMessage).toContain('100');
    });

    it('rejects a description of 5 characters or fewer', async () => {
      expect(await failure(h.channels.catalog.createItem(shop, draft({ description: '短描述' })))).toMatchObject({
        code: 'INVALID_REQUEST',
        rawCode: '121000103',
      });
    });

    it('rejects an item without images', async () => {
      expect(await failure(h.channels.catalog.createItem(shop, draft({ imageUrls: [] })))).toMatchObject({
        code: 'INVALID_REQUEST',
        rawCode: '121009313',
      });
    });

    it('rejects a zero price', async () => {
      const error = await failure(
        h.channels.catalog.createItem(shop, draft({ skus: [{ outerSkuId: 'Z', specs: [], priceFen: 0, stock: 1 }] })),
      );
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '121000103' });
    });

    it('rejects sku_stocks that is not valid JSON, and a parent category', async () => {
      const token = h.tokens.grants.get(shop.connectionId)?.accessToken;
      const image = await h.control.uploadImage(Number(shop.shopId));
      const base = { title: '测试商品', desc: '<p>足够长的商品描述</p>', price: 100, image_ids: image.imageId };
      const badSku = await rawPost(
        `${h.emulator.url}/api/youzan.item.create/3.0.1?access_token=${token}`,
        JSON.stringify({ ...base, sku_stocks: '[{"price":100,' }),
      );
      expect(badSku.json).toMatchObject({ code: 121000103, success: false });
      const parent = await rawPost(
        `${h.emulator.url}/api/youzan.item.create/3.0.1?access_token=${token}`,
        JSON.stringify({ ...base, cid: 8000000 }),
      );
      expect(parent.json).toMatchObject({ code: 121000103, success: false });
    });
  });

  describe('stock', () => {
    let sku: { itemId: string; skuId: string };

    beforeEach(async () => {
      const item = await h.control.createItem({
        kdtId: Number(shop.shopId),
        title: '库存测试',
        skus: [{ itemNo: 'STOCK-1', priceFen: 1000, stock: 20 }],
      });
      sku = { itemId: item.itemId, skuId: item.skus[0].skuId };
    });

    it('reads stock, writes it absolutely (type 0) and incrementally (type 1, signed)', async () => {
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(20);
      expect(await h.channels.stock.setSkuStock(shop, sku, 15, 'op-set-1')).toEqual({ outcome: 'applied' });
      expect(await h.channels.stock.adjustSkuStock(shop, sku, 5, 'op-adj-1')).toEqual({ outcome: 'applied' });
      expect(await h.channels.stock.adjustSkuStock(shop, sku, -7, 'op-adj-2')).toEqual({ outcome: 'applied' });
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(13);
    });

    it('rejects an increment that would take stock below zero and leaves it unchanged', async () => {
      expect(await failure(h.channels.stock.adjustSkuStock(shop, sku, -21, 'op-neg'))).toMatchObject({
        code: 'INVALID_REQUEST',
        rawCode: '123000103',
      });
      expect((await h.control.getSku(sku.itemId, sku.skuId)).stock).toBe(20);
    });

    it('sees a back-office stock edit and sales on the platform', async () => {
      await h.control.setSku(sku.itemId, sku.skuId, { stock: 9 });
      await h.control.placeOrder({ kdtId: Number(shop.shopId), lines: [{ skuId: sku.skuId, quantity: 2 }] });
      expect(await h.channels.stock.getSkuStock(shop, sku)).toBe(7);
    });

    it('reports NOT_FOUND for an unknown SKU', async () => {
      expect(await failure(h.channels.stock.getSkuStock(shop, { itemId: sku.itemId, skuId: '1' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(
        await failure(h.channels.stock.setSkuStock(shop, { itemId: sku.itemId, skuId: '1' }, 1, 'op-x')),
      ).toMatchObject({ code: 'NOT_FOUND', rawCode: '123004002' });
    });
  });

  it('refuses negative increments when the emulator is configured like a platform that rejects them', async () => {
    const strict = await startYouzanHarness({ emulator: { refuseNegativeIncrement: true } });
    try {
      const strictShop = await strict.connectShop();
      const item = await strict.control.createItem({
        kdtId: Number(strictShop.shopId),
        title: '严格',
        skus: [{ itemNo: 'S', priceFen: 100, stock: 5 }],
      });
      const sku = { itemId: item.itemId, skuId: item.skus[0].skuId };
      expect(await failure(strict.channels.stock.adjustSkuStock(strictShop, sku, -1, 'op-strict'))).toMatchObject({
        code: 'INVALID_REQUEST',
        rawCode: '123000106',
      });
      expect(await strict.channels.stock.adjustSkuStock(strictShop, sku, 2, 'op-strict-2')).toEqual({
        outcome: 'applied',
      });
      expect((await strict.control.getSku(sku.itemId, sku.skuId)).stock).toBe(7);
    } finally {
      await strict.close();
    }
  });

  it('writes a SKU price in yuan with two decimals and it lands as exact fen', async () => {
    const item = await h.control.createItem({
      kdtId: Number(shop.shopId),
      title: '价格测试',
      skus: [{ itemNo: 'P-1', priceFen: 1000, stock: 1 }],
    });
    const sku = { itemId: item.itemId, skuId: item.skus[0].skuId };
    for (const price of [1999, 1, 100000, 1010]) {
      await h.channels.prices.setSkuPrice(shop, sku, price);
      expect((await h.control.getSku(sku.itemId, sku.skuId)).priceFen).toBe(price);
    }
  });

  it('edits title and SKU merchant code, and shelves on and off', async () => {
    const ref = await h.channels.catalog.createItem(shop, draft({ outerItemId: 'KS-EDIT' }));
    await h.channels.catalog.editItem(shop, ref.itemId, {
      title: '新标题',
      skus: [{ skuId: ref.skus[0].skuId, priceFen: 4990, outerSkuId: 'KS-SKU-NEW' }],
    });
    let item = await h.channels.catalog.getItem(shop, ref.itemId);
    expect(item.title).toBe('新标题');
    expect(item.skus[0]).toMatchObject({ outerSkuId: 'KS-SKU-NEW', priceFen: 4990 });
    await h.channels.catalog.setShelfStatus(shop, ref.itemId, false);
    item = await h.channels.catalog.getItem(shop, ref.itemId);
    expect(item.onShelf).toBe(false);
    await h.channels.catalog.setShelfStatus(shop, ref.itemId, true);
    expect((await h.channels.catalog.getItem(shop, ref.itemId)).onShelf).toBe(true);
  });

  it('lists on-sale items then warehouse items across pages without gaps', async () => {
    const other = await h.connectShop();
    const kdtId = Number(other.shopId);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        (
          await h.control.createItem({
            kdtId,
            title: `列表 ${i}`,
            listed: i % 3 !== 0,
            skus: [{ itemNo: `L-${i}`, priceFen: 100 + i, stock: i }],
          })
        ).itemId,
      );
    const seen: string[] = [];
    let total = 0;
    for (let page = 1; page <= 3; page++) {
      const result = await h.channels.catalog.listItems(other, { page, pageSize: 3 });
      total = result.total;
      seen.push(...result.items.map((i) => i.itemId));
    }
    expect(total).toBe(7);
    expect([...seen].sort()).toEqual([...ids].sort());
    const onShelfFirst = (await h.channels.catalog.listItems(other, { page: 1, pageSize: 7 })).items.map(
      (i) => i.onShelf,
    );
    expect(onShelfFirst).toEqual([true, true, true, true, false, false, false]);
  });
});
