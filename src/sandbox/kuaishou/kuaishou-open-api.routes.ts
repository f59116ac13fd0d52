import express, { Request, Response, Router } from 'express';
import { sleep } from '@app/common/sleep';
import { Counters } from '../shared/counters';
import { EmulatorClock } from '../shared/emulator-clock';
import { FaultInjector } from '../shared/fault-injector';
import { KS_FAULT_ERRORS, KS_RESULT, KsApiError, ksError } from './kuaishou-emulator.errors';
import { long, ParamReader, parseParam, toJson } from './kuaishou-emulator.json';
import { KsPart, readMultipart, uploadImage } from './kuaishou-emulator.images';
import { KsShop, KuaishouEmulatorStore } from './kuaishou-emulator.store';
import {
  couponView,
  feeView,
  itemListView,
  itemView,
  orderView,
  refundView,
  shopInfoView,
  skuView,
} from './kuaishou-emulator.views';
import { KuaishouOAuthStore } from './kuaishou-oauth.store';
import { expectedKuaishouSign, kuaishouSignMatches } from './kuaishou-signature';

export interface OpenApiDeps {
  appKey: string;
  signSecret: string;
  clock: EmulatorClock;
  faults: FaultInjector;
  counters: Counters;
  store: KuaishouEmulatorStore;
  oauth: KuaishouOAuthStore;
  maxOrderPageSize: number;
  refundWindowMs: number;
  /** Allowed |timestamp − now|; the real tolerance is unconfirmed, so it is off unless set. */
  timestampSkewMs?: number;
}

interface ApiContext {
  shop: KsShop;
  p: ParamReader;
  now: number;
  /** File parts of a multipart request (the image upload). */
  files: KsPart[];
}

/** What a handler answers: `data`, or nothing for the writes that answer `result` only. */
type ApiAnswer = { data: unknown } | undefined;

interface ApiDef {
  scope: string;
  write: boolean;
  handle(ctx: ApiContext): ApiAnswer;
}

const DAY_MS = 86_400_000;
const LOOK_BACK_MS = 90 * DAY_MS;
const ORDER_WINDOW_MS = 7 * DAY_MS;
const SYSTEM_PARAMS = ['appkey', 'method', 'version', 'access_token', 'timestamp', 'signMethod', 'sign'] as const;
const STOCK_WRITE = 'open.item.sku.stock.update';
const OPERATION_HEADER = 'x-kwaizan-operation-id';
/** The answer to a decrease below the stock reserved for an activity (result 21). */
const RESERVE_REFUSED = '当前库存不足，请减少预留数量';
const ORDER_VIEW_STATUS: Record<number, number | undefined> = {
  1: undefined,
  2: 10,
  3: 30,
  4: 40,
  5: 50,
  6: 70,
  7: 80,
};

