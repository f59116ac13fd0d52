import { createHash } from 'node:crypto';
import { Clock, SystemClock } from '../../common/clock';
import { KuaishouConfig } from '../../config/app-config';
import {
  ChannelCapabilities,
  ChannelCategory,
  ChannelCategoryProperty,
  ChannelCoupon,
  ChannelItem,
  ChannelItemDraft,
  ChannelItemRef,
  ChannelOrder,
  ChannelPort,
  ChannelRefund,
  CouponDraft,
  CouponUsage,
  ItemPatch,
  OrderPage,
  OrderQuery,
  RefundPage,
  RefundQuery,
  ShipmentInput,
  ShopRef,
  SkuRef,
  StockWriteResult,
  TokenProvider,
} from '../channel.port';
import { PlatformError } from '../platform-error';
import { PlatformGateway } from '../shared/platform-gateway';
import { kuaishouExpressCode } from './kuaishou-carriers';
import { KuaishouEnvelope, KuaishouHttpClient } from './kuaishou-http.client';
import { idFrom, toKuaishouLong } from './kuaishou-ids';
import { windowedPage } from './kuaishou-window.cursor';
import { relIdFor, toChannelCategories, toChannelCoupon, toChannelItem, toChannelOrder, toChannelProperty, toChannelRefund, toItemPropValues, withFeeDetail } from './kuaishou.mapper';
import {
  KsCategoryConfig,
  KsCategoryRow,
  KsCoupon,
  KsCouponStatistic,
  KsFeeDetail,
  KsItem,
  KsItemCreated,
  KsOrder,
  KsPropValue,
  KsRefund,
  KsSkuInfo,
} from './kuaishou-wire.types';

const DAY_MS = 86_400_000;
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
const MAX_STOCK = 9_999_999;
export const KUAISHOU_OPERATION_HEADER = 'x-kwaizan-operation-id';

export interface KuaishouChannelOptions {
  /** HTTP timeout of one call (config.platforms.timeoutMs). */
  timeoutMs?: number;
  clock?: Clock;
  /** Replaces the HTTP client (tests). */
  http?: KuaishouHttpClient;
  /** open.order.cursor.list window (documented 7 days). */
  orderWindowMs?: number;
  /** open.seller.order.refund.pcursor.list window: documented 1 day, may shrink during promotions. */
  refundWindowMs?: number;
  /** Orders per page: 50 per the 2022 doc (100 in a 2026 third-party comment; unconfirmed). */
  maxOrderPageSize?: number;
  /** How far back the list APIs reach (documented 90 days). */
  lookBackMs?: number;
  /** How long a category's config is reused for listing and edits. */
  categoryConfigTtlMs?: number;
  /** Send the operation id header on stock writes: the emulator counts double applies with it; the real gateway must never see it. */
  sendOperationId?: boolean;
}

type Param = Record<string, unknown>;

/**
 * The Kuaishou channel: every port method mapped to the open platform's APIs. Reads and absolute
 * writes are idempotent and retried by the gateway; the incremental stock write never is.
 */
export class KuaishouChannel implements ChannelPort {
  readonly platform = 'kuaishou' as const;
  readonly capabilities: ChannelCapabilities = { absoluteStockWrite: false, platformShipBy: true };

  private readonly http: KuaishouHttpClient;
  private readonly clock: Clock;
  private readonly orderWindowMs: number;
  private readonly refundWindowMs: number;
  private readonly maxOrderPageSize: number;
  private readonly lookBackMs: number;
  private readonly configTtlMs: number;
  private readonly sendOperationId: boolean;
  private readonly categoryConfigs = new Map<string, { at: number; config: KsCategoryConfig }>();
  private readonly expressTemplates = new Map<string, string>();

