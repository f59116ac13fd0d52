import categoriesFile from '../data/youzan-categories.json';
import { ApiContext, ApiDef, num, str } from './youzan-api.common';
import { LongId, parseYuan } from './youzan-emulator.codec';
import { BusinessError } from './youzan-emulator.errors';
import { Item, Sku } from './youzan-emulator.store';
import { itemView, listItemView } from './youzan-emulator.views';

const MAX_TITLE = 100;

const MAX_IMAGE_BYTES = 1024 * 1024;

const ITEM_PARAM = 121000103;

interface SkuStockInput {
  price: number;
  quantity: number;
  item_no?: string;
  skus: { k: string; v: string }[];
}

function parseSkuStocks(text: string): SkuStockInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BusinessError(ITEM_PARAM, 'sku_stocks 格式错误: 不是合法的JSON');
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new BusinessError(ITEM_PARAM, 'sku_stocks 格式错误: 必须是非空数组');
  return parsed.map((entry: unknown, i) => {
    const e = entry as Partial<SkuStockInput>;
    if (typeof e !== 'object' || e === null) throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}] 格式错误`);
    if (!Number.isInteger(e.price) || (e.price as number) < 1)
      throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}].price 必须是大于0的整数(分)`);
    if (!Number.isInteger(e.quantity) || (e.quantity as number) < 0)
      throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}].quantity 必须是非负整数`);
    if (
      !Array.isArray(e.skus) ||
      !e.skus.length ||
      e.skus.some((s) => typeof s?.k !== 'string' || typeof s?.v !== 'string' || !s.k || !s.v)
    ) {
      throw new BusinessError(ITEM_PARAM, `sku_stocks[${i}].skus 必须包含规格名 k 和规格值 v`);
    }
    return {
      price: e.price as number,
      quantity: e.quantity as number,
      item_no: typeof e.item_no === 'string' ? e.item_no : '',
      skus: e.skus,
    };
  });
}

const LEAF_CIDS = new Set<number>(
  (categoriesFile.categories as { id: number; leaf: boolean }[]).filter((c) => c.leaf).map((c) => c.id),
);

function validateListing(
  ctx: ApiContext,
  input: { title?: string; desc?: string; price?: number; imageIds?: string; cid?: number },
  creating: boolean,
): number[] | undefined {
  const { title, desc, price, imageIds, cid } = input;
  if (title !== undefined && (title.trim() === '' || [...title].length > MAX_TITLE))
    throw new BusinessError(ITEM_PARAM, '商品标题不能为空且不能超过100个字');
  if (desc !== undefined && ([...desc].length <= 5 || [...desc].length >= 25000))
    throw new BusinessError(ITEM_PARAM, '商品描述字数要大于5个字符，小于25000个字符');
  if (price !== undefined && (!Number.isInteger(price) || price < 1))
    throw new BusinessError(ITEM_PARAM, '商品价格必须是大于0的整数(分)');
  if (cid !== undefined && cid !== 0 && !LEAF_CIDS.has(cid))
    throw new BusinessError(ITEM_PARAM, `类目 ${cid} 不存在或不是叶子类目`);
  if (imageIds === undefined) {
    if (creating) throw new BusinessError(121009313, '至少上传一张商品图片');
    return undefined;
  }
  const ids = imageIds
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!ids.length) throw new BusinessError(121009313, '至少上传一张商品图片');
  return ids.map((id) => {
    const image = ctx.store.images.get(Number(id));
    if (!/^\d+$/.test(id) || !image || image.kdtId !== ctx.shop.kdtId)
      throw new BusinessError(ITEM_PARAM, `图片 ${id} 不存在`);
    return Number(id);
  });
}

function itemOf(ctx: ApiContext, code = 122001001): Item {
  const id = str(ctx.params, 'item_id');
  if (id !== undefined) return ctx.store.item(id, ctx.shop.kdtId, code);
  const alias = str(ctx.params, 'alias');
  const found = alias ? ctx.store.itemsOf(ctx.shop.kdtId).find((i) => i.alias === alias) : undefined;
  if (!found) throw new BusinessError(code, '商品不存在');
  return found;
}

function listItems(ctx: ApiContext, onSale: boolean) {
  const pageNo = num(ctx.params, 'page_no') || 1;
  const pageSize = num(ctx.params, 'page_size') || 40;
  // Digest limits (stricter than the 2020 doc's "page_size ≤ 300").
  if (pageNo < 1 || pageNo > 100) throw new BusinessError(ITEM_PARAM, 'page_no 取值范围 1-100');
  if (pageSize < 1 || pageSize >= 200) throw new BusinessError(ITEM_PARAM, 'page_size 必须小于200');
  if (pageNo * pageSize > 4000) throw new BusinessError(ITEM_PARAM, 'page_no * page_size 不能超过4000');
  const q = str(ctx.params, 'q');
  const from = num(ctx.params, 'update_time_start');
  const to = num(ctx.params, 'update_time_end');
  const banner = str(ctx.params, 'banner');
  let items = ctx.store.itemsOf(ctx.shop.kdtId).filter((i) => {
    if (onSale) return i.listed;
    if (banner === 'sold_out') return ctx.store.quantity(i) === 0;
    return !i.listed;
  });
  if (q) items = items.filter((i) => i.title.includes(q));
  if (from !== undefined) items = items.filter((i) => i.updated >= from);
  if (to !== undefined) items = items.filter((i) => i.updated <= to);
  const [column = 'created_time', dir = 'desc'] = (str(ctx.params, 'order_by') ?? 'created_time:desc').split(':');
  const key = (i: Item) =>
    column === 'update_time'
      ? i.updated
      : column === 'price'
        ? i.priceFen
        : column === 'sold_num'
          ? i.soldNum
          : i.created;
  items.sort((a, b) => (dir === 'asc' ? 1 : -1) * (key(a) - key(b) || (a.itemId < b.itemId ? -1 : 1)));
  return {
    count: items.length,
    items: items.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((i) => listItemView(ctx.store, i)),
  };
}

/** Catalog APIs: categories, images, items, stock and SKUs. */
export const CATALOG_APIS: Record<string, ApiDef> = {
  'youzan.itemcategories.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {},
    handle: () => ({ categories: categoriesFile.rawResponseExample.body.response.categories }),
  },
  'youzan.materials.storage.platform.img.upload': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {},
    write: true,
    handle: (ctx) => {
      const file = ctx.files.find((f) => f.field === 'image' || f.field === 'image[]');
      if (!file || file.size === 0) throw new BusinessError(121009301, '图片不能为空(multipart 字段 image)');
      if (file.size > MAX_IMAGE_BYTES) throw new BusinessError(121009302, '图片大小不能超过1M');
      return ctx.store.uploadImage(ctx.shop.kdtId);
    },
  },
  'youzan.item.create': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: {
      title: 'string!',
      desc: 'string!',
      price: 'number!',
      image_ids: 'string',
      quantity: 'number',
      item_no: 'string',
      cid: 'long',
      is_display: 'number',
      sku_stocks: 'string',
      post_fee: 'number',
    },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const imageIds = validateListing(
        ctx,
        {
          title: str(p, 'title'),
          desc: str(p, 'desc'),
          price: num(p, 'price'),
          imageIds: str(p, 'image_ids'),
          cid: num(p, 'cid'),
        },
        true,
      );
      const skuText = str(p, 'sku_stocks');
      const skus = skuText ? parseSkuStocks(skuText) : [];
      const item = ctx.store.createItem({
        kdtId: ctx.shop.kdtId,
        title: str(p, 'title') as string,
        desc: str(p, 'desc'),
        cid: num(p, 'cid'),
        itemNo: str(p, 'item_no'),
        priceFen: num(p, 'price'),
        stock: num(p, 'quantity') ?? 0,
        listed: num(p, 'is_display') !== 0,
        imageIds,
        skus: skus.map((s) => ({ itemNo: s.item_no ?? '', priceFen: s.price, stock: s.quantity, specs: s.skus })),
      });
      item.postFeeFen = num(p, 'post_fee') ?? 0;
      return { item: itemView(ctx.store, item) };
    },
  },
  'youzan.item.update': {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: {
      item_id: 'long!',
      title: 'string',
      desc: 'string',
      price: 'number',
      image_ids: 'string',
      item_no: 'string',
      is_display: 'number',
      quantity: 'number',
      sku_stocks: 'string',
      cid: 'long',
    },
    write: true,
    handle: (ctx) => {
      const p = ctx.params;
      const item = itemOf(ctx);
      if (str(p, 'sku_stocks') !== undefined)
        throw new BusinessError(
          ITEM_PARAM,
          '沙箱未模拟 item.update 的 sku_stocks 整体替换，请用 youzan.item.sku.update',
        );
      const imageIds = validateListing(
        ctx,
        {
          title: str(p, 'title'),
          desc: str(p, 'desc'),
          price: num(p, 'price'),
          imageIds: str(p, 'image_ids'),
          cid: num(p, 'cid'),
        },
        false,
      );
      const title = str(p, 'title');
      const desc = str(p, 'desc');
      if (title !== undefined) item.title = title;
      if (desc !== undefined) item.desc = desc;
      if (imageIds) item.imageIds = imageIds;
      const itemNo = str(p, 'item_no');
      if (itemNo !== undefined) item.itemNo = itemNo;
      const cid = num(p, 'cid');
      if (cid !== undefined) item.cid = cid;
      const price = num(p, 'price');
      if (price !== undefined) {
        if (item.skus.length) throw new BusinessError(ITEM_PARAM, '多规格商品请通过 sku 更新价格');
        ctx.store.setPrice(item, undefined, price);
      }
      const display = num(p, 'is_display');
      if (display !== undefined) item.listed = display !== 0;
      const quantity = num(p, 'quantity');
      if (quantity !== undefined && !item.skus.length) ctx.store.updateQuantity(item, undefined, quantity, 0);
      item.updated = ctx.store.clock.now();
      return { item_id: new LongId(item.itemId), is_success: true };
    },
  },
  'youzan.item.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long', alias: 'string' },
    handle: (ctx) => ({ item: itemView(ctx.store, itemOf(ctx)) }),
  },
  'youzan.items.onsale.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {
      q: 'string',
      tag_id: 'long',
      page_no: 'number',
      page_size: 'number',
      order_by: 'string',
      update_time_start: 'number',
      update_time_end: 'number',
    },
    handle: (ctx) => listItems(ctx, true),
  },
  'youzan.items.inventory.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {
      q: 'string',
      tag_id: 'long',
      page_no: 'number',
      page_size: 'number',
      order_by: 'string',
      update_time_start: 'number',
      update_time_end: 'number',
      banner: 'string',
    },
    handle: (ctx) => listItems(ctx, false),
  },
  // Lookup by merchant code (DOC2020): the items whose item_no is exactly this one.
  'youzan.items.custom.get': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { item_no: 'string!' },
    handle: (ctx) => {
      const itemNo = str(ctx.params, 'item_no');
      const items = ctx.store.itemsOf(ctx.shop.kdtId).filter((i) => i.itemNo === itemNo);
      return { count: items.length, items: items.map((i) => listItemView(ctx.store, i)) };
    },
  },
  'youzan.item.update.listing': shelfApi(true),
  'youzan.item.update.delisting': shelfApi(false),
  'youzan.item.quantity.update': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!', sku_id: 'long', quantity: 'number!', type: 'number' },
    write: true,
    stockWrite: (p) => Number(p.type ?? 0) === 1,
    handle: (ctx) => {
      const item = itemOf(ctx, 123005001);
      const skuId = num(ctx.params, 'sku_id');
      const sku = ctx.store.skuOf(item, skuId);
      ctx.store.updateQuantity(item, sku, num(ctx.params, 'quantity') as number, num(ctx.params, 'type') ?? 0);
      return { is_success: true };
    },
  },
  'youzan.item.sku.update': {
    versions: ['3.0.0'],
    paramCode: ITEM_PARAM,
    params: {
      item_id: 'long!',
      sku_id: 'long!',
      quantity: 'string',
      price: 'any',
      item_no: 'string',
      cost_price: 'number',
    },
    write: true,
    handle: (ctx) => {
      const item = itemOf(ctx, 123005001);
      const sku = ctx.store.skuOf(item, num(ctx.params, 'sku_id')) as Sku;
      const quantity = str(ctx.params, 'quantity');
      const price = ctx.params.price;
      let priceFen: number | undefined;
      if (price !== undefined && price !== null && price !== '') {
        priceFen = parseYuan(price);
        if (priceFen === undefined || priceFen < 1)
          throw new BusinessError(ITEM_PARAM, 'price 单位为元，最多两位小数且大于0');
      }
      if (quantity !== undefined && !/^\d+$/.test(quantity))
        throw new BusinessError(ITEM_PARAM, 'quantity 必须是非负整数');
      if (priceFen !== undefined) ctx.store.setPrice(item, sku, priceFen);
      if (quantity !== undefined) ctx.store.updateQuantity(item, sku, Number(quantity), 0);
      const itemNo = str(ctx.params, 'item_no');
      if (itemNo !== undefined) sku.itemNo = itemNo;
      return { is_success: true };
    },
  },
};

/** item.update.listing / delisting: put the item on or off sale. */
function shelfApi(listed: boolean): ApiDef {
  return {
    versions: ['3.0.0', '3.0.1'],
    paramCode: ITEM_PARAM,
    params: { item_id: 'long!' },
    write: true,
    handle: (ctx) => {
      const item = itemOf(ctx);
      item.listed = listed;
      item.updated = ctx.store.clock.now();
      return { is_success: true };
    },
  };
}