/** `/open/**`: the gateway. Validation order follows sheet §7; injected faults wrap it. */
export function kuaishouOpenApiRouter(deps: OpenApiDeps): Router {
  const router = express.Router();
  const apis = buildApis(deps);
  const appliedOperations = new Set<string>();
  let requestSeq = 0;

  router.use(async (req: Request, res: Response) => {
    const method = `open${req.path.replace(/\/+$/, '').replace(/\//g, '.')}`;
    const requestId = `ksemu-${Date.now().toString(36)}-${++requestSeq}`;
    deps.counters.call(method);
    const plan = deps.faults.plan(method);
    if (plan.latencyMs > 0) {
      deps.counters.fault('latency');
      await sleep(plan.latencyMs);
    }
    if (plan.httpError) {
      deps.counters.rejected('http_502');
      deps.counters.fault('http_error');
      res.status(502).end();
      return;
    }
    try {
      let files: KsPart[] = [];
      if (String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
        const parts = await readMultipart(req);
        files = parts.filter((part) => part.filename !== undefined);
        req.body = Object.fromEntries(
          parts.filter((part) => part.filename === undefined).map((part) => [part.name, part.data.toString('utf8')]),
        );
      }
      const params = collectParams(req);
      const { api, shop } = authenticate(deps, apis, method, params);
      if (plan.throttle) {
        deps.counters.fault('throttle');
        const rule = deps.faults
          .describe()
          .rules.find((r) => (r.api === method || r.api === '*') && r.maxQps !== undefined);
        throw ksError.qps(apiNumber(method), deps.appKey, rule?.maxQps ?? 300);
      }
      if (plan.error) {
        deps.counters.fault('error');
        throw (KS_FAULT_ERRORS[plan.error] ?? KS_FAULT_ERRORS.system)(deps.appKey);
      }
      if (plan.lateApplyMs !== undefined) {
        // Accepted by the gateway, applied by the backend after the caller gave up: a revocation
        // in between does not stop it.
        deps.counters.fault('late_apply');
        await sleep(plan.lateApplyMs);
      }
      const answer = api.handle({ shop, p: parseParam(params.param), now: deps.clock.now(), files });
      if (api.write) deps.counters.writeApplied(method);
      if (method === STOCK_WRITE) {
        const operationId = req.header(OPERATION_HEADER);
        if (operationId) {
          // The platform has no idempotency key: a repeated operation id means the stock moved twice.
          if (appliedOperations.has(operationId)) deps.counters.duplicateOperationIds++;
          appliedOperations.add(operationId);
        }
      }
      if (plan.busyAfterApply && busyAfterApply(deps, res, requestId)) return;
      const body = toJson({
        result: KS_RESULT.SUCCESS,
        error_msg: '',
        ...(answer === undefined ? {} : { data: answer.data }),
        requestId,
      });
      if (plan.dropResponse) {
        deps.counters.rejected('response_dropped_after_apply');
        deps.counters.fault('response_dropped_after_apply');
        req.socket.destroy();
        return;
      }
      if (res.writableEnded || req.socket.destroyed) return;
      res.status(200).type('application/json;charset=UTF-8').send(body);
    } catch (error) {
      const failure = error instanceof KsApiError ? error : ksError.system();
      deps.counters.rejected(failure.reason);
      if (
        failure.result === KS_RESULT.BUSINESS_REJECTED &&
        failure.message === RESERVE_REFUSED &&
        holdsActivityReserve(deps, req)
      ) {
        deps.counters.fault('activity_reserve_refused');
      }
      if (res.writableEnded || req.socket.destroyed) return;
      res
        .status(200)
        .type('application/json;charset=UTF-8')
        .send(toJson({ result: failure.result, error_msg: failure.message, requestId }));
    }
  });
  return router;
}

/**
 * Injected "applied, then answered busy": the backend applied the write, but the gateway answers
 * with the platform's system-busy body (result 2), as a real overloaded gateway can. The caller must
 * treat it as an unknown outcome. False when the connection is already gone.
 */
function busyAfterApply(deps: OpenApiDeps, res: Response, requestId: string): boolean {
  deps.counters.fault('busy_after_apply');
  const busy = ksError.system();
  deps.counters.rejected('busy_after_apply');
  if (res.writableEnded || res.req.socket.destroyed) return true;
  res
    .status(200)
    .type('application/json;charset=UTF-8')
    .send(toJson({ result: busy.result, error_msg: busy.message, requestId }));
  return true;
}

/**
 * The "stock below the reserve" answer is also what a decrease below zero gets: it counts as an
 * activity-reserve refusal only when the SKU written holds units for an activity.
 */
function holdsActivityReserve(deps: OpenApiDeps, req: Request): boolean {
  try {
    const p = parseParam(collectParams(req).param);
    const itemId = String(p.long('kwaiItemId', true) ?? p.long('itemId', true) ?? '');
    const item = deps.store.items.get(itemId);
    const skuIds = [p.long('skuId', true), ...(p.objects('skuList') ?? []).map((s) => s.long('skuId', true))]
      .filter((id) => id !== undefined)
      .map(String);
    return !!item?.skus.some((s) => skuIds.includes(String(s.kwaiSkuId)) && s.reserveStock > 0);
  } catch {
    return false;
  }
}

