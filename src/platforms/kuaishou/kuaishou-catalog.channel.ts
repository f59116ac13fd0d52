import {
  CatalogPort,
  CategorySuggestRequest,
  PlatformCategorySuggestion,
  ChannelCategory,
  ChannelCategoryProperty,
  ChannelItem,
  ChannelItemDraft,
  ChannelItemRef,
  ImageUpload,
  ItemPatch,
} from '../ports/catalog.port';
import { PageRequest, ShopRef } from '../ports/platform.types';
import { PlatformError } from '../platform-error';
import { KuaishouApi, KuaishouChannelOptions, KuaishouParam } from './kuaishou-api.client';
import { idFrom, toKuaishouLong } from './kuaishou-ids';
import { flattenOptionalTree, relIdFor, toChannelItem, toChannelProperty, toItemPropValues } from './kuaishou.mapper';
import {
  KsCategoryConfig,
  KsItem,
  KsOptionalCategory,
  KsSuggestedCategory,
  KsItemCreated,
  KsPropValue,
  KsSkuProp,
} from './kuaishou-wire.types';

/**
 * Kuaishou catalog: category tree and config (`open.item.category*`), listings (`open.item.new`,
 * `open.item.edit`, `open.item.get`, `open.item.list.get`) and shelf status.
 */
export class KuaishouCatalogChannel implements CatalogPort {
  readonly platform = 'kuaishou' as const;
  readonly editsSkuSpecs = true;
  private readonly configTtlMs: number;
  private readonly categoryConfigs = new Map<string, { at: number; config: KsCategoryConfig }>();
  private readonly expressTemplates = new Map<string, string>();

  constructor(
    private readonly api: KuaishouApi,
    options: KuaishouChannelOptions = {},
  ) {
    this.configTtlMs = options.categoryConfigTtlMs ?? 10 * 60_000;
  }

  /** open.item.category.optional.get: the tree with this merchant's `open` flags (flat open.item.category has none). */
  async getCategories(shop: ShopRef): Promise<ChannelCategory[]> {
    const answer = await this.api.call(shop, 'open.item.category.optional.get', {}, true);
    return flattenOptionalTree((answer.data as KsOptionalCategory[] | undefined) ?? []);
  }

  async suggestCategories(shop: ShopRef, request: CategorySuggestRequest): Promise<PlatformCategorySuggestion[]> {
    const param: KuaishouParam = { itemTitle: request.title, imageUrls: request.imageUrls };
    if (request.description) param.itemDesc = request.description;
    const answer = await this.api.call(shop, 'open.item.category.suggested.get', param, true);
    return ((answer.data as KsSuggestedCategory[] | undefined) ?? [])
      .filter((row) => (row.categoryCodePath ?? []).length > 0)
      .map((row) => ({
        categoryId: idFrom(row.categoryCodePath[row.categoryCodePath.length - 1]),
        path: row.categoryNamePath ?? [],
        open: row.open !== false,
      }));
  }

  async getCategoryProperties(shop: ShopRef, categoryId: string): Promise<ChannelCategoryProperty[]> {
    const config = await this.categoryConfig(shop, categoryId, true);
    const properties: ChannelCategoryProperty[] = [];
    for (const prop of config.propConfigs ?? []) {
      const withValues = prop.propInputType === 'RADIO' || prop.propInputType === 'CHECKBOX';
      const values = withValues ? await this.propValues(shop, categoryId, idFrom(prop.propId)) : [];
      properties.push(toChannelProperty(prop, values));
    }
    return properties;
  }

  async createItem(shop: ShopRef, draft: ChannelItemDraft): Promise<ChannelItemRef> {
    const config = await this.categoryConfig(shop, draft.categoryId);
    const extras = draft.extras ?? {};
    const expressTemplateId =
      extras.expressTemplateId !== undefined
        ? String(extras.expressTemplateId)
        : await this.defaultExpressTemplate(shop);
    const refundRule = String(extras.refundRule ?? config.categoryConfig?.refundRuleList?.[0] ?? 1);
    const param: KuaishouParam = {
      title: draft.title,
      relItemId: toKuaishouLong(relIdFor(draft.outerItemId)),
      categoryId: toKuaishouLong(draft.categoryId),
      imageUrls: draft.imageUrls,
      details: draft.description,
      // Detail images must be Kuaishou-hosted: callers upload first and pass those URLs.
      detailImageUrls: draft.imageUrls,
      skuList: draft.skus.map((sku) => ({
        relSkuId: toKuaishouLong(relIdFor(sku.outerSkuId)),
        skuNick: sku.outerSkuId.slice(0, 30),
        skuStock: sku.stock,
        skuSalePrice: sku.priceFen,
        ...(sku.marketPriceFen !== undefined ? { skuMarketPrice: sku.marketPriceFen } : {}),
        skuProps: skuProps(sku.specs, draft.imageUrls[0]),
      })),
      serviceRule: {
        refundRule,
        promiseDeliveryTime: draft.shipWithinHours === 24 ? 86_400 : 172_800,
        immediatelyOnOfflineFlag: draft.onShelf === false ? 1 : 0,
        deliveryMethod: 'logistics',
        servicePromise: {},
      },
      expressTemplateId: toKuaishouLong(expressTemplateId),
      itemPropValues: toItemPropValues(draft.properties, config.propConfigs ?? []),
      payWay: 2,
    };
    // Not idempotent (a repeat makes a second item, or is refused for its used relItemId): never retried here.
    const answer = await this.api.call(shop, 'open.item.new', param, false);
    const created = answer.data as KsItemCreated;
    const mapping = created.skuIdMapping ?? [];
    return {
      itemId: idFrom(created.kwaiItemId),
      skus: draft.skus.map((sku) => {
        const hit =
          mapping.find((m) => m.skuNick === sku.outerSkuId.slice(0, 30)) ??
          mapping.find((m) => idFrom(m.relSkuId) === relIdFor(sku.outerSkuId));
        if (!hit) {
          const message = `open.item.new returned no SKU for ${sku.outerSkuId}`;
          throw new PlatformError({ platform: 'kuaishou', api: 'open.item.new', code: 'UNKNOWN', message });
        }
        return { skuId: idFrom(hit.kwaiSkuId), outerSkuId: sku.outerSkuId };
      }),
    };
  }