  constructor(
    config: KuaishouConfig,
    private readonly gateway: PlatformGateway,
    private readonly tokens: TokenProvider,
    options: KuaishouChannelOptions = {},
  ) {
    this.clock = options.clock ?? new SystemClock();
    this.http = options.http ?? new KuaishouHttpClient(config, { timeoutMs: options.timeoutMs ?? 10_000, clock: this.clock });
    this.orderWindowMs = options.orderWindowMs ?? 7 * DAY_MS;
    this.refundWindowMs = options.refundWindowMs ?? DAY_MS;
    this.maxOrderPageSize = options.maxOrderPageSize ?? 50;
    this.lookBackMs = options.lookBackMs ?? 90 * DAY_MS;
    this.configTtlMs = options.categoryConfigTtlMs ?? 10 * 60_000;
    this.sendOperationId = options.sendOperationId ?? false;
  }

  async getCategories(shop: ShopRef): Promise<ChannelCategory[]> {
    const answer = await this.call(shop, 'open.item.category', {}, true);
    return toChannelCategories((answer.data as KsCategoryRow[] | undefined) ?? []);
  }

  async getCategoryProperties(shop: ShopRef, categoryId: string): Promise<ChannelCategoryProperty[]> {
    const config = await this.categoryConfig(shop, categoryId, true);
    const properties: ChannelCategoryProperty[] = [];
    for (const prop of config.propConfigs ?? []) {
      const withValues = prop.propInputType === 'RADIO' || prop.propInputType === 'CHECKBOX';
      properties.push(toChannelProperty(prop, withValues ? await this.propValues(shop, categoryId, idFrom(prop.propId)) : []));
    }
    return properties;
  }

