import { Request, Router } from 'express';
import { z } from 'zod';
import { SandboxError } from '../shared/control.errors';
import {
  controlErrorHandler,
  faultRuleSchema,
  pushFaultsSchema,
  sharedControlRouter,
  SharedControlDeps,
} from '../shared/control.routes';
import { KsApiError } from './kuaishou-emulator.errors';
import { ParamReader } from './kuaishou-emulator.json';
import {
  KsCouponRecord,
  KsItemRecord,
  KsOrderRecord,
  KsRefundRecord,
  KsShop,
  KuaishouEmulatorStore,
} from './kuaishou-emulator.store';
import { KuaishouOAuthStore } from './kuaishou-oauth.store';
import { KuaishouPushSender } from './kuaishou-push.sender';

export interface SandboxRouteDeps extends SharedControlDeps {
  store: KuaishouEmulatorStore;
  oauth: KuaishouOAuthStore;
  push: KuaishouPushSender;
  appScopes: string[];
}

const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const shopBody = z.object({
  name: z.string().min(1).optional(),
  authorize: z.boolean().optional(),
  scopes: z.array(z.string()).optional(),
});
const itemBody = z.object({
  openId: z.string().min(1),
  title: z.string().min(1).optional(),
  categoryId: z.number().int().positive().optional(),
  promiseSeconds: z.number().int().positive().optional(),
  onShelf: z.boolean().optional(),
  relItemId: id.optional(),
  skus: z
    .array(
      z.object({
        stock: z.number().int().min(0),
        price: z.number().int().min(1),
        reserveStock: z.number().int().min(0).optional(),
        skuNick: z.string().max(30).optional(),
        relSkuId: id.optional(),
        specs: z.array(z.object({ name: z.string().min(1), value: z.string().min(1) })).optional(),
      }),
    )
    .min(1),
});
const shopCatalogBody = z.object({
  closedCategoryIds: z.array(z.number().int().positive()).optional(),
  suggestDailyCap: z.number().int().min(0).optional(),
});
const shopCatalogJson = (shop: KsShop) => ({
  closedCategoryIds: [...shop.closedCategoryIds].sort((a, b) => a - b),
  suggestDailyCap: shop.suggestDailyCap,
  suggestedToday: shop.suggestedToday.count,
});
const itemPatch = z.object({ onShelf: z.boolean().optional(), onlineEdited: z.boolean().optional() });
const auditBody = z.object({ approve: z.boolean(), reason: z.string().optional() });
const skuPatch = z.object({
  stock: z.number().int().min(0).max(9_999_999).optional(),
  price: z.number().int().min(1).optional(),
  reserveStock: z.number().int().min(0).optional(),
  /** Same as reserveStock: units held for a platform activity; decreases below it are refused (result 21). */
  reservedForActivity: z.number().int().min(0).optional(),
});
const orderBody = z.object({
  itemId: id,
  skuId: id,
  quantity: z.number().int().min(1).default(1),
  pay: z.boolean().optional(),
  couponId: id.optional(),
  openId: z.string().optional(),
  buyerOpenId: z.string().optional(),
  expressFee: z.number().int().min(0).optional(),
  platformDiscountFen: z.number().int().min(0).optional(),
  holds: z.array(z.number().int()).optional(),
  riskCode: z.number().int().optional(),
  noPromise: z.boolean().optional(),
  buyerNote: z.string().optional(),
});
const couponStockBody = z.object({ add: z.number().int().min(1) });
const backOfficeCouponBody = z.object({
  openId: z.string().min(1),
  name: z.string().min(1).max(50),
  reduceAmount: z.number().int().min(1),
  threshold: z.number().int().min(0).default(0),
  totalStock: z.number().int().min(1).default(100),
  days: z.number().int().min(1).max(90).default(7),
  itemIds: z.array(z.string().regex(/^\d+$/)).optional(),
});
const CHINA_OFFSET_MS = 8 * 3_600_000;
const chinaDayStart = (ms: number) => ms - ((ms + CHINA_OFFSET_MS) % 86_400_000);
const flagsBody = z.object({
  holds: z.array(z.number().int()).optional(),
  riskCode: z.number().int().optional(),
  noPromise: z.boolean().optional(),
});
const shipBody = z.object({ expressCode: z.number().int().optional(), expressNo: z.string().optional() });
const refundStatusBody = z.object({ status: z.enum(['succeed', 'close', 'refuse']) });
const refundBody = z.object({
  oid: id,
  handlingWay: z.number().int().optional(),
  amountFen: z.number().int().optional(),
  reason: z.string().optional(),
  reasonCode: z.number().int().optional(),
  restock: z.boolean().optional(),
  productNum: z.number().int().optional(),
  specialRefundType: z.number().int().optional(),
});
const faultsBody = z.object({
  rules: z.array(faultRuleSchema).optional(),
  push: pushFaultsSchema.optional(),
  seed: z.number().int().optional(),
  orderReadLagMs: z.number().int().min(0).optional(),
});
const heartbeatBody = z.object({ encrypted: z.boolean().optional() });