  async editItem(shop: ShopRef, itemId: string, patch: ItemPatch): Promise<void> {
    const param: KuaishouParam = { itemId: toKuaishouLong(itemId) };
    if (patch.title !== undefined) param.title = patch.title;
    if (patch.description !== undefined) param.details = patch.description;
    if (patch.imageUrls !== undefined) param.imageUrls = patch.imageUrls;
    if (patch.properties || patch.skus) {
      const item = await this.api.rawItem(shop, itemId);
      if (patch.properties) {
        const config = await this.categoryConfig(shop, idFrom(item.categoryId));
        param.itemPropValues = toItemPropValues(patch.properties, config.propConfigs ?? []);
        param.updateItemPropValues = true;
      }
      if (patch.skus) {
        param.skuList = patch.skus.map((change) => {
          const current = this.api.skuOf(item, change.skuId, 'open.item.edit');
          // skuSalePrice, skuStockChangeType and skuChangeStock are required: "add 0" leaves stock alone
          // (accepting 0 here is unconfirmed on the live platform).
          return {
            skuId: toKuaishouLong(change.skuId),
            skuSalePrice: change.priceFen ?? current.skuSalePrice,
            ...(change.marketPriceFen !== undefined ? { skuMarketPrice: change.marketPriceFen } : {}),
            ...(change.outerSkuId !== undefined ? { skuNick: change.outerSkuId.slice(0, 30) } : {}),
            // The main sale property keeps the SKU's hosted image unless the change brings one.
            ...(change.specs ? { skuProps: skuProps(change.specs, mainImageOf(current)) } : {}),
            skuStockChangeType: 1,
            skuChangeStock: 0,
          };
        });
      }
    }
    if (Object.keys(param).length === 1) return;
    await this.api.call(shop, 'open.item.edit', param, true);
  }

  async getItem(shop: ShopRef, itemId: string): Promise<ChannelItem> {
    return toChannelItem(await this.api.rawItem(shop, itemId));
  }

  async findItemByOuterId(shop: ShopRef, outerItemId: string): Promise<ChannelItem | null> {
    const param = { relItemId: toKuaishouLong(relIdFor(outerItemId)), pageNumber: 1, pageSize: 10 };
    const answer = await this.api.call(shop, 'open.item.list.get', param, true);
    const data = (answer.data ?? {}) as { items?: KsItem[] };
    const hit = (data.items ?? [])[0];
    return hit ? toChannelItem(hit) : null;
  }

  async findItemsByOuterId(shop: ShopRef, outerItemId: string): Promise<ChannelItem[]> {
    const param = { relItemId: toKuaishouLong(relIdFor(outerItemId)), pageNumber: 1, pageSize: 10 };
    const answer = await this.api.call(shop, 'open.item.list.get', param, true);
    return (((answer.data ?? {}) as { items?: KsItem[] }).items ?? []).map(toChannelItem);
  }

  async listItems(shop: ShopRef, page: PageRequest): Promise<{ items: ChannelItem[]; total: number }> {
    // The platform pages 10–100 items; other sizes are clamped.
    const pageSize = Math.min(100, Math.max(10, page.pageSize));
    const param = { pageNumber: Math.max(1, page.page), pageSize };
    const answer = await this.api.call(shop, 'open.item.list.get', param, true);
    const data = (answer.data ?? {}) as { totalItemCount?: number; items?: KsItem[] };
    return { items: (data.items ?? []).map(toChannelItem), total: data.totalItemCount ?? 0 };
  }

  async setShelfStatus(shop: ShopRef, itemId: string, onShelf: boolean): Promise<void> {
    const param = { kwaiItemId: toKuaishouLong(itemId), shelfStatus: onShelf ? 1 : 0 };
    await this.api.call(shop, 'open.item.shelf.status.update', param, true);
  }