function collectParams(req: Request): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  const take = (source: unknown) => {
    if (!source || typeof source !== 'object') return;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (first === undefined || first === null) continue;
      params[key] =
        typeof first === 'string' ? first : typeof first === 'object' ? JSON.stringify(first) : String(first);
    }
  };
  take(req.query);
  take(req.body);
  return params;
}

function authenticate(
  deps: OpenApiDeps,
  apis: Record<string, ApiDef>,
  method: string,
  params: Record<string, string | undefined>,
): { api: ApiDef; shop: KsShop } {
  for (const name of SYSTEM_PARAMS) if (!params[name]) throw ksError.missing(name);
  if (params.method !== method) throw ksError.invalid(`method[${params.method}]与请求路径不一致`);
  if (params.version !== '1') throw ksError.invalid(`version[${params.version}]不支持`);
  if (params.signMethod !== 'MD5' && params.signMethod !== 'HMAC_SHA256')
    throw ksError.invalid(`signMethod[${params.signMethod}]不支持`);
  if (!/^\d{13}$/.test(params.timestamp ?? '')) throw ksError.invalid('timestamp 必须是毫秒时间戳');
  if (
    deps.timestampSkewMs !== undefined &&
    Math.abs(Number(params.timestamp) - deps.clock.now()) > deps.timestampSkewMs
  )
    throw ksError.invalid('timestamp 已过期');
  // The sign can only be checked with the app's secret, so an unknown appkey is answered first.
  if (params.appkey !== deps.appKey) throw ksError.appKey(params.appkey ?? '');
  if (!kuaishouSignMatches(params.sign ?? '', expectedKuaishouSign(params, params.signMethod, deps.signSecret)))
    throw ksError.sign();
  const api = apis[method];
  if (!api) throw ksError.apiNotFound(method);
  const check = deps.oauth.check(params.access_token ?? '');
  if (check instanceof KsApiError) throw check;
  if (!check.scopes.includes(api.scope)) throw ksError.scope(api.scope);
  const shop = deps.store.shops.get(check.grant.openId);
  if (!shop) throw ksError.mainAccount();
  return { api, shop };
}

function apiNumber(method: string): number {
  let hash = 10_000;
  for (const char of method) hash = (hash * 31 + char.charCodeAt(0)) % 90_000;
  return 10_000 + hash;
}

function cursorOf(time: number, id: string): string {
  return Buffer.from(`${time}_${id}`).toString('base64url');
}

function readCursor(cursor: string): { time: number; id: string } | undefined {
  if (!cursor) return undefined;
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('_');
  if (!/^\d+$/.test(time ?? '') || !/^\d+$/.test(id ?? '')) throw ksError.invalid('cursor 不合法');
  return { time: Number(time), id };
}

/** Sorted page after an optional (time, id) cursor; "nomore" when nothing is left. */
function cursorPage<T>(
  rows: T[],
  time: (row: T) => number,
  id: (row: T) => string,
  ascending: boolean,
  cursor: string,
  pageSize: number,
): { page: T[]; next: string } {
  const order = (a: T, b: T) =>
    (time(a) - time(b) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0)) * (ascending ? 1 : -1);
  const sorted = [...rows].sort(order);
  const after = readCursor(cursor);
  const rest = after
    ? sorted.filter((row) => {
        const delta =
          (time(row) - after.time || (id(row) < after.id ? -1 : id(row) > after.id ? 1 : 0)) * (ascending ? 1 : -1);
        return delta > 0;
      })
    : sorted;
  const page = rest.slice(0, pageSize);
  const last = page[page.length - 1];
  return { page, next: rest.length > pageSize && last ? cursorOf(time(last), id(last)) : 'nomore' };
}