export function shopJson(shop: KsShop) {
  return { openId: shop.openId, sellerId: shop.sellerId, name: shop.name, expressTemplateId: shop.expressTemplateId };
}

export function itemJson(item: KsItemRecord) {
  return {
    itemId: item.kwaiItemId,
    openId: item.openId,
    relItemId: item.relItemId,
    title: item.title,
    categoryId: item.categoryId,
    onShelf: item.shelf === 1,
    auditStatus: item.auditStatus,
    duplicationStatus: item.duplicationStatus ?? null,
    onlineEdited: item.onlineEdited,
    updateTime: item.updateTime,
    skus: item.skus.map((s) => ({
      skuId: s.kwaiSkuId,
      relSkuId: s.relSkuId,
      skuNick: s.skuNick,
      stock: s.stock,
      price: s.price,
      reserveStock: s.reserveStock,
      marketPrice: s.marketPrice ?? null,
    })),
  };
}

export function orderJson(order: KsOrderRecord) {
  return {
    oid: order.oid,
    openId: order.openId,
    status: order.status,
    itemId: order.kwaiItemId,
    skuId: order.kwaiSkuId,
    quantity: order.num,
    priceFen: order.price,
    merchantDiscountFen: order.merchantDiscount,
    platformDiscountFen: order.platformDiscount,
    couponId: order.couponId ?? null,
    expressFee: order.expressFee,
    createTime: order.createTime,
    updateTime: order.updateTime,
    payTime: order.payTime,
    validPromiseShipmentTimeStamp: order.validPromise,
    holds: order.holds,
    logistics: order.logistics,
    deliveryNum: order.deliveryNum,
    refundIds: order.refundIds,
  };
}

export function couponJson(coupon: KsCouponRecord) {
  return {
    couponId: coupon.couponId,
    openId: coupon.openId,
    name: coupon.name,
    reduceAmount: coupon.reduceAmount,
    threshold: coupon.threshold,
    totalStock: coupon.totalStock,
    receivePerLimit: coupon.receivePerLimit,
    ended: coupon.ended,
    received: coupon.received,
    used: coupon.used,
    usedAmount: coupon.usedAmount,
    receiveStartTime: coupon.receiveStartTime,
    receiveEndTime: coupon.receiveEndTime,
  };
}

export function refundJson(refund: KsRefundRecord) {
  return {
    refundId: refund.refundId,
    oid: refund.oid,
    status: refund.status,
    handlingWay: refund.handlingWay,
    refundFee: refund.refundFee,
    productNum: refund.productNum,
    specialRefundType: refund.specialRefundType,
    createTime: refund.createTime,
    updateTime: refund.updateTime,
  };
}