  /**
   * open.item.image.upload (multipart): a `data:` URL goes as raw bytes in `imgBytes`, an http(s)
   * URL as `imgUrl` for the platform to fetch. Answers the Kuaishou-hosted `kwaiImgUrl`.
   */
  async uploadImage(shop: ShopRef, image: ImageUpload): Promise<string> {
    const api = 'open.item.image.upload';
    const param: KuaishouParam = { uploadType: UPLOAD_TYPES[image.kind ?? 'main'] };
    const dataUrl = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(image.url);
    let file: { field: string; filename: string; contentType: string; bytes: Buffer } | undefined;
    if (dataUrl) {
      const [, contentType, base64, payload] = dataUrl;
      const bytes = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload));
      file = { field: 'imgBytes', filename: `image.${contentType.split('/')[1] ?? 'jpg'}`, contentType, bytes };
    } else {
      param.imgUrl = image.url;
    }
    const answer = await this.api.upload(shop, api, param, file);
    const hosted = (answer.data as { kwaiImgUrl?: string } | undefined)?.kwaiImgUrl;
    if (!hosted) {
      const message = 'open.item.image.upload answered without kwaiImgUrl';
      throw new PlatformError({ platform: 'kuaishou', api, code: 'UNKNOWN', message });
    }
    return hosted;
  }

  isHostedImage(url: string): boolean {
    return isKuaishouHosted(url);
  }

  private async categoryConfig(shop: ShopRef, categoryId: string, fresh = false): Promise<KsCategoryConfig> {
    const key = `${shop.shopId}|${categoryId}`;
    const cached = this.categoryConfigs.get(key);
    if (!fresh && cached && this.api.clock.now() - cached.at < this.configTtlMs) return cached.config;
    const param = { categoryId: toKuaishouLong(categoryId) };
    const answer = await this.api.call(shop, 'open.item.category.config', param, true);
    const config = (answer.data ?? {}) as KsCategoryConfig;
    this.categoryConfigs.set(key, { at: this.api.clock.now(), config });
    return config;
  }

  private async propValues(shop: ShopRef, categoryId: string, propId: string): Promise<KsPropValue[]> {
    const values: KsPropValue[] = [];
    const limit = 500;
    // Brand (102) may hold thousands of values; four pages are plenty for mapping.
    for (let page = 0, cursor = 0; page < 4; page++) {
      const param = { categoryId: toKuaishouLong(categoryId), propId: toKuaishouLong(propId), cursor, limit };
      const answer = await this.api.call(shop, 'open.item.category.prop.value.search', param, true);
      const data = (answer.data ?? {}) as { total?: number; cursor?: number; propValues?: KsPropValue[] };
      values.push(...(data.propValues ?? []));
      const next = Number(data.cursor ?? 0);
      const short = !data.propValues?.length || data.propValues.length < limit;
      if (short || next <= cursor || values.length >= (data.total ?? 0)) break;
      cursor = next;
    }
    return values;
  }

  private async defaultExpressTemplate(shop: ShopRef): Promise<string> {
    const api = 'open.logistics.express.template.list';
    const known = this.expressTemplates.get(shop.shopId);
    if (known) return known;
    const answer = await this.api.call(shop, api, { offset: 0, limit: 20, searchUsed: false }, true);
    const data = (answer.data ?? {}) as { expressTemplateDetailVOS?: { id: unknown; status?: number }[] };
    const template = (data.expressTemplateDetailVOS ?? []).find((t) => t.status === undefined || t.status === 1);
    if (!template) {
      const message = 'the shop has no freight template: create one in the Kuaishou back office';
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message });
    }
    const id = idFrom(template.id);
    this.expressTemplates.set(shop.shopId, id);
    return id;
  }
}

/** uploadType of open.item.image.upload (sheet §3.6). */
const UPLOAD_TYPES: Record<NonNullable<ImageUpload['kind']>, number> = {
  main: 1,
  detail: 2,
  sku: 3,
  property: 4,
  white_background: 5,
  transparent: 6,
};

/** Kuaishou's image CDN hosts (kwaixiaodian / kwimgs / yximgs / ecukwai). */
export function isKuaishouHosted(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return /(^|\.)(kwaixiaodian|kwimgs|yximgs|ecukwai)\.com$/.test(host);
  } catch {
    return false;
  }
}

function skuProps(specs: ChannelItemDraft['skus'][number]['specs'], coverUrl: string | undefined): KuaishouParam[] {
  const list = specs.length ? specs : [{ name: '规格', value: '默认', imageUrl: undefined }];
  // The first spec is the main sale property; its values need an image.
  return list.map((spec, index) => ({
    propName: spec.name,
    propValueName: spec.value,
    isMainProp: index === 0 ? 1 : 0,
    propVersion: 1,
    propSortNum: index + 1,
    ...(index === 0 ? { imageUrl: spec.imageUrl ?? coverUrl } : spec.imageUrl ? { imageUrl: spec.imageUrl } : {}),
  }));
}

function mainImageOf(sku: { skuProp?: KsSkuProp[]; skuProps?: KsSkuProp[] }): string | undefined {
  return [...(sku.skuProp ?? []), ...(sku.skuProps ?? [])].find((p) => p.isMainProp === 1 && p.imageUrl)?.imageUrl;
}