  async createItem(shop: ShopRef, draft: ChannelItemDraft): Promise<ChannelItemRef> {
    const config = await this.categoryConfig(shop, draft.categoryId);
    const extras = draft.extras ?? {};
    const expressTemplateId = extras.expressTemplateId !== undefined ? String(extras.expressTemplateId) : await this.defaultExpressTemplate(shop);
    const refundRule = String(extras.refundRule ?? config.categoryConfig?.refundRuleList?.[0] ?? 1);
    const param: Param = {
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
        skuProps: this.skuProps(sku.specs, draft.imageUrls[0]),
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
    const answer = await this.call(shop, 'open.item.new', param, true);
    const created = answer.data as KsItemCreated;
    const mapping = created.skuIdMapping ?? [];
    return {
      itemId: idFrom(created.kwaiItemId),
      skus: draft.skus.map((sku) => {
        const hit = mapping.find((m) => m.skuNick === sku.outerSkuId.slice(0, 30)) ?? mapping.find((m) => idFrom(m.relSkuId) === relIdFor(sku.outerSkuId));
        if (!hit) throw new PlatformError({ platform: 'kuaishou', api: 'open.item.new', code: 'UNKNOWN', message: `open.item.new returned no SKU for ${sku.outerSkuId}` });
        return { skuId: idFrom(hit.kwaiSkuId), outerSkuId: sku.outerSkuId };
      }),
    };
  }

  async editItem(shop: ShopRef, itemId: string, patch: ItemPatch): Promise<void> {
    const param: Param = { itemId: toKuaishouLong(itemId) };
    if (patch.title !== undefined) param.title = patch.title;
    if (patch.description !== undefined) param.details = patch.description;
    if (patch.imageUrls !== undefined) param.imageUrls = patch.imageUrls;
    if (patch.properties || patch.skus) {
      const item = await this.rawItem(shop, itemId);
      if (patch.properties) {
        const config = await this.categoryConfig(shop, idFrom(item.categoryId));
        param.itemPropValues = toItemPropValues(patch.properties, config.propConfigs ?? []);
        param.updateItemPropValues = true;
      }
      if (patch.skus) {
        param.skuList = patch.skus.map((change) => {
          const current = this.skuOf(item, change.skuId, 'open.item.edit');
          // skuSalePrice, skuStockChangeType and skuChangeStock are required: "add 0" leaves stock alone
          // (accepting 0 here is unconfirmed on the live platform).
          return {
            skuId: toKuaishouLong(change.skuId),
            skuSalePrice: change.priceFen ?? current.skuSalePrice,
            ...(change.marketPriceFen !== undefined ? { skuMarketPrice: change.marketPriceFen } : {}),
            ...(change.outerSkuId !== undefined ? { skuNick: change.outerSkuId.slice(0, 30) } : {}),
            skuStockChangeType: 1,
            skuChangeStock: 0,
          };
        });
      }
    }
    if (Object.keys(param).length === 1) return;
    await this.call(shop, 'open.item.edit', param, true);
  }

  async getItem(shop: ShopRef, itemId: string): Promise<ChannelItem> {
    return toChannelItem(await this.rawItem(shop, itemId));
  }

  async listItems(shop: ShopRef, page: { page: number; pageSize: number }): Promise<{ items: ChannelItem[]; total: number }> {
    // The platform pages 10–100 items; other sizes are clamped.
    const pageSize = Math.min(100, Math.max(10, page.pageSize));
    const answer = await this.call(shop, 'open.item.list.get', { pageNumber: Math.max(1, page.page), pageSize }, true);
    const data = (answer.data ?? {}) as { totalItemCount?: number; items?: KsItem[] };
    return { items: (data.items ?? []).map(toChannelItem), total: data.totalItemCount ?? 0 };
  }

  async setShelfStatus(shop: ShopRef, itemId: string, onShelf: boolean): Promise<void> {
    await this.call(shop, 'open.item.shelf.status.update', { kwaiItemId: toKuaishouLong(itemId), shelfStatus: onShelf ? 1 : 0 }, true);
  }

  async getSkuStock(shop: ShopRef, sku: SkuRef): Promise<number> {
    const item = await this.rawItem(shop, sku.itemId);
    return this.skuOf(item, sku.skuId, 'open.item.get').skuStock;
  }

  /**
   * open.item.sku.stock.update is incremental: a repeat of a call that was applied applies twice.
   * So it is sent once; after an ambiguous failure the caller settles by reading the stock back.
   */
  async adjustSkuStock(shop: ShopRef, sku: SkuRef, delta: number, operationId: string): Promise<StockWriteResult> {
    const api = 'open.item.sku.stock.update';
    if (delta === 0) return { outcome: 'applied' };
    if (!Number.isSafeInteger(delta) || Math.abs(delta) >= MAX_STOCK) {
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message: `${api}: a change must be a whole number below ${MAX_STOCK} (got ${delta})` });
    }
    const param = { kwaiItemId: toKuaishouLong(sku.itemId), skuId: toKuaishouLong(sku.skuId), skuChangeStock: Math.abs(delta), changeType: delta > 0 ? 1 : 2 };
    try {
      await this.call(shop, api, param, false, this.operationHeader(operationId));
      return { outcome: 'applied' };
    } catch (error) {
      if (error instanceof PlatformError && error.ambiguous) return { outcome: 'unknown', reason: error.message };
      throw error;
    }
  }

  /** Absolute set through open.item.edit (skuStockChangeType 3): an edit, which may go through audit. */
  async setSkuStock(shop: ShopRef, sku: SkuRef, quantity: number, operationId: string): Promise<StockWriteResult> {
    const api = 'open.item.edit';
    if (!Number.isSafeInteger(quantity) || quantity < 0 || quantity > MAX_STOCK) {
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message: `${api}: stock must be 0..${MAX_STOCK} (got ${quantity})` });
    }
    const current = this.skuOf(await this.rawItem(shop, sku.itemId), sku.skuId, api);
    const param = {
      itemId: toKuaishouLong(sku.itemId),
      skuList: [{ skuId: toKuaishouLong(sku.skuId), skuSalePrice: current.skuSalePrice, skuStockChangeType: 3, skuChangeStock: quantity }],
    };
    try {
      await this.call(shop, api, param, true, this.operationHeader(operationId));
      return { outcome: 'applied' };
    } catch (error) {
      if (error instanceof PlatformError && error.ambiguous) return { outcome: 'unknown', reason: error.message };
      throw error;
    }
  }

  async setSkuPrice(shop: ShopRef, sku: SkuRef, priceFen: number): Promise<void> {
    await this.call(shop, 'open.item.sku.price.update', { itemId: toKuaishouLong(sku.itemId), skuId: toKuaishouLong(sku.skuId), price: priceFen }, true);
  }

  clockOffsetMs(): number | undefined {
    return this.http.platformClock.offsetMs();
  }

  async listOrders(shop: ShopRef, query: OrderQuery): Promise<OrderPage> {
    const api = 'open.order.cursor.list';
    const pageSize = Math.min(query.pageSize ?? this.maxOrderPageSize, this.maxOrderPageSize);
    const page = await windowedPage({ ...this.withinLookBack(query), cursor: query.cursor, api }, this.orderWindowMs, async (begin, end, cursor) => {
      const answer = await this.call(
        shop,
        api,
        { orderViewStatus: 1, pageSize, sort: 2, queryType: query.by === 'updated' ? 2 : 1, beginTime: begin, endTime: end, cpsType: 0, cursor },
        true,
      );
      const data = (answer.data ?? {}) as { cursor?: string; orderList?: KsOrder[] };
      return { items: (data.orderList ?? []).map(toChannelOrder), platformCursor: data.cursor ?? '' };
    });
    return { orders: page.items, nextCursor: page.nextCursor };
  }

  async getOrder(shop: ShopRef, orderId: string): Promise<ChannelOrder> {
    const detail = await this.call(shop, 'open.order.detail', { oid: toKuaishouLong(orderId) }, true);
    const order = toChannelOrder(detail.data as KsOrder);
    const fee = await this.call(shop, 'open.seller.order.fee.detail', { orderId: toKuaishouLong(orderId) }, true);
    return fee.data ? withFeeDetail(order, fee.data as KsFeeDetail) : order;
  }

  async shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void> {
    const api = 'open.seller.order.goods.deliver';
    if (shipment.lineIds && !shipment.lineIds.every((lineId) => lineId === shipment.orderId)) {
      throw new PlatformError({ platform: 'kuaishou', api, code: 'INVALID_REQUEST', message: `${api}: a Kuaishou order has one line, its id is the order id` });
    }
    const expressCode = kuaishouExpressCode(shipment.carrier);
    try {
      await this.call(shop, api, { orderId: toKuaishouLong(shipment.orderId), expressNo: shipment.trackingNo, expressCode }, true);
    } catch (error) {
      // A retry after an ambiguous first attempt is refused once the order has shipped: check whether it was ours.
      if (!(error instanceof PlatformError) || error.code !== 'INVALID_REQUEST') throw error;
      const detail = (await this.call(shop, 'open.order.detail', { oid: toKuaishouLong(shipment.orderId) }, true)).data as KsOrder;
      const shipped = detail.orderBaseInfo.status >= 40 && detail.orderBaseInfo.status !== 80;
      if (!shipped || !(detail.orderLogisticsInfo ?? []).some((l) => l.expressNo === shipment.trackingNo)) throw error;
    }
  }

  async listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage> {
    const api = 'open.seller.order.refund.pcursor.list';
    const page = await windowedPage({ ...this.withinLookBack(query), cursor: query.cursor, api }, this.refundWindowMs, async (begin, end, pcursor) => {
      const answer = await this.call(shop, api, { beginTime: begin, endTime: end, type: 9, pageSize: 100, currentPage: 1, sort: 2, queryType: 2, pcursor }, true);
      const data = (answer.data ?? {}) as { pcursor?: string; refundOrderInfoList?: KsRefund[]; dataList?: KsRefund[] };
      return { items: (data.refundOrderInfoList ?? data.dataList ?? []).map(toChannelRefund), platformCursor: data.pcursor ?? '' };
    });
    return { refunds: page.items, nextCursor: page.nextCursor };
  }

  async getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund> {
    const answer = await this.call(shop, 'open.seller.order.refund.detail', { refundId: toKuaishouLong(refundId) }, true);
    return toChannelRefund(answer.data as KsRefund);
  }

  async listCoupons(shop: ShopRef, page: { page: number; pageSize: number }): Promise<{ coupons: ChannelCoupon[]; total: number }> {
    // couponTargetType is left out to list item and shop coupons together (whether the live API allows that is unconfirmed).
    const answer = await this.call(shop, 'open.promotion.coupon.page.list', { sellerCouponStatus: 0, pageNo: Math.max(1, page.page), pageSize: page.pageSize }, true);
    const data = (answer.data ?? {}) as { marketingOpenCoupon?: KsCoupon[]; totalCount?: number };
    const now = this.clock.now();
    return { coupons: (data.marketingOpenCoupon ?? []).map((c) => toChannelCoupon(c, now)), total: data.totalCount ?? 0 };
  }

  async createCoupon(shop: ShopRef, draft: CouponDraft): Promise<{ couponId: string }> {
    const start = startOfChinaDay(draft.startsAt);
    const end = endOfChinaDay(draft.endsAt);
    const itemIds = draft.itemIds?.length ? draft.itemIds : undefined;
    const param: Param = {
      name: draft.name,
      couponTargetType: itemIds ? 0 : 1,
      ...(itemIds ? { itemIds: itemIds.map(toKuaishouLong) } : {}),
      reduceAmount: draft.discountFen,
      threshold: draft.thresholdFen,
      totalStock: draft.totalStock,
      receivePerLimit: draft.perBuyerLimit,
      // Claim windows must start at 00:00:00 and end at 23:59:59 (China time).
      receiveStartTime: start,
      receiveEndTime: end,
      validityType: 1,
      validStartTime: start,
      validEndTime: end,
      outerUniqueKey: draft.idempotencyKey.length <= 60 ? draft.idempotencyKey : createHash('sha256').update(draft.idempotencyKey).digest('hex').slice(0, 60),
    };
    // outerUniqueKey makes a repeat return the same coupon, so retrying is safe.
    const answer = await this.call(shop, 'open.promotion.coupon.create', param, true);
    return { couponId: idFrom((answer.data as { couponId: unknown }).couponId) };
  }

  async getCouponUsage(shop: ShopRef, couponId: string): Promise<CouponUsage> {
    const answer = await this.call(shop, 'open.promotion.coupon.statistic', { couponId: toKuaishouLong(couponId), businessLine: 1 }, true);
    const stats = (answer.data ?? {}) as KsCouponStatistic;
    return { couponId, issued: stats.receivedCount ?? 0, used: stats.usedCount ?? 0, discountGivenFen: stats.usedAmount };
  }

  /**
   * One API call for a shop. AUTH_EXPIRED is answered before anything is applied, so one refresh
   * and one repeat are safe even for the incremental stock write.
   */
  private operationHeader(operationId: string): Record<string, string> | undefined {
    return this.sendOperationId ? { [KUAISHOU_OPERATION_HEADER]: operationId } : undefined;
  }

  private async call(shop: ShopRef, api: string, param: Param, idempotent: boolean, headers?: Record<string, string>): Promise<KuaishouEnvelope> {
    const attempt = (accessToken: string) => this.gateway.call({ api, shopKey: `kuaishou:${shop.shopId}`, idempotent }, () => this.http.call({ api, accessToken, param, headers }));
    const token = await this.tokens.accessToken(shop);
    try {
      return await attempt(token);
    } catch (error) {
      if (!(error instanceof PlatformError) || error.code !== 'AUTH_EXPIRED') throw error;
      return attempt(await this.tokens.refreshAfterExpiry(shop, token));
    }
  }

  private async rawItem(shop: ShopRef, itemId: string): Promise<KsItem> {
    const answer = await this.call(shop, 'open.item.get', { kwaiItemId: toKuaishouLong(itemId) }, true);
    if (!answer.data) throw new PlatformError({ platform: 'kuaishou', api: 'open.item.get', code: 'NOT_FOUND', message: `item ${itemId} not found` });
    return answer.data as KsItem;
  }

  private skuOf(item: KsItem, skuId: string, api: string): KsSkuInfo {
    const sku = (item.skuInfos ?? item.skuList ?? []).find((s) => idFrom(s.kwaiSkuId) === skuId);
    if (!sku) throw new PlatformError({ platform: 'kuaishou', api, code: 'NOT_FOUND', message: `SKU ${skuId} not found on item ${idFrom(item.itemId ?? item.kwaiItemId)}` });
    return sku;
  }

  private async categoryConfig(shop: ShopRef, categoryId: string, fresh = false): Promise<KsCategoryConfig> {
    const cached = this.categoryConfigs.get(categoryId);
    if (!fresh && cached && this.clock.now() - cached.at < this.configTtlMs) return cached.config;
    const answer = await this.call(shop, 'open.item.category.config', { categoryId: toKuaishouLong(categoryId) }, true);
    const config = (answer.data ?? {}) as KsCategoryConfig;
    this.categoryConfigs.set(categoryId, { at: this.clock.now(), config });
    return config;
  }

  private async propValues(shop: ShopRef, categoryId: string, propId: string): Promise<KsPropValue[]> {
    const values: KsPropValue[] = [];
    const limit = 500;
    // Brand (102) may hold thousands of values; four pages are plenty for mapping.
    for (let page = 0, cursor = 0; page < 4; page++) {
      const answer = await this.call(shop, 'open.item.category.prop.value.search', { categoryId: toKuaishouLong(categoryId), propId: toKuaishouLong(propId), cursor, limit }, true);
      const data = (answer.data ?? {}) as { total?: number; cursor?: number; propValues?: KsPropValue[] };
      values.push(...(data.propValues ?? []));
      const next = Number(data.cursor ?? 0);
      if (!data.propValues?.length || data.propValues.length < limit || next <= cursor || values.length >= (data.total ?? 0)) break;
      cursor = next;
    }
    return values;
  }

  private async defaultExpressTemplate(shop: ShopRef): Promise<string> {
    const known = this.expressTemplates.get(shop.shopId);
    if (known) return known;
    const answer = await this.call(shop, 'open.logistics.express.template.list', { offset: 0, limit: 20, searchUsed: false }, true);
    const data = (answer.data ?? {}) as { expressTemplateDetailVOS?: { id: unknown; status?: number }[] };
    const template = (data.expressTemplateDetailVOS ?? []).find((t) => t.status === undefined || t.status === 1);
    if (!template) {
      throw new PlatformError({ platform: 'kuaishou', api: 'open.logistics.express.template.list', code: 'INVALID_REQUEST', message: 'the shop has no freight template: create one in the Kuaishou back office' });
    }
    const id = idFrom(template.id);
    this.expressTemplates.set(shop.shopId, id);
    return id;
  }

  private skuProps(specs: ChannelItemDraft['skus'][number]['specs'], coverUrl: string | undefined): Param[] {
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

  private withinLookBack(range: { since: number; until: number }): { since: number; until: number } {
    // A small margin keeps the first window inside the platform's 90-day reach despite clock skew.
    const floor = this.clock.now() - this.lookBackMs + 60 * 60_000;
    return { since: Math.max(range.since, floor), until: range.until };
  }
}

function startOfChinaDay(epochMs: number): number {
  return epochMs - ((epochMs + CHINA_UTC_OFFSET_MS) % DAY_MS);
}

function endOfChinaDay(epochMs: number): number {
  return startOfChinaDay(epochMs) + DAY_MS - 1_000;
}