/** `/__sandbox/*`: the control API tests, the demo and benchmarks drive the emulator with. */
export function kuaishouSandboxRouter(deps: SandboxRouteDeps): Router {
  const router = sharedControlRouter(deps);
  const { store, oauth } = deps;
  const itemOf = (itemId: string) => {
    const item = store.items.get(itemId);
    if (!item) throw new SandboxError(404, 'item_not_found', `no item ${itemId}`);
    return item;
  };
  const skuOf = (req: Request) => {
    const item = itemOf(String(req.params.itemId));
    const sku = item.skus.find((s) => s.kwaiSkuId === String(req.params.skuId));
    if (!sku) throw new SandboxError(404, 'sku_not_found', `no SKU ${String(req.params.skuId)}`);
    return { item, sku };
  };

  router.get('/shops', (_req, res) => res.json([...store.shops.values()].map(shopJson)));
  router.post('/shops', (req, res) => {
    const body = shopBody.parse(req.body ?? {});
    const shop = store.createShop(body.name);
    const tokens = body.authorize ? oauth.grant(shop.openId, body.scopes ?? deps.appScopes) : undefined;
    res.status(201).json({ ...shopJson(shop), tokens });
  });
  router.post('/shops/:openId/authorize', (req, res) => {
    const shop = store.shop(String(req.params.openId));
    const body = shopBody.parse(req.body ?? {});
    res.json(oauth.grant(shop.openId, body.scopes ?? deps.appScopes));
  });
  // Which leaves the merchant may list in, and the daily cap of open.item.category.suggested.get.
  router.put('/shops/:openId/catalog', (req, res) => {
    const shop = store.shop(String(req.params.openId));
    const body = shopCatalogBody.parse(req.body ?? {});
    if (body.closedCategoryIds) shop.closedCategoryIds = new Set(body.closedCategoryIds);
    if (body.suggestDailyCap !== undefined) shop.suggestDailyCap = body.suggestDailyCap;
    res.json(shopCatalogJson(shop));
  });
  router.get('/shops/:openId/catalog', (req, res) => res.json(shopCatalogJson(store.shop(String(req.params.openId)))));
  router.post('/shops/:openId/revoke', (req, res) => {
    const shop = store.shop(String(req.params.openId));
    const revoked = oauth.revoke(shop.openId);
    if (revoked > 0) deps.counters.fault('shop_revoked');
    res.json({ revoked });
  });

  router.get('/shops/:openId/items', (req, res) => {
    const shop = store.shop(String(req.params.openId));
    res.json(store.itemsOf(shop).map(itemJson));
  });
  router.post('/items', (req, res) => {
    const body = itemBody.parse(req.body);
    res.status(201).json(itemJson(store.seedItem(store.shop(body.openId), body)));
  });
  router.get('/items/:itemId', (req, res) => res.json(itemJson(itemOf(String(req.params.itemId)))));
  router.put('/items/:itemId', (req, res) => {
    const item = itemOf(String(req.params.itemId));
    const body = itemPatch.parse(req.body ?? {});
    if (body.onShelf !== undefined) item.shelf = body.onShelf ? 1 : 0;
    if (body.onlineEdited !== undefined) item.onlineEdited = body.onlineEdited;
    item.updateTime = deps.clock.now();
    res.json(itemJson(item));
  });
  router.post('/items/:itemId/audit', (req, res) => {
    const body = auditBody.parse(req.body ?? {});
    res.json(itemJson(store.audit(String(req.params.itemId), body.approve, body.reason)));
  });
  router.get('/items/:itemId/skus/:skuId', (req, res) => {
    const { sku } = skuOf(req);
    res.json({
      skuId: sku.kwaiSkuId,
      stock: sku.stock,
      price: sku.price,
      reserveStock: sku.reserveStock,
      marketPrice: sku.marketPrice ?? null,
      skuNick: sku.skuNick,
    });
  });
  // A merchant editing in the Kuaishou back office: absolute values, no API rules.
  router.put('/items/:itemId/skus/:skuId', (req, res) => {
    const { item, sku } = skuOf(req);
    const body = skuPatch.parse(req.body ?? {});
    if (body.stock !== undefined) {
      const before = sku.stock;
      sku.stock = body.stock;
      store.stockChanged(item.kwaiItemId, sku, body.stock - before, 'control');
    }
    if (body.price !== undefined) {
      sku.price = body.price;
      store.prices.record({ itemId: item.kwaiItemId, skuId: sku.kwaiSkuId, priceFen: body.price, source: 'control' });
    }
    if (body.reserveStock !== undefined) sku.reserveStock = body.reserveStock;
    if (body.reservedForActivity !== undefined) sku.reserveStock = body.reservedForActivity;
    sku.updateTime = deps.clock.now();
    item.updateTime = sku.updateTime;
    res.json({
      skuId: sku.kwaiSkuId,
      stock: sku.stock,
      price: sku.price,
      reserveStock: sku.reserveStock,
      marketPrice: sku.marketPrice ?? null,
      skuNick: sku.skuNick,
    });
  });

  // The shop's coupons as the platform counts them (claims are taken when a buyer orders with one).
  router.get('/coupons', (req, res) => {
    const openId = req.query.openId ? String(req.query.openId) : undefined;
    res.json([...store.coupons.values()].filter((c) => !openId || c.openId === openId).map((c) => couponJson(c)));
  });
  // The merchant makes a shop coupon in the back office (outside the open API): claimable from today
  // (00:00:00) for `days` days, with the same rules as open.promotion.coupon.create.
  router.post('/coupons', (req, res) => {
    const b = backOfficeCouponBody.parse(req.body ?? {});
    const shop = store.shop(b.openId);
    const start = chinaDayStart(deps.clock.now());
    const end = start + b.days * 86_400_000 - 1_000;
    const raw = {
      outerUniqueKey: `backoffice-${deps.clock.now()}-${store.coupons.size + 1}`,
      name: b.name,
      couponTargetType: b.itemIds?.length ? 0 : 1,
      ...(b.itemIds?.length ? { itemIds: b.itemIds } : {}),
      reduceAmount: b.reduceAmount,
      threshold: b.threshold,
      totalStock: b.totalStock,
      receivePerLimit: 1,
      receiveStartTime: start,
      receiveEndTime: end,
      validityType: 1,
      validStartTime: start,
      validEndTime: end,
    };
    const coupon = store.createCoupon(shop, new ParamReader(raw, 'param'));
    res.status(201).json(couponJson(coupon));
  });
  // The merchant adds stock in the back office (outside the open API).
  router.post('/coupons/:couponId/stock', (req, res) => {
    const coupon = store.coupons.get(String(req.params.couponId));
    if (!coupon) throw new SandboxError(404, 'coupon_not_found', `no coupon ${String(req.params.couponId)}`);
    coupon.totalStock += couponStockBody.parse(req.body ?? {}).add;
    coupon.updateTime = deps.clock.now();
    res.json(couponJson(coupon));
  });
  router.post('/orders', (req, res) => {
    const order = store.placeOrder(orderBody.parse(req.body));
    res.status(201).json(orderJson(order));
  });
  // Every price applied (API writes and back-office edits), in order, with a process-wide sequence.
  router.get('/price-history', (req, res) => {
    const q = (name: string) => (req.query[name] ? String(req.query[name]) : undefined);
    res.json(store.prices.list({ itemId: q('itemId'), skuId: q('skuId') }));
  });
  router.get('/orders/:oid', (req, res) => res.json(orderJson(store.order(String(req.params.oid)))));
  router.put('/orders/:oid/flags', (req, res) =>
    res.json(orderJson(store.setOrderFlags(String(req.params.oid), flagsBody.parse(req.body ?? {})))),
  );
  router.post('/orders/:oid/:action', (req, res) => {
    const oid = String(req.params.oid);
    const action = String(req.params.action);
    let order: KsOrderRecord;
    if (action === 'pay') order = store.pay(oid);
    else if (action === 'cancel') order = store.cancel(oid);
    else if (action === 'receive') order = store.receive(oid);
    else if (action === 'complete') order = store.complete(oid);
    else if (action === 'ship') {
      const body = shipBody.parse(req.body ?? {});
      const current = store.order(oid);
      order = store.deliver(
        store.shop(current.openId),
        oid,
        body.expressNo ?? `SF${oid.slice(-10)}`,
        body.expressCode ?? 4,
      );
    } else throw new SandboxError(404, 'unknown_action', `unknown order action ${action}`);
    res.json(orderJson(order));
  });

  router.post('/refunds', (req, res) =>
    res.status(201).json(refundJson(store.createRefund(refundBody.parse(req.body)))),
  );
  router.get('/refunds/:refundId', (req, res) => res.json(refundJson(store.refund(String(req.params.refundId)))));
  router.post('/refunds/:refundId/return', (req, res) =>
    res.json(refundJson(store.buyerReturned(String(req.params.refundId)))),
  );
  router.post('/refunds/:refundId/status', (req, res) => {
    const { status } = refundStatusBody.parse(req.body ?? {});
    res.json(refundJson(store.settleRefund(String(req.params.refundId), status)));
  });

  router.put('/faults', (req, res) => {
    const body = faultsBody.parse(req.body ?? {});
    if (body.seed !== undefined) deps.faults.random.reseed(body.seed);
    if (body.rules) deps.faults.setRules(body.rules);
    if (body.push) deps.faults.setPushFaults(body.push);
    if (body.orderReadLagMs !== undefined) store.setOrderReadLag(body.orderReadLagMs);
    res.json({ ...deps.faults.describe(), orderReadLagMs: store.orderReadLagMs });
  });

  router.post('/push/test', (req, res) => {
    deps.push.heartbeat(heartbeatBody.parse(req.body ?? {}).encrypted ?? true);
    res.status(202).json({ queued: true });
  });

  router.use(
    controlErrorHandler((error, res) => {
      if (!(error instanceof KsApiError)) return false;
      res.status(409).json({ error: 'rejected', result: error.result, message: error.message });
      return true;
    }),
  );
  return router;
}
