import axios from 'axios';
import { createHash } from 'node:crypto';
import { Clock, SystemClock } from '../../common/clock';
import { YouzanConfig } from '../../config/app-config';
import { Carrier } from '../carriers';
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
import { RawCategory, RawCouponGroup, RawItem, RawRefund, RawTrade } from './youzan-api.types';
import { YOUZAN_EXPRESS_NAMES, youzanExpressId } from './youzan-carriers';
import { YouzanCallOptions, YouzanHttpClient, YouzanHttpOptions, YouzanParams } from './youzan-http.client';
import { epochMsToBeijing, fenToYuanString, idString, longParam } from './youzan-values';
import { mapCategories, mapCoupon, mapItem, mapRefund, mapTrade } from './youzan.mapper';

export interface YouzanChannelOptions {
  http?: YouzanHttpOptions;
  clock?: Clock;
  /** Longest wait for downloading a listing image before uploading it to Youzan. */
  imageFetchTimeoutMs?: number;
}

/** trades.sold.get windows: ≤ 3 calendar months (the shortest 3-month span is 89 days). */
const ORDER_WINDOW_MS = 89 * 24 * 3600 * 1000;
const MAX_PAGE_NO = 100;
const MAX_PAGE_SIZE = 100;
/** refund.search: page_no × page_size ≤ 3000. */
const REFUND_MAX_ROWS = 3000;
const REFUND_PAGE_SIZE = 100;
const ALREADY_SHIPPED = '102570007';
const COUPON_MARKER_PREFIX = 'kwaizan:';
const MAX_IMAGE_BYTES = 1024 * 1024;

interface OrderCursor {
  /** Window [ws, we) in epoch ms, whole seconds. */
  ws: number;
  we: number;
  p: number;
  /** tids of the previous page: rows shift between pages while paginating (doc FAQ 47347). */
  prev: string[];
}

interface RefundCursor {
  ws: number;
  we: number;
  p: number;
}

const READ: YouzanCallOptions = { idempotent: true };
const WRITE_ONCE: YouzanCallOptions = { idempotent: false };

/**
 * The Youzan adapter behind the channel port. Platform field names stay in this folder;
 * callers see fen, string ids and epoch ms.
 */
export class YouzanChannel implements ChannelPort {
  readonly platform = 'youzan' as const;
  /** Absolute stock writes exist (item.quantity.update type 0); Youzan has no ship-by time on orders. */
  readonly capabilities: ChannelCapabilities = { absoluteStockWrite: true, platformShipBy: false };

  private readonly http: YouzanHttpClient;
  private readonly clock: Clock;
  private readonly imageFetchTimeoutMs: number;
  private readonly imageIds = new Map<string, string>();
  private expressByName?: Promise<Map<Carrier, string>>;

  constructor(config: YouzanConfig, gateway: PlatformGateway, tokens: TokenProvider, options: YouzanChannelOptions = {}) {
    this.http = new YouzanHttpClient(config, gateway, tokens, { clock: options.clock, ...options.http });
    this.clock = options.clock ?? new SystemClock();
    this.imageFetchTimeoutMs = options.imageFetchTimeoutMs ?? 10_000;
  }

  // ---- categories -------------------------------------------------------------------------

  async getCategories(shop: ShopRef): Promise<ChannelCategory[]> {
    const data = await this.http.call(shop, 'youzan.itemcategories.get', '3.0.0', {}, READ);
    const roots = Array.isArray(data) ? data : ((data as { categories?: RawCategory[] } | null)?.categories ?? []);
    return mapCategories(roots as RawCategory[]);
  }

  /** Youzan has no per-category property API (v3 cids carry no required properties), so there is nothing to fill. */
  async getCategoryProperties(_shop: ShopRef, _categoryId: string): Promise<ChannelCategoryProperty[]> {
    return [];
  }

  // ---- items ------------------------------------------------------------------------------

