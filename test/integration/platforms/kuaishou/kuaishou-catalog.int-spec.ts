import { ChannelItemDraft } from '@app/platforms/ports/catalog.port';
import { PlatformError } from '@app/platforms/platform-error';
import { SandboxControlError } from '@app/sandbox/kuaishou/kuaishou-sandbox.control';
import { KuaishouHarness, startKuaishouHarness } from './kuaishou.harness';

/** Kuaishou takes only images it hosts: set in beforeAll from open.item.image.upload. */
let IMAGE = '';

/** A valid 连衣裙 (1584) listing: the synthetic required properties filled, 2 colours × 2 sizes. */
function dress(overrides: Partial<ChannelItemDraft> = {}): ChannelItemDraft {
  const sku = (color: string, size: string, priceFen = 15_900) => ({
    outerSkuId: `DRESS-${color}-${size}`,
    specs: [
      { name: '颜色', value: color },
      { name: '尺码', value: size },
    ],
    priceFen,
    stock: 20,
  });
  return {
    outerItemId: `DRESS-${Math.random().toString(36).slice(2, 8)}`,
    title: '法式碎花连衣裙',
    categoryId: '1584',
    description: '雪纺面料，夏季新款',
    imageUrls: [IMAGE],
    properties: [
      { propertyId: '102', valueIds: ['990000002'] },
      { propertyId: '99000001', valueIds: ['990000004', '990000007'] },
      { propertyId: '99000002', valueIds: ['990000012'] },
    ],
    skus: [sku('红', 'S'), sku('红', 'M'), sku('蓝', 'S'), sku('蓝', 'M', 16_900)],
    shipWithinHours: 24,
    ...overrides,
  };
}