function checkRange(
  begin: number,
  end: number,
  now: number,
  windowMs: number,
  errors: { range: KsApiError; lookBack: KsApiError },
): void {
  if (end < begin) throw ksError.invalid('endTime 不能早于 beginTime');
  if (end - begin > windowMs) throw errors.range;
  if (begin < now - LOOK_BACK_MS) throw errors.lookBack;
}

function buildApis(deps: OpenApiDeps): Record<string, ApiDef> {
  const { store } = deps;
  const catalog = store.catalog;
  const read = (scope: string, handle: ApiDef['handle']): ApiDef => ({ scope, write: false, handle });
  const write = (scope: string, handle: ApiDef['handle']): ApiDef => ({ scope, write: true, handle });
  /** The shop's refund named by `refundId`, in one of the states the seller action is allowed in (300010 otherwise). */
  const sellerRefund = (shop: KsShop, p: ParamReader, allowed: number[], what: string) => {
    const refund = store.refunds.get(p.long('refundId'));
    if (!refund || refund.openId !== shop.openId) throw new KsApiError(KS_RESULT.REFUND_NOT_FOUND, '售后单不存在');
    if (!allowed.includes(refund.status))
      throw new KsApiError(KS_RESULT.REFUND_STATUS_FORBIDS, `售后单状态(${refund.status})不允许该操作: ${what}`);
    return refund;
  };
  const itemCreated = (item: ReturnType<KuaishouEmulatorStore['createItem']>) => ({
    data: {
      kwaiItemId: long(item.kwaiItemId),
      relItemId: long(item.relItemId),
      skuIdMapping: item.skus.map((s) => ({
        kwaiSkuId: long(s.kwaiSkuId),
        relSkuId: long(s.relSkuId),
        skuNick: s.skuNick,
      })),
    },
  });

  return {
    'open.item.category': read('merchant_item', () => ({
      data: catalog.categories.map((c) => ({ categoryId: c.id, categoryName: c.name, categoryPid: c.pid })),
    })),
    'open.item.category.optional.get': read('merchant_item', ({ shop }) => {
      const children = (pid: number): Record<string, unknown>[] =>
        catalog.categories
          .filter((c) => c.pid === pid)
          .map((c) => ({
            categoryId: c.id,
            categoryName: c.name,
            hierarchy: catalog.path(c.id).length,
            open: store.isOpenFor(shop, c.id),
            childCategory: children(c.id),
          }));
      return { data: children(0) };
    }),
    // The real ranking model is Kuaishou's own; this one ranks leaves by the characters they share with the
    // title and description, enough to exercise the API's shape and its daily cap. The live API takes only
    // Kuaishou-hosted image URLs; this emulator only requires one URL (hosting is not checked here yet,
    // though open.item.image.upload now hands out hosted URLs).
    'open.item.category.suggested.get': read('merchant_item', ({ shop, p }) => {
      const title = p.string('itemTitle');
      const imageUrls = p.strings('imageUrls') ?? [];
      if (!title.trim()) throw ksError.invalid('itemTitle 不能为空');
      if (!imageUrls.length) throw ksError.invalid('imageUrls 不能为空');
      if (!store.takeSuggestQuota(shop)) throw ksError.quota(deps.appKey);
      const text = `${title} ${p.string('itemDesc', true) ?? ''}`;
      const ranked = catalog.categories
        .filter((c) => c.leaf)
        .map((c) => ({
          c,
          score: [...new Set(c.name.replace(/[/其它他]/g, ''))].filter((ch) => text.includes(ch)).length,
        }))
        .filter((r) => r.score > 0)
        .sort((a, b) => b.score - a.score || a.c.id - b.c.id)
        .slice(0, 5);
      return {
        data: ranked.map(({ c }) => {
          const path = catalog.path(c.id);
          return {
            categoryNamePath: path.map((n) => n.name),
            categoryCodePath: path.map((n) => n.id),
            open: store.isOpenFor(shop, c.id),
          };
        }),
      };
    }),
    'open.item.category.config': read('merchant_item', ({ p }) => {
      const id = Number(p.long('categoryId'));
      if (!catalog.get(id)) throw ksError.business('类目不存在');
      return {
        data: {
          categoryConfig: {
            refundRuleList: catalog.refundRulesOf(id),
            preSaleTime: 0,
            allergyRefund: 0,
            freshRotRefund: 0,
            brokenRefund: 0,
          },
          categoryPropSwitch: true,
          propConfigs: catalog.propsOf(id).map((prop) => ({
            propId: prop.propId,
            propName: prop.propName,
            required: prop.required,
            propInputType: prop.inputType,
            propValueMaximum: prop.maxValues,
            sortNum: prop.sortNum,
            customInput: false,
            preConstraint: false,
            prePropValues: [],
            unitProp: [],
            propInputConfig: {},
          })),
        },
      };
    }),
    'open.item.category.prop.value.search': read('merchant_item', ({ p }) => {
      const id = Number(p.long('categoryId'));
      const propId = Number(p.long('propId'));
      const cursor = p.int('cursor');
      const limit = p.int('limit');
      if (limit < 1 || limit > 500) throw ksError.invalid('limit 必须在1-500之间');
      const prop = catalog.propsOf(id).find((c) => c.propId === propId);
      if (!prop) throw ksError.business('类目属性不存在');
      const filter = p.string('propValue', true);
      const values = prop.values.filter((v) => !filter || v.name.includes(filter));
      const page = values.slice(cursor, cursor + limit);
      const next = cursor + page.length < values.length ? cursor + page.length : 0;
      return {
        data: {
          total: values.length,
          cursor: next,
          propValues: page.map((v) => ({ propValueId: v.id, propValue: v.name })),
        },
      };
    }),
    // Multipart: system params and `param` as fields, the bytes in the `imgBytes` part (sheet §2.1, §3.6).
    'open.item.image.upload': write('merchant_item', ({ p, files }) => ({
      data: uploadImage(
        store.hostedImages,
        p.int('uploadType', true) ?? 1,
        p.string('imgUrl', true),
        files.find((f) => f.name === 'imgBytes')?.data,
      ),
    })),
    'open.item.new': write('merchant_item', ({ shop, p }) => itemCreated(store.createItem(shop, p))),
    'open.item.edit': write('merchant_item', ({ shop, p }) => itemCreated(store.editItem(shop, p))),
    'open.item.get': read('merchant_item', ({ shop, p }) => ({
      data: itemView(store.item(shop, p.long('kwaiItemId')), catalog),
    })),
    'open.item.list.get': read('merchant_item', ({ shop, p }) => {
      const page = Math.max(1, p.int('pageNumber', true) ?? 1);
      const requested = p.int('pageSize', true);
      const size = !requested || requested > 100 ? 100 : Math.max(10, requested);
      const shelf = p.int('onOfflineStatus', true);
      if (shelf !== undefined && shelf !== 1) throw ksError.invalid('onOfflineStatus 仅支持1(在售)');
      const byId = p.long('kwaiItemId', true);
      const byRel = p.long('relItemId', true);
      const items = store
        .itemsOf(shop)
        .filter(
          (i) =>
            (shelf === undefined || i.shelf === 1) &&
            (!byId || i.kwaiItemId === byId) &&
            (!byRel || i.relItemId === byRel),
        )
        .sort((a, b) => a.createTime - b.createTime || (a.kwaiItemId < b.kwaiItemId ? -1 : 1));
      const slice = items.slice((page - 1) * size, page * size);
      return {
        data: {
          totalItemCount: items.length,
          currentPageItemCount: slice.length,
          currentPageNumber: page,
          totalPage: Math.ceil(items.length / size),
          items: slice.map((i) => itemListView(i, catalog)),
        },
      };
    }),
    'open.item.sku.list.get': read('merchant_item', ({ shop, p }) => {
      const item = store.item(shop, p.long('kwaiItemId'));
      const rel = p.long('relSkuId', true);
      const skus = item.skus.filter((s) => !rel || s.relSkuId === rel).map((s) => skuView(item, s));
      return { data: { skuCount: skus.length, skuList: skus } };
    }),
    'open.item.shelf.status.update': write('merchant_item', ({ shop, p }) => {
      store.setShelf(shop, p);
      return undefined;
    }),
    'open.item.sku.stock.update': write('merchant_item', ({ shop, p }) => {
      store.updateStock(shop, p);
      return undefined;
    }),
    'open.item.sku.price.update': write('merchant_item', ({ shop, p }) => {
      store.updatePrice(shop, p);
      return undefined;
    }),
    'open.logistics.express.template.list': read('merchant_logistics', ({ shop, now }) => ({
      data: {
        total: 1,
        expressTemplateDetailVOS: [
          {
            id: long(shop.expressTemplateId),
            name: '默认运费模板',
            calType: 1,
            sendProvinceCode: 110000,
            sendProvinceName: '北京市',
            status: 1,
            config: JSON.stringify({ baseFee: 0, perAddFee: 0, includeFee: 0 }),
            createTime: now,
            updateTime: now,
          },
        ],
      },
    })),
    'open.order.cursor.list': read('merchant_order', ({ shop, p, now }) => {
      const view = p.int('orderViewStatus');
      if (!(view in ORDER_VIEW_STATUS)) throw ksError.invalid('orderViewStatus 只能为1-7');
      const pageSize = p.int('pageSize');
      if (pageSize < 1 || pageSize > deps.maxOrderPageSize)
        throw ksError.invalid(`pageSize 必须在1-${deps.maxOrderPageSize}之间`);
      const begin = p.int('beginTime');
      const end = p.int('endTime');
      checkRange(begin, end, now, ORDER_WINDOW_MS, {
        range: ksError.invalid('查询时间跨度不能超过7天'),
        lookBack: ksError.invalid('只能查询最近90天的订单'),
      });
      const byUpdate = (p.int('queryType', true) ?? 1) === 2;
      const status = ORDER_VIEW_STATUS[view];
      const time = (o: { createTime: number; updateTime: number }) => (byUpdate ? o.updateTime : o.createTime);
      const rows = store
        .readableOrdersOf(shop.openId)
        .filter((o) => time(o) >= begin && time(o) <= end && (status === undefined || o.status === status));
      const { page, next } = cursorPage(
        rows,
        time,
        (o) => o.oid,
        (p.int('sort', true) ?? 1) === 2,
        p.string('cursor', true) ?? '',
        pageSize,
      );
      return {
        data: {
          pageSize,
          beginTime: begin,
          endTime: end,
          cursor: next,
          orderList: page.map((o) => orderView(o, store)),
        },
      };
    }),
    'open.order.detail': read('merchant_order', ({ shop, p }) => ({
      data: orderView(store.shopOrder(shop, p.long('oid'), true), store),
    })),
    'open.seller.order.fee.detail': read('merchant_order', ({ shop, p }) => ({
      data: feeView(store.shopOrder(shop, p.long('orderId'))),
    })),
    'open.seller.order.goods.deliver': write('merchant_order', ({ shop, p }) => {
      store.deliver(shop, p.long('orderId'), p.string('expressNo'), p.int('expressCode'));
      return undefined;
    }),
    'open.order.goods.split.deliver': write('merchant_order', ({ shop, p }) => {
      const packages = (p.objects('deliveryItemInfoList') ?? []).map((pkg) => ({
        expressCode: pkg.int('expressCode'),
        expressNo: pkg.string('expressNo'),
        goods: (pkg.objects('deliveryGoodsInfoList') ?? []).map((g) => ({
          oid: g.long('oid'),
          deliveryNum: g.int('deliveryNum'),
        })),
      }));
      store.splitDeliver(shop, p.long('mainOrderId'), packages);
      return undefined;
    }),
    'open.seller.order.refund.pcursor.list': read('merchant_refund', ({ shop, p, now }) => {
      const begin = p.int('beginTime');
      const end = p.int('endTime');
      checkRange(begin, end, now, deps.refundWindowMs, {
        range: new KsApiError(
          KS_RESULT.REFUND_RANGE,
          `查询时间范围超过限制(${Math.round(deps.refundWindowMs / 3_600_000)}小时)`,
        ),
        lookBack: new KsApiError(KS_RESULT.REFUND_LOOKBACK, '只能查询最近90天的售后单'),
      });
      const type = p.int('type');
      if (type !== 8 && type !== 9) throw ksError.invalid('type 只能为8或9');
      const pageSize = p.int('pageSize');
      if (pageSize < 1 || pageSize > 100) throw ksError.invalid('pageSize 必须在1-100之间');
      const currentPage = p.int('currentPage');
      const byUpdate = (p.int('queryType', true) ?? 1) === 2;
      const orderId = p.long('orderId', true);
      const time = (r: { createTime: number; updateTime: number }) => (byUpdate ? r.updateTime : r.createTime);
      const rows = store
        .refundsOf(shop.openId)
        .filter(
          (r) =>
            time(r) >= begin &&
            time(r) <= end &&
            (type === 9 || ![60, 70].includes(r.status)) &&
            (!orderId || r.oid === orderId),
        );
      const { page, next } = cursorPage(
        rows,
        time,
        (r) => r.refundId,
        (p.int('sort', true) ?? 1) === 2,
        p.string('pcursor', true) ?? '',
        pageSize,
      );
      return {
        data: {
          currentPage,
          pageSize,
          totalPage: Math.ceil(rows.length / pageSize),
          totalSize: rows.length,
          beginTime: begin,
          endTime: end,
          pcursor: next,
          refundOrderInfoList: page.map((r) => refundView(r, store)),
        },
      };
    }),
    'open.refund.reject.reason': read('merchant_refund', ({ shop, p }) => {
      const refund = store.refunds.get(p.long('refundId'));
      if (!refund || refund.openId !== shop.openId) throw new KsApiError(KS_RESULT.REFUND_NOT_FOUND, '售后单不存在');
      return { data: { reasonList: store.rejectReasons(refund) } };
    }),
    'open.address.seller.list': read('merchant_refund', ({ shop }) => ({
      data: {
        addressList: store.sellerAddresses(shop.openId).map((a) => ({
          addressId: long(a.addressId),
          consignee: a.consignee,
          mobile: a.mobile,
          provinceName: a.province,
          cityName: a.city,
          districtName: a.district,
          address: a.address,
          defaultAddress: a.defaultAddress,
        })),
      },
    })),
    'open.seller.order.refund.detail': read('merchant_refund', ({ shop, p }) => {
      const refund = store.refunds.get(p.long('refundId'));
      if (!refund || refund.openId !== shop.openId) throw new KsApiError(KS_RESULT.REFUND_NOT_FOUND, '售后单不存在');
      return { data: refundView(refund, store, true) };
    }),
    'open.seller.order.refund.approve': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [10, 11], 'agree');
      if (refund.handlingWay === 1) throw new KsApiError(KS_RESULT.REFUND_STATUS_FORBIDS, '退货退款需先同意退货');
      const amount = p.int('refundAmount');
      if (amount !== refund.refundFee) throw ksError.invalid(`refundAmount 必须等于退款金额 ${refund.refundFee}`);
      store.settleRefund(refund.refundId, 'succeed');
      return undefined;
    }),
    'open.seller.order.refund.returngoods.approve': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [10, 11], 'agree a return');
      if (refund.handlingWay !== 1) throw new KsApiError(KS_RESULT.REFUND_STATUS_FORBIDS, '仅退款售后单无需退货');
      const addressId = p.long('returnAddressId', true);
      if (addressId !== undefined && !store.sellerAddresses(shop.openId).some((a) => a.addressId === addressId))
        throw ksError.invalid('退货地址不存在');
      store.approveReturn(refund);
      return undefined;
    }),
    'open.seller.order.refund.confirm.receipt': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [40], 'confirm receipt');
      store.settleRefund(refund.refundId, 'succeed');
      return undefined;
    }),
    'open.refund.reject': write('merchant_refund', ({ shop, p }) => {
      const refund = sellerRefund(shop, p, [10, 11, 40], 'reject');
      const reasonCode = p.int('reasonCode');
      if (!(reasonCode > 0)) throw ksError.invalid('reasonCode 不能为空');
      if (!store.rejectReasons(refund).some((r) => r.reasonCode === reasonCode))
        throw ksError.invalid(`reasonCode ${reasonCode} 不合法`);
      const desc = p.string('rejectDesc', true);
      if (desc !== undefined && desc.length > 500) throw ksError.invalid('rejectDesc 不能超过500字');
      if (p.int('refundVersion') !== refund.updateTime)
        throw new KsApiError(KS_RESULT.REFUND_UPDATED, '售后单已更新，请刷新后重试');
      store.settleRefund(refund.refundId, 'refuse');
      return undefined;
    }),
    'open.promotion.coupon.create': write('merchant_promotion', ({ shop, p }) => ({
      data: { couponId: long(store.createCoupon(shop, p).couponId) },
    })),
    'open.promotion.coupon.over': write('merchant_promotion', ({ shop, p }) => {
      store.endCoupon(shop, p.long('couponId'));
      return undefined;
    }),
    'open.promotion.coupon.stock.add': write('merchant_promotion', ({ shop, p }) => {
      store.addCouponStock(shop, p.long('couponId'), p.int('incrementNum'));
      return undefined;
    }),
    'open.promotion.coupon.query': read('merchant_promotion', ({ shop, p }) => {
      const ids = p.longs('couponId') ?? [];
      return {
        data: ids
          .map((id) => store.coupons.get(id))
          .filter((c) => c && c.openId === shop.openId)
          .map((c) => couponView(c as NonNullable<typeof c>, store)),
      };
    }),
    'open.promotion.coupon.page.list': read('merchant_promotion', ({ shop, p, now }) => {
      // couponTargetType is optional here (absent = all types): unconfirmed for the live API.
      const target = p.int('couponTargetType', true);
      const status = p.int('sellerCouponStatus', true) ?? 0;
      const pageNo = Math.max(1, p.int('pageNo', true) ?? 1);
      const pageSize = p.int('pageSize', true) ?? 20;
      if (pageSize < 1 || pageSize > 100) throw ksError.invalid('pageSize 必须在1-100之间');
      const coupons = store
        .couponsOf(shop)
        .filter((c) => target === undefined || c.couponTargetType === target)
        .filter((c) => {
          const s = store.couponStatus(c);
          if (s === 3) return false;
          if (status === 1) return s === 1 && now < c.receiveStartTime;
          if (status === 2) return s === 1 && now >= c.receiveStartTime;
          if (status === 3) return s !== 1;
          return true;
        })
        .sort((a, b) => b.createTime - a.createTime || (a.couponId < b.couponId ? 1 : -1));
      return {
        data: {
          totalCount: coupons.length,
          marketingOpenCoupon: coupons
            .slice((pageNo - 1) * pageSize, pageNo * pageSize)
            .map((c) => couponView(c, store)),
        },
      };
    }),
    'open.promotion.coupon.statistic': read('merchant_promotion', ({ shop, p }) => {
      const coupon = store.coupons.get(p.long('couponId'));
      if (!coupon || coupon.openId !== shop.openId) throw ksError.business('优惠券不存在');
      // Response field names are unconfirmed (no source lists them).
      return {
        data: {
          couponId: long(coupon.couponId),
          receivedCount: coupon.received,
          usedCount: coupon.used,
          usedAmount: coupon.usedAmount,
        },
      };
    }),
    'open.user.seller.get': read('merchant_user', ({ shop }) => ({
      data: { sellerId: long(shop.sellerId), openId: shop.openId, name: shop.name, head: '', bigHead: '' },
    })),
    'open.shop.info.get': read('merchant_user', ({ shop }) => ({ data: shopInfoView(shop) })),
  };
}