  async createItem(shop: ShopRef, draft: ChannelItemDraft): Promise<ChannelItemRef> {
    if (!draft.skus.length) throw this.invalid('youzan.item.create', 'an item needs at least one SKU');
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
        await this.http.call(shop, 'youzan.item.update', '3.0.1', { item_id: longParam(itemId), price: sku.priceFen, item_no: sku.outerSkuId }, READ);
        continue;
      }
      await this.http.call(
        shop,
        'youzan.item.sku.update',
        '3.0.0',
        { item_id: longParam(itemId), sku_id: longParam(sku.skuId), price: sku.priceFen === undefined ? undefined : fenToYuanString(sku.priceFen), item_no: sku.outerSkuId },
        READ,
      );
    }
  }

  async getItem(shop: ShopRef, itemId: string): Promise<ChannelItem> {
    return mapItem(await this.rawItem(shop, itemId));
  }

  /**
   * On-sale items first, then the warehouse (`items.inventory.get`). The list APIs carry no
   * SKUs, so each listed item is read with `item.get` (300 QPS per shop).
   */
  async listItems(shop: ShopRef, page: { page: number; pageSize: number }): Promise<{ items: ChannelItem[]; total: number }> {
    const pageSize = Math.min(Math.max(1, page.pageSize), MAX_PAGE_SIZE);
    const from = (Math.max(1, page.page) - 1) * pageSize;
    const onsale = await this.itemSlice(shop, 'youzan.items.onsale.get', from, from + pageSize, pageSize);
    let ids = onsale.ids;
    let inventoryTotal: number;
    if (ids.length < pageSize) {
      const start = Math.max(0, from - onsale.total);
      const inventory = await this.itemSlice(shop, 'youzan.items.inventory.get', start, start + pageSize - ids.length, pageSize);
      ids = [...ids, ...inventory.ids];
      inventoryTotal = inventory.total;
    } else {
      inventoryTotal = (await this.itemSlice(shop, 'youzan.items.inventory.get', 0, 0, 1)).total;
    }
    const items = await Promise.all(ids.map((id) => this.getItem(shop, id)));
    return { items, total: onsale.total + inventoryTotal };
  }

  async setShelfStatus(shop: ShopRef, itemId: string, onShelf: boolean): Promise<void> {
    await this.http.call(shop, onShelf ? 'youzan.item.update.listing' : 'youzan.item.update.delisting', '3.0.0', { item_id: longParam(itemId) }, READ);
  }

  // ---- stock and price --------------------------------------------------------------------

  async getSkuStock(shop: ShopRef, sku: SkuRef): Promise<number> {
    const item = mapItem(await this.rawItem(shop, sku.itemId));
    const found = item.skus.find((s) => s.skuId === sku.skuId);
    if (!found) throw new PlatformError({ platform: 'youzan', api: 'youzan.item.get', code: 'NOT_FOUND', message: `SKU ${sku.skuId} not found on item ${sku.itemId}` });
    return found.stock;
  }

  /**
   * Incremental (type=1). Never retried after an ambiguous failure: a retry of a write that
   * did land would apply the delta twice. The caller settles an unknown outcome by reading back.
   */
  async adjustSkuStock(shop: ShopRef, sku: SkuRef, delta: number, operationId: string): Promise<StockWriteResult> {
    if (!Number.isInteger(delta)) throw this.invalid('youzan.item.quantity.update', `stock delta must be an integer, got ${delta}`);
    return this.stockWrite(shop, sku, delta, 1, operationId, false);
  }

  /** Absolute (type=0): repeating it lands on the same value, so the gateway may retry it. */
  async setSkuStock(shop: ShopRef, sku: SkuRef, quantity: number, operationId: string): Promise<StockWriteResult> {
    if (!Number.isInteger(quantity) || quantity < 0) throw this.invalid('youzan.item.quantity.update', `stock must be a non-negative integer, got ${quantity}`);
    return this.stockWrite(shop, sku, quantity, 0, operationId, true);
  }

  /** `item.sku.update` takes yuan with two decimals; an item without specs takes fen through item.update. */
  async setSkuPrice(shop: ShopRef, sku: SkuRef, priceFen: number): Promise<void> {
    if (!Number.isInteger(priceFen) || priceFen < 1) throw this.invalid('youzan.item.sku.update', `price must be at least 1 fen, got ${priceFen}`);
    if (sku.skuId === '0') {
      await this.http.call(shop, 'youzan.item.update', '3.0.1', { item_id: longParam(sku.itemId), price: priceFen }, READ);
      return;
    }
    await this.http.call(shop, 'youzan.item.sku.update', '3.0.0', { item_id: longParam(sku.itemId), sku_id: longParam(sku.skuId), price: fenToYuanString(priceFen) }, READ);
  }

  // ---- orders -----------------------------------------------------------------------------

  clockOffsetMs(): number | undefined {
    return this.http.platformClock.offsetMs();
  }

  /**
   * `trades.sold.get` 4.0.0 over windows of ≤ 3 months (paired start/end), pages of ≤ 100 up to
   * page 100; a window holding more rows than that is halved. Rows can shift between pages while
   * paginating, so tids of the previous page travel in the cursor and repeats are dropped.
   */
  async listOrders(shop: ShopRef, query: OrderQuery): Promise<OrderPage> {
    const pageSize = Math.min(Math.max(1, query.pageSize ?? MAX_PAGE_SIZE), MAX_PAGE_SIZE);
    const since = Math.floor(query.since / 1000) * 1000;
    // end > start is required: a window is at least 2 s wide.
    const until = Math.max(Math.ceil(query.until / 1000) * 1000, since + 2000);
    const [startKey, endKey] = query.by === 'updated' ? ['start_update', 'end_update'] : ['start_created', 'end_created'];
    let cursor: OrderCursor = query.cursor ? decodeCursor<OrderCursor>(query.cursor) : { ws: since, we: Math.min(until, since + ORDER_WINDOW_MS), p: 1, prev: [] };

    for (let windows = 0; ; windows++) {
      const params: YouzanParams = { [startKey]: epochMsToBeijing(cursor.ws), [endKey]: epochMsToBeijing(cursor.we - 1000), page_no: cursor.p, page_size: pageSize };
      const data = (await this.http.call(shop, 'youzan.trades.sold.get', '4.0.0', params, READ)) as { total_results?: number; full_order_info_list?: RawTrade[] };
      const total = data.total_results ?? 0;
      if (cursor.p === 1 && total > MAX_PAGE_NO * pageSize && cursor.we - cursor.ws > 2000) {
        cursor = { ...cursor, we: cursor.ws + Math.max(2000, Math.floor((cursor.we - cursor.ws) / 2000) * 1000) };
        continue;
      }
      const rows = data.full_order_info_list ?? [];
      const seen = new Set(cursor.prev);
      const orders: ChannelOrder[] = [];
      for (const row of rows) {
        const order = mapTrade(row);
        if (seen.has(order.orderId)) continue;
        seen.add(order.orderId);
        orders.push(order);
      }
      const pageTids = rows.map((r) => r.full_order_info?.order_info?.tid ?? '');
      const moreInWindow = rows.length > 0 && cursor.p * pageSize < total && cursor.p < MAX_PAGE_NO;
      let next: OrderCursor | undefined;
      if (moreInWindow) next = { ws: cursor.ws, we: cursor.we, p: cursor.p + 1, prev: pageTids };
      else if (cursor.we < until) next = { ws: cursor.we, we: Math.min(until, cursor.we + ORDER_WINDOW_MS), p: 1, prev: pageTids };
      if (orders.length === 0 && next && !moreInWindow && windows < 20) {
        cursor = next;
        continue;
      }
      return { orders, nextCursor: next ? encodeCursor(next) : undefined };
    }
  }

  async getOrder(shop: ShopRef, orderId: string): Promise<ChannelOrder> {
    const data = (await this.http.call(shop, 'youzan.trade.get', '4.0.0', { tid: orderId }, READ)) as RawTrade;
    if (!data?.full_order_info?.order_info?.tid) {
      // An empty skeleton is "not found yet" (the doc warns of a ≥ 30 s read lag after a push).
      throw new PlatformError({ platform: 'youzan', api: 'youzan.trade.get', code: 'NOT_FOUND', message: `trade ${orderId} not found (empty answer)` });
    }
    return mapTrade(data);
  }

  /** Ship is safe to repeat: a repeat answers 102570007 "already shipped", taken as success. */
  async shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void> {
    const expressId = await this.expressId(shop, shipment.carrier);
    const params: YouzanParams = {
      tid: shipment.orderId,
      is_no_express: 0,
      out_stype: expressId,
      out_sid: shipment.trackingNo,
      oids: shipment.lineIds?.length ? shipment.lineIds.join(',') : undefined,
    };
    try {
      await this.http.call(shop, 'youzan.logistics.online.confirm', '3.0.0', params, READ);
    } catch (error) {
      if (error instanceof PlatformError && error.rawCode === ALREADY_SHIPPED) return;
      throw error;
    }
  }

  // ---- refunds ----------------------------------------------------------------------------

  /** `trade.refund.search` by update time (epoch seconds); the list has no line ids (see getRefund). */
  async listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage> {
    const since = Math.floor(query.since / 1000) * 1000;
    const until = Math.max(Math.ceil(query.until / 1000) * 1000, since + 1000);
    let cursor: RefundCursor = query.cursor ? decodeCursor<RefundCursor>(query.cursor) : { ws: since, we: until, p: 1 };
    for (;;) {
      const params: YouzanParams = { update_time_start: cursor.ws / 1000, update_time_end: cursor.we / 1000 - 1, page_no: cursor.p, page_size: REFUND_PAGE_SIZE };
      const data = (await this.http.call(shop, 'youzan.trade.refund.search', '3.0.0', params, READ)) as { total?: number; refunds?: RawRefund[] };
      const total = data.total ?? 0;
      if (cursor.p === 1 && total > REFUND_MAX_ROWS && cursor.we - cursor.ws > 2000) {
        cursor = { ...cursor, we: cursor.ws + Math.floor((cursor.we - cursor.ws) / 2000) * 1000 };
        continue;
      }
      const rows = data.refunds ?? [];
      const more = rows.length > 0 && cursor.p * REFUND_PAGE_SIZE < total && (cursor.p + 1) * REFUND_PAGE_SIZE <= REFUND_MAX_ROWS;
      let next: RefundCursor | undefined;
      if (more) next = { ...cursor, p: cursor.p + 1 };
      else if (cursor.we < until) next = { ws: cursor.we, we: until, p: 1 };
      return { refunds: rows.map(mapRefund), nextCursor: next ? encodeCursor(next) : undefined };
    }
  }

  async getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund> {
    const data = (await this.http.call(shop, 'youzan.trade.refund.get', '3.0.0', { refund_id: refundId }, READ)) as RawRefund;
    return mapRefund(data);
  }

  // ---- coupons ----------------------------------------------------------------------------

  async listCoupons(shop: ShopRef, page: { page: number; pageSize: number }): Promise<{ coupons: ChannelCoupon[]; total: number }> {
    const data = await this.couponPage(shop, Math.max(1, page.page), Math.min(Math.max(1, page.pageSize), MAX_PAGE_SIZE));
    const now = this.clock.now();
    return { coupons: (data.groups ?? []).map((g) => mapCoupon(g, now)), total: data.total ?? 0 };
  }

  /**
   * `promocard.add` is not idempotent and has no client key. The idempotency key is written into
   * the coupon's 使用说明 (`description`, returned by coupon.search) as `kwaizan:<hash>`; a create
   * first looks for that marker, and an ambiguous failure is settled by looking again.
   */
  async createCoupon(shop: ShopRef, draft: CouponDraft): Promise<{ couponId: string }> {
    const marker = `${COUPON_MARKER_PREFIX}${createHash('sha256').update(draft.idempotencyKey).digest('hex').slice(0, 16)}`;
    const existing = await this.findCouponByMarker(shop, marker);
    if (existing) return { couponId: existing };
    const params: YouzanParams = {
      title: draft.name,
      value: fenToYuanString(draft.discountFen),
      is_at_least: draft.thresholdFen > 0 ? 1 : 0,
      at_least: fenToYuanString(draft.thresholdFen),
      total: draft.totalStock,
      quota: draft.perBuyerLimit,
      need_user_level: 0,
      range_type: draft.itemIds?.length ? 'PART' : 'ALL',
      specify_item_ids: draft.itemIds?.length ? draft.itemIds.join(',') : undefined,
      date_type: 1,
      start_at: epochMsToBeijing(draft.startsAt),
      end_at: epochMsToBeijing(draft.endsAt),
      preferential_type: 1,
      description: marker,
    };
    try {
      const data = (await this.http.call(shop, 'youzan.ump.promocard.add', '3.0.0', params, WRITE_ONCE)) as { promocard?: RawCouponGroup };
      return { couponId: idString(data.promocard?.group_id ?? data.promocard?.id) };
    } catch (error) {
      if (error instanceof PlatformError && error.ambiguous) {
        const landed = await this.findCouponByMarker(shop, marker);
        if (landed) return { couponId: landed };
      }
      throw error;
    }
  }

  async getCouponUsage(shop: ShopRef, couponId: string): Promise<CouponUsage> {
    const data = (await this.http.call(shop, 'youzan.ump.coupon.detail.get', '3.0.0', { id: longParam(couponId) }, READ)) as { group?: RawCouponGroup };
    const group = data.group ?? {};
    return { couponId, issued: group.total_take ?? 0, used: group.total_used ?? 0 };
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async rawItem(shop: ShopRef, itemId: string): Promise<RawItem> {
    const data = (await this.http.call(shop, 'youzan.item.get', '3.0.0', { item_id: longParam(itemId) }, READ)) as { item?: RawItem };
    if (!data?.item) throw new PlatformError({ platform: 'youzan', api: 'youzan.item.get', code: 'NOT_FOUND', message: `item ${itemId} not found` });
    return data.item;
  }

  private async stockWrite(shop: ShopRef, sku: SkuRef, quantity: number, type: 0 | 1, operationId: string, idempotent: boolean): Promise<StockWriteResult> {
    const params: YouzanParams = { item_id: longParam(sku.itemId), sku_id: sku.skuId === '0' ? undefined : longParam(sku.skuId), quantity, type };
    try {
      await this.http.call(shop, 'youzan.item.quantity.update', '3.0.0', params, { idempotent, operationId });
      return { outcome: 'applied' };
    } catch (error) {
      if (error instanceof PlatformError && (error.ambiguous || error.code === 'UNKNOWN')) return { outcome: 'unknown', reason: error.message };
      throw error;
    }
  }

  private async itemSlice(shop: ShopRef, api: string, from: number, to: number, pageSize: number): Promise<{ ids: string[]; total: number }> {
    const ids: string[] = [];
    let total = 0;
    const firstPage = Math.floor(from / pageSize) + 1;
    for (let pageNo = firstPage; ; pageNo++) {
      const data = (await this.http.call(shop, api, '3.0.0', { page_no: pageNo, page_size: pageSize, order_by: 'created_time:desc' }, READ)) as { count?: number; items?: RawItem[] };
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

  private async couponPage(shop: ShopRef, pageNo: number, pageSize: number): Promise<{ groups?: RawCouponGroup[]; total?: number }> {
    return (await this.http.call(shop, 'youzan.ump.coupon.search', '3.0.0', { page_no: pageNo, page_size: pageSize, group_type: 'PROMOCARD' }, READ)) as { groups?: RawCouponGroup[]; total?: number };
  }

  private async findCouponByMarker(shop: ShopRef, marker: string): Promise<string | undefined> {
    for (let pageNo = 1; pageNo <= 50; pageNo++) {
      const data = await this.couponPage(shop, pageNo, MAX_PAGE_SIZE);
      const groups = data.groups ?? [];
      const hit = groups.find((g) => (g.description ?? '').includes(marker));
      if (hit) return idString(hit.id ?? hit.group_id);
      if (groups.length < MAX_PAGE_SIZE || pageNo * MAX_PAGE_SIZE >= (data.total ?? 0)) return undefined;
    }
    return undefined;
  }

  private async expressId(shop: ShopRef, carrier: Carrier): Promise<string> {
    const known = youzanExpressId(carrier);
    if (known) return known;
    this.expressByName ??= this.loadExpressNames(shop).catch((error: unknown) => {
      this.expressByName = undefined;
      throw error;
    });
    const id = (await this.expressByName).get(carrier);
    if (!id) throw this.invalid('youzan.logistics.online.confirm', `carrier ${carrier} is not in Youzan's express company list`);
    return id;
  }

  private async loadExpressNames(shop: ShopRef): Promise<Map<Carrier, string>> {
    const data = (await this.http.call(shop, 'youzan.logistics.express.get', '3.0.0', {}, READ)) as { allExpress?: { id?: number | string; name?: string }[] };
    const found = new Map<Carrier, string>();
    for (const [carrier, names] of Object.entries(YOUZAN_EXPRESS_NAMES) as [Carrier, string[]][]) {
      const hit = (data.allExpress ?? []).find((e) => names.some((n) => (e.name ?? '').includes(n)));
      if (hit) found.set(carrier, idString(hit.id));
    }
    return found;
  }

  /** Listing images must live in Youzan's material store; each URL is uploaded once per shop. */
  private async uploadImages(shop: ShopRef, urls: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const url of urls) {
      const key = `${shop.shopId}|${url}`;
      let id = this.imageIds.get(key);
      if (!id) {
        const { bytes, contentType } = await this.fetchImage(url);
        const data = (await this.http.upload(shop, 'youzan.materials.storage.platform.img.upload', '3.0.0', {
          field: 'image',
          filename: `image.${contentType.split('/')[1] ?? 'jpg'}`,
          contentType,
          bytes,
        })) as { image_id?: number | string };
        id = idString(data.image_id);
        if (!id) throw new PlatformError({ platform: 'youzan', api: 'youzan.materials.storage.platform.img.upload', code: 'UNKNOWN', message: 'upload answered without image_id' });
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
      return { bytes: base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload)), contentType };
    }
    try {
      const res = await axios.get<ArrayBuffer>(url, { responseType: 'arraybuffer', timeout: this.imageFetchTimeoutMs, maxContentLength: MAX_IMAGE_BYTES });
      const contentType = String(res.headers['content-type'] ?? 'image/jpeg').split(';')[0];
      return { bytes: Buffer.from(res.data), contentType };
    } catch (error) {
      throw this.invalid('youzan.materials.storage.platform.img.upload', `cannot fetch image ${url}: ${(error as Error).message}`);
    }
  }

  private invalid(api: string, message: string): PlatformError {
    return new PlatformError({ platform: 'youzan', api, code: 'INVALID_REQUEST', message });
  }
}

function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor<T>(cursor: string): T {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw new PlatformError({ platform: 'youzan', api: 'cursor', code: 'INVALID_REQUEST', message: 'malformed page cursor' });
  }
}