describe('Kuaishou catalog against the emulator', () => {
  let h: KuaishouHarness;
  beforeAll(async () => {
    h = await startKuaishouHarness();
    IMAGE = await h.channels.catalog.uploadImage!(h.shop, { url: 'https://img.example.com/dress-1.jpg' });
  });
  afterAll(() => h.stop());

  it('reads the category tree and derives leaves from it', async () => {
    const categories = await h.channels.catalog.getCategories(h.shop);
    const byId = new Map(categories.map((c) => [c.id, c]));
    expect(byId.get('1001')).toMatchObject({ name: '服饰/鞋靴/箱包', parentId: null, leaf: false });
    expect(byId.get('1584')).toMatchObject({ name: '连衣裙', leaf: true });
    expect(byId.get(byId.get('1584')?.parentId ?? '')?.name).toBe('女装');
  });

  it("reads the merchant's open flags: a closed leaf is closed, its branch stays open while a sibling is open", async () => {
    const shop = await h.connectShop();
    await h.control.setShopCatalog(shop.shopId, { closedCategoryIds: [1584] });
    const byId = new Map((await h.channels.catalog.getCategories(shop)).map((c) => [c.id, c]));
    expect(byId.get('1584')).toMatchObject({ leaf: true, open: false });
    expect(byId.get('1609')).toMatchObject({ leaf: true, open: true });
    expect(byId.get('1582')).toMatchObject({ leaf: false, open: true });
    await expect(h.channels.catalog.createItem(shop, dress())).rejects.toBeInstanceOf(PlatformError);
  });

  it("returns Kuaishou's own suggestions until the shop's daily cap, then a rate-limit error", async () => {
    const shop = await h.connectShop();
    await h.control.setShopCatalog(shop.shopId, { suggestDailyCap: 2 });
    const request = { title: '法式碎花连衣裙', imageUrls: ['https://img.example.com/dress-1.jpg'] };
    const first = await h.channels.catalog.suggestCategories(shop, request);
    expect(first.length).toBeGreaterThan(0);
    expect(first.map((s) => s.categoryId)).toContain('1584');
    expect(first.find((s) => s.categoryId === '1584')?.path).toEqual(['服饰/鞋靴/箱包', '女装', '连衣裙']);
    await h.channels.catalog.suggestCategories(shop, request);
    await expect(h.channels.catalog.suggestCategories(shop, request)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('reads category properties with their input types and values', async () => {
    const properties = await h.channels.catalog.getCategoryProperties(h.shop, '1584');
    expect(properties.find((p) => p.id === '102')).toMatchObject({ name: '品牌', required: true, inputType: 'single' });
    expect(properties.find((p) => p.id === '99000001')).toMatchObject({
      name: '面料材质',
      required: true,
      inputType: 'multi',
      maxValues: 3,
    });
    expect(properties.find((p) => p.id === '99000001')?.values.map((v) => v.name)).toContain('雪纺');
  });

  it('lists an item and reads it back with its SKUs, codes and 24-hour promise', async () => {
    const draft = dress();
    const ref = await h.channels.catalog.createItem(h.shop, draft);
    expect(ref.skus.map((s) => s.outerSkuId)).toEqual(draft.skus.map((s) => s.outerSkuId));
    const item = await h.channels.catalog.getItem(h.shop, ref.itemId);
    expect(item).toMatchObject({
      itemId: ref.itemId,
      title: '法式碎花连衣裙',
      categoryId: '1584',
      onShelf: true,
      audit: 'approved',
    });
    expect(item.skus.map((s) => [s.outerSkuId, s.priceFen, s.stock])).toEqual(
      draft.skus.map((s) => [s.outerSkuId, s.priceFen, s.stock]),
    );
    const { items, total } = await h.channels.catalog.listItems(h.shop, { page: 1, pageSize: 20 });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(items.map((i) => i.itemId)).toContain(ref.itemId);
  });

  it('edits title and SKU price, takes the item off the shelf, after which buyers cannot order', async () => {
    const ref = await h.channels.catalog.createItem(h.shop, dress());
    await h.channels.catalog.editItem(h.shop, ref.itemId, {
      title: '法式碎花连衣裙 新款',
      skus: [{ skuId: ref.skus[0].skuId, priceFen: 14_900 }],
    });
    await h.channels.prices.setSkuPrice(h.shop, { itemId: ref.itemId, skuId: ref.skus[1].skuId }, 13_900);
    const item = await h.channels.catalog.getItem(h.shop, ref.itemId);
    expect(item.title).toBe('法式碎花连衣裙 新款');
    expect(item.skus.map((s) => s.priceFen).slice(0, 2)).toEqual([14_900, 13_900]);
    expect(item.skus[0].stock).toBe(20);

    await h.channels.catalog.setShelfStatus(h.shop, ref.itemId, false);
    expect((await h.channels.catalog.getItem(h.shop, ref.itemId)).onShelf).toBe(false);
    await expect(h.control.placeOrder({ itemId: ref.itemId, skuId: ref.skus[0].skuId })).rejects.toMatchObject({
      status: 409,
      code: 'not_on_sale',
    });
  });

  describe('listing validation', () => {
    const rejection = async (draft: ChannelItemDraft) =>
      (await h.channels.catalog.createItem(h.shop, draft).catch((e: unknown) => e)) as PlatformError;

    it('refuses a category that is not a leaf', async () => {
      const error = await rejection(dress({ categoryId: '1582', properties: [] }));
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '21' });
      expect(error.rawMessage).toContain('商品来源不可售卖');
    });

    it('refuses a listing without a required property', async () => {
      const error = await rejection(dress({ properties: [{ propertyId: '102', valueIds: ['990000002'] }] }));
      expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(error.rawMessage).toBe('必填属性未填写: 面料材质(99000001)、裙长(99000002)');
    });

    it('refuses SKUs that are not the full Cartesian product of the sale properties', async () => {
      const draft = dress();
      const error = await rejection({ ...draft, skus: draft.skus.slice(0, 3) });
      expect(error.rawMessage).toBe('SKU必须为销售属性值的完整组合(笛卡尔积)');
    });

    it('refuses a description over 1000 characters and more than 9 main images', async () => {
      expect((await rejection(dress({ description: 'x'.repeat(1001) }))).rawMessage).toBe(
        '商品详情描述长度必须为1-1000个字符',
      );
      expect(
        (
          await rejection(
            dress({ imageUrls: Array.from({ length: 10 }, (_, i) => `https://img.example.com/${i}.jpg`) }),
          )
        ).rawMessage,
      ).toBe('商品主图数量必须为1-9张');
    });

    it('refuses images Kuaishou does not host: a merchant URL, and one on its host that it never issued', async () => {
      const foreign = await rejection(dress({ imageUrls: ['https://img.example.com/dress-1.jpg'] }));
      expect(foreign).toMatchObject({ code: 'INVALID_REQUEST', rawCode: '21' });
      expect(foreign.rawMessage).toContain('不是快手图片地址');
      const madeUp = await rejection(dress({ imageUrls: ['https://p4-ec.kwaixiaodian.com/bs2/never-uploaded.jpg'] }));
      expect(madeUp.rawMessage).toContain('open.item.image.upload');
      const spec = dress();
      spec.skus = spec.skus.map((sku) => ({
        ...sku,
        specs: sku.specs.map((v, i) => (i === 0 ? { ...v, imageUrl: 'https://img.example.com/red.jpg' } : v)),
      }));
      expect((await rejection(spec)).rawMessage).toContain('SKU规格图');
      const ref = await h.channels.catalog.createItem(h.shop, dress());
      const edit = await h.channels.catalog
        .editItem(h.shop, ref.itemId, { imageUrls: ['https://img.example.com/other.jpg'] })
        .catch((e: unknown) => e);
      expect((edit as PlatformError).rawMessage).toContain('不是快手图片地址');
    });

    it('refuses a reused relItemId and a refund rule the category does not offer', async () => {
      const draft = dress({ outerItemId: '880001' });
      await h.channels.catalog.createItem(h.shop, draft);
      expect((await rejection({ ...draft })).rawMessage).toBe('relItemId 880001 已被使用，不能重复');
      expect((await rejection(dress({ extras: { refundRule: '13' } }))).rawMessage).toBe(
        '退货规则[13]不在类目允许范围内',
      );
    });
  });

  it('edits a SKU’s sale-property values in place, refusing values that break the full Cartesian set', async () => {
    const ref = await h.channels.catalog.createItem(h.shop, dress());
    const sizeOf = (specs: { name: string; value: string }[], size: string) =>
      specs.map((s) => (s.name === '尺码' ? { ...s, value: size } : s));
    const draft = dress();
    // 红-S → 红-M would repeat 红-M: refused, nothing changed.
    const clash = await h.channels.catalog
      .editItem(h.shop, ref.itemId, { skus: [{ skuId: ref.skus[0].skuId, specs: sizeOf(draft.skus[0].specs, 'M') }] })
      .catch((e: unknown) => e);
    expect((clash as PlatformError).rawMessage).toBe('SKU销售属性组合重复');
    // Renaming one size on every SKU holding it keeps the product full.
    const renamed = ref.skus
      .map((sku, i) => ({ sku, specs: draft.skus[i].specs }))
      .filter(({ specs }) => specs.some((s) => s.value === 'S'))
      .map(({ sku, specs }) => ({ skuId: sku.skuId, specs: sizeOf(specs, 'XS') }));
    await h.channels.catalog.editItem(h.shop, ref.itemId, { skus: renamed });
    const item = await h.channels.catalog.getItem(h.shop, ref.itemId);
    expect(item.skus.map((s) => s.specs.map((v) => v.value).join('-'))).toEqual(['红-XS', '红-M', '蓝-XS', '蓝-M']);
    expect(item.skus.map((s) => s.stock)).toEqual([20, 20, 20, 20]);
  });

  it('answers 3401 for an item once edited in Kuaishou’s own editor', async () => {
    const ref = await h.channels.catalog.createItem(h.shop, dress());
    await h.control.updateItem(ref.itemId, { onlineEdited: true });
    await expect(h.channels.catalog.editItem(h.shop, ref.itemId, { title: 'x' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      rawCode: '3401',
    });
  });

  it('holds new listings and audited edits for review in manual audit mode', async () => {
    const manual = await startKuaishouHarness({ emulator: { auditMode: 'manual' } });
    try {
      const image = await manual.channels.catalog.uploadImage!(manual.shop, { url: 'https://img.example.com/d.jpg' });
      const ref = await manual.channels.catalog.createItem(manual.shop, dress({ imageUrls: [image] }));
      expect(await manual.channels.catalog.getItem(manual.shop, ref.itemId)).toMatchObject({
        audit: 'pending',
        onShelf: false,
      });
      await manual.control.auditItem(ref.itemId, true);
      expect(await manual.channels.catalog.getItem(manual.shop, ref.itemId)).toMatchObject({
        audit: 'approved',
        onShelf: true,
      });
      await manual.channels.catalog.editItem(manual.shop, ref.itemId, { title: '待审核的新标题' });
      expect((await manual.channels.catalog.getItem(manual.shop, ref.itemId)).title).toBe('法式碎花连衣裙');
      await manual.control.auditItem(ref.itemId, true);
      expect((await manual.channels.catalog.getItem(manual.shop, ref.itemId)).title).toBe('待审核的新标题');
    } finally {
      await manual.stop();
    }
  });

  it('rejects a control request for an unknown item with a typed error', async () => {
    await expect(h.control.getItem('1')).rejects.toBeInstanceOf(SandboxControlError);
  });
});
