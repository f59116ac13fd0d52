import axios from 'axios';
import {
  CatalogPort,
  ChannelCategory,
  ChannelCategoryProperty,
  ChannelItem,
  ChannelItemDraft,
  ChannelItemRef,
  ItemPatch,
  CategorySuggestRequest,
  PlatformCategorySuggestion,
} from '../ports/catalog.port';
import { PageRequest, ShopRef } from '../ports/platform.types';
import { PlatformError } from '../platform-error';
import { RawCategory, RawItem } from './youzan-api.types';
import { MAX_PAGE_SIZE, READ, readRawItem, WRITE_ONCE, youzanInvalid } from './youzan-channel.helpers';
import { YouzanHttpClient, YouzanParams } from './youzan-http.client';
import { fenToYuanString, idString, longParam } from './youzan-values';
import { mapCategories, mapItem } from './youzan.mapper';

const MAX_IMAGE_BYTES = 1024 * 1024;
const IMAGE_UPLOAD = 'youzan.materials.storage.platform.img.upload';

/**
 * Youzan catalog: categories (`itemcategories.get`), listings (`item.create`, `item.update`,
 * `item.sku.update`, `item.get`, the on-sale and warehouse lists), shelf status, and the listing
 * images, uploaded to Youzan's material store.
 */
export class YouzanCatalogChannel implements CatalogPort {
  readonly platform = 'youzan' as const;
  private readonly imageIds = new Map<string, string>();

  constructor(
    private readonly http: YouzanHttpClient,
    private readonly imageFetchTimeoutMs: number,
  ) {}

  async getCategories(shop: ShopRef): Promise<ChannelCategory[]> {
    const data = await this.http.call(shop, 'youzan.itemcategories.get', '3.0.0', {}, READ);
    const roots = Array.isArray(data) ? data : ((data as { categories?: RawCategory[] } | null)?.categories ?? []);
    return mapCategories(roots as RawCategory[]);
  }

  /** Youzan has no category-suggestion API. */
  async suggestCategories(_shop: ShopRef, _request: CategorySuggestRequest): Promise<PlatformCategorySuggestion[]> {
    return [];
  }

  /** Youzan has no per-category property API (v3 cids carry no required properties), so there is nothing to fill. */
  async getCategoryProperties(_shop: ShopRef, _categoryId: string): Promise<ChannelCategoryProperty[]> {
    return [];
  }

  async createItem(shop: ShopRef, draft: ChannelItemDraft): Promise<ChannelItemRef> {
    if (!draft.skus.length) throw youzanInvalid('youzan.item.create', 'an item needs at least one SKU');
    const imageIds = await this.uploadImages(shop, draft.imageUrls);
    // Every SKU gets a spec (a lone spec-less SKU becomes "规格: 默认") so its merchant code is
    // stored as the SKU item_no and comes back on order lines as outer_sku_id.
    const skuStocks = draft.skus.map((sku) => ({
      price: sku.priceFen,
      quantity: sku.stock,
      item_no: sku.outerSkuId,
      skus: (sku.specs.length ? sku.specs : [{ name: '规格', value: '默认' }]).map((s) => ({ k: s.name, v: s.value })),
    }));
    const params: YouzanParams = {
      ...(draft.extras ?? {}),
      title: draft.title,
      desc: draft.description,
      price: Math.min(...draft.skus.map((s) => s.priceFen)),
      image_ids: imageIds.join(','),
      item_no: draft.outerItemId,
      quantity: draft.skus.reduce((sum, s) => sum + s.stock, 0),
      sku_stocks: JSON.stringify(skuStocks),
      is_display: draft.onShelf === false ? 0 : 1,
    };
    const marketPrices = draft.skus.map((s) => s.marketPriceFen).filter((p): p is number => p !== undefined);
    // origin_price is free strike-through text on Youzan; the highest market price is shown.
    if (marketPrices.length) params.origin_price = fenToYuanString(Math.max(...marketPrices));
    if (/^\d+$/.test(draft.categoryId)) params.cid = longParam(draft.categoryId);
    // Not idempotent: a repeated create makes a second item; an ambiguous failure is reported, not retried.
    const data = (await this.http.call(shop, 'youzan.item.create', '3.0.1', params, WRITE_ONCE)) as { item?: RawItem };
    const item = data.item ?? {};
    const bySkuCode = new Map((item.skus ?? []).map((s) => [s.item_no ?? '', idString(s.sku_id)]));
    return {
      itemId: idString(item.item_id),
      skus: draft.skus.map((s) => ({ outerSkuId: s.outerSkuId, skuId: bySkuCode.get(s.outerSkuId) ?? '' })),
    };
  }

  async editItem(shop: ShopRef, itemId: string, patch: ItemPatch): Promise<void> {
    const params: YouzanParams = { item_id: longParam(itemId), title: patch.title, desc: patch.description };
    if (patch.imageUrls) params.image_ids = (await this.uploadImages(shop, patch.imageUrls)).join(',');
    if (patch.title !== undefined || patch.description !== undefined || patch.imageUrls) {
      await this.http.call(shop, 'youzan.item.update', '3.0.1', params, READ);
    }
    for (const sku of patch.skus ?? []) {
      if (sku.priceFen === undefined && sku.outerSkuId === undefined) continue;
      if (sku.skuId === '0') {
        const whole = { item_id: longParam(itemId), price: sku.priceFen, item_no: sku.outerSkuId };
        await this.http.call(shop, 'youzan.item.update', '3.0.1', whole, READ);
        continue;
      }
      const price = sku.priceFen === undefined ? undefined : fenToYuanString(sku.priceFen);
      const change = { item_id: longParam(itemId), sku_id: longParam(sku.skuId), price, item_no: sku.outerSkuId };
      await this.http.call(shop, 'youzan.item.sku.update', '3.0.0', change, READ);
    }
  }

  async getItem(shop: ShopRef, itemId: string): Promise<ChannelItem> {
    return mapItem(await readRawItem(this.http, shop, itemId));
  }

  /** `youzan.items.custom.get`: the items whose merchant code (`item_no`) is this one. */
  async findItemByOuterId(shop: ShopRef, outerItemId: string): Promise<ChannelItem | null> {
    const params = { item_no: outerItemId };
    const data = (await this.http.call(shop, 'youzan.items.custom.get', '3.0.0', params, READ)) as {
      items?: RawItem[];
    } | null;
    const hit = (data?.items ?? [])[0];
    return hit ? this.getItem(shop, idString(hit.item_id)) : null;
  }

  async findItemsByOuterId(shop: ShopRef, outerItemId: string): Promise<ChannelItem[]> {
    const params = { item_no: outerItemId };
    const data = (await this.http.call(shop, 'youzan.items.custom.get', '3.0.0', params, READ)) as {
      items?: RawItem[];
    } | null;
    const items: ChannelItem[] = [];
    for (const raw of data?.items ?? []) items.push(await this.getItem(shop, idString(raw.item_id)));
    return items;
  }

  /**
   * On-sale items first, then the warehouse (`items.inventory.get`). The list APIs carry no
   * SKUs, so each listed item is read with `item.get` (300 QPS per shop).
   */
  async listItems(shop: ShopRef, page: PageRequest): Promise<{ items: ChannelItem[]; total: number }> {
    const pageSize = Math.min(Math.max(1, page.pageSize), MAX_PAGE_SIZE);
    const from = (Math.max(1, page.page) - 1) * pageSize;
    const onsale = await this.itemSlice(shop, 'youzan.items.onsale.get', from, from + pageSize, pageSize);
    let ids = onsale.ids;
    let inventoryTotal: number;
    if (ids.length < pageSize) {
      const start = Math.max(0, from - onsale.total);
      const end = start + pageSize - ids.length;
      const inventory = await this.itemSlice(shop, 'youzan.items.inventory.get', start, end, pageSize);
      ids = [...ids, ...inventory.ids];
      inventoryTotal = inventory.total;
    } else {
      inventoryTotal = (await this.itemSlice(shop, 'youzan.items.inventory.get', 0, 0, 1)).total;
    }
    const items = await Promise.all(ids.map((id) => this.getItem(shop, id)));
    return { items, total: onsale.total + inventoryTotal };
  }

  async setShelfStatus(shop: ShopRef, itemId: string, onShelf: boolean): Promise<void> {
    const api = onShelf ? 'youzan.item.update.listing' : 'youzan.item.update.delisting';
    await this.http.call(shop, api, '3.0.0', { item_id: longParam(itemId) }, READ);
  }

  private async itemSlice(
    shop: ShopRef,
    api: string,
    from: number,
    to: number,
    pageSize: number,
  ): Promise<{ ids: string[]; total: number }> {
    const ids: string[] = [];
    let total = 0;
    const firstPage = Math.floor(from / pageSize) + 1;
    for (let pageNo = firstPage; ; pageNo++) {
      const params = { page_no: pageNo, page_size: pageSize, order_by: 'created_time:desc' };
      const data = (await this.http.call(shop, api, '3.0.0', params, READ)) as { count?: number; items?: RawItem[] };
      total = data.count ?? 0;
      const rows = data.items ?? [];
      const offset = (pageNo - 1) * pageSize;
      rows.forEach((row, i) => {
        if (offset + i >= from && offset + i < to) ids.push(idString(row.item_id));
      });
      if (rows.length < pageSize || offset + rows.length >= to || offset + rows.length >= total) break;
    }
    return { ids, total };
  }

  /** Listing images must live in Youzan's material store; each URL is uploaded once per shop. */
  private async uploadImages(shop: ShopRef, urls: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const url of urls) {
      const key = `${shop.shopId}|${url}`;
      let id = this.imageIds.get(key);
      if (!id) {
        const { bytes, contentType } = await this.fetchImage(url);
        const data = (await this.http.upload(shop, IMAGE_UPLOAD, '3.0.0', {
          field: 'image',
          filename: `image.${contentType.split('/')[1] ?? 'jpg'}`,
          contentType,
          bytes,
        })) as { image_id?: number | string };
        id = idString(data.image_id);
        if (!id) {
          const message = 'upload answered without image_id';
          throw new PlatformError({ platform: 'youzan', api: IMAGE_UPLOAD, code: 'UNKNOWN', message });
        }
        this.imageIds.set(key, id);
      }
      ids.push(id);
    }
    return ids;
  }

  private async fetchImage(url: string): Promise<{ bytes: Buffer; contentType: string }> {
    const dataUrl = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(url);
    if (dataUrl) {
      const [, contentType, base64, payload] = dataUrl;
      const bytes = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload));
      return { bytes, contentType };
    }
    try {
      const res = await axios.get<ArrayBuffer>(url, {
        responseType: 'arraybuffer',
        timeout: this.imageFetchTimeoutMs,
        maxContentLength: MAX_IMAGE_BYTES,
      });
      const contentType = String(res.headers['content-type'] ?? 'image/jpeg').split(';')[0];
      return { bytes: Buffer.from(res.data), contentType };
    } catch (error) {
      throw youzanInvalid(IMAGE_UPLOAD, `cannot fetch image ${url}: ${(error as Error).message}`);
    }
  }
}
