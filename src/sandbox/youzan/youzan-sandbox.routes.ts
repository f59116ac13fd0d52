import { Router } from 'express';
import { z } from 'zod';
import { SandboxError } from '../shared/control.errors';
import {
  controlErrorHandler,
  faultRuleSchema,
  pushFaultsSchema,
  sharedControlRouter,
  SharedControlDeps,
} from '../shared/control.routes';
import { FaultRule } from '../shared/fault-injector';
import { FAULT_ERRORS } from './youzan-emulator.errors';
import {
  Coupon,
  Item,
  Order,
  Refund,
  REFUND_STATUSES,
  RefundStatus,
  Sku,
  YouzanEmulatorStore,
} from './youzan-emulator.store';

/** A fault rule as the control API takes it: `times` limits how many calls it hits before it retires. */
export type ControlFaultRule = FaultRule & { times?: number };

export interface SandboxRouteDeps extends SharedControlDeps {
  store: YouzanEmulatorStore;
  setFaultRules(rules: ControlFaultRule[]): void;
  sendTestPush(kdtId: number | undefined, type: string): string;
}

const int = z.coerce.number().int();
const text = z.coerce.string().min(1);
const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]);
const shopBody = z.object({
  name: text.optional(),
  authorize: z.boolean().optional(),
  issueTokens: z.boolean().optional(),
});
const imageBody = z.object({ kdtId: int });
const itemBody = z.object({
  kdtId: int,
  title: text,
  desc: z.coerce.string().optional(),
  cid: int.optional(),
  itemNo: z.coerce.string().optional(),
  priceFen: int.optional(),
  stock: int.optional(),
  listed: z.boolean().optional(),
  skus: z
    .array(
      z.object({
        itemNo: z.coerce.string().default(''),
        priceFen: int,
        stock: int.default(0),
        specs: z.array(z.object({ k: z.string().min(1), v: z.string().min(1) })).optional(),
      }),
    )
    .default([]),
});
const skuPatch = z.object({ stock: int.min(0).optional(), priceFen: int.min(1).optional() });
const orderBody = z.object({
  kdtId: int,
  lines: z
    .array(
      z.object({
        itemId: id.transform(String).optional(),
        skuId: id.transform(Number).optional(),
        quantity: int.default(1),
      }),
    )
    .default([]),
  pay: z.boolean().optional(),
  couponId: int.optional(),
  postFeeFen: int.optional(),
  buyerMessage: z.coerce.string().optional(),
});
const cancelBody = z.object({ closeType: int.default(4), reason: text.default('买家取消') });
const shipBody = z.object({
  expressId: int.default(7),
  expressNo: z.coerce.string().optional(),
  oids: z.array(z.coerce.string()).optional(),
});
const refundStatus = z.enum(REFUND_STATUSES as [RefundStatus, ...RefundStatus[]]);
const refundBody = z.object({
  tid: text,
  oids: z.array(z.coerce.string()).optional(),
  amountFen: int.optional(),
  status: refundStatus.optional(),
  returnGoods: z.boolean().optional(),
  restock: z.boolean().optional(),
  itemNum: int.optional(),
});
const refundStatusBody = z.object({ status: z.string().min(1) });
const couponStockBody = z.object({ add: z.number().int().min(1) });
const couponBody = z.object({
  kdtId: int,
  title: text.default('沙箱优惠券'),
  valueFen: int,
  atLeastFen: int.default(0),
  total: int.default(1000),
  quota: int.default(0),
  startAt: int.optional(),
  endAt: int.optional(),
  description: z.coerce.string().default(''),
});
const faultRule = faultRuleSchema.extend({
  error: z
    .string()
    .refine((kind) => FAULT_ERRORS[kind] !== undefined, {
      message: `unknown error kind; known: ${Object.keys(FAULT_ERRORS).join(', ')}`,
    })
    .optional(),
  times: int.min(0).optional(),
});
const faultsBody = z.object({
  rules: z.array(faultRule).optional(),
  push: pushFaultsSchema.optional(),
  seed: int.optional(),
  orderReadLagMs: int.min(0).optional(),
  refuseNegativeIncrement: z.boolean().optional(),
});
const testPushBody = z.object({ kdtId: int.optional(), type: text.default('trade_TradeCreate') });

export function skuJson(store: YouzanEmulatorStore, item: Item, sku: Sku | undefined) {
  return {
    itemId: item.itemId,
    skuId: sku ? String(sku.skuId) : '0',
    itemNo: sku ? sku.itemNo : item.itemNo,
    stock: sku ? sku.stock : item.stock,
    priceFen: sku ? sku.priceFen : item.priceFen,
  };
}

function itemJson(store: YouzanEmulatorStore, item: Item) {
  return {
    itemId: item.itemId,
    kdtId: item.kdtId,
    title: item.title,
    itemNo: item.itemNo,
    listed: item.listed,
    stock: store.quantity(item),
    priceFen: item.priceFen,
    skus: item.skus.length ? item.skus.map((s) => skuJson(store, item, s)) : [skuJson(store, item, undefined)],
  };
}

function orderJson(store: YouzanEmulatorStore, order: Order) {
  const goods = order.lines.reduce((sum, l) => sum + l.priceFen * l.num, 0);
  const discount = order.coupon?.discountFen ?? 0;
  return {
    tid: order.tid,
    kdtId: order.kdtId,
    status: order.status,
    goodsFen: goods,
    discountFen: discount,
    postFeeFen: order.postFeeFen,
    paymentFen: goods - discount + order.postFeeFen,
    couponId: order.coupon ? String(order.coupon.groupId) : undefined,
    refundState: store.orderRefundState(order),
    created: order.created,
    payTime: order.payTime ?? null,
    consignTime: order.consignTime ?? null,
    lines: order.lines.map((l) => ({
      oid: l.oid,
      itemId: l.itemId,
      skuId: String(l.skuId),
      outerSkuId: l.outerSkuId,
      quantity: l.num,
      priceFen: l.priceFen,
      shipped: l.shipped,
    })),
    deliveries: order.deliveries.map((d) => ({ expressId: d.expressId, expressNo: d.expressNo, oids: d.oids })),
  };
}

function refundJson(refund: Refund) {
  const { refundId, tid, kdtId, oids, status, refundFeeFen, returnGoods, restock, itemNum, created, modified } = refund;
  return { refundId, tid, kdtId, oids, status, refundFeeFen, returnGoods, restock, itemNum, created, modified };
}

function lookupSku(store: YouzanEmulatorStore, itemId: string, skuId: string): { item: Item; sku: Sku | undefined } {
  const item = store.items.get(itemId);
  if (!item) throw new SandboxError(404, 'item_not_found', `no item ${itemId}`);
  if (skuId === '0' && !item.skus.length) return { item, sku: undefined };
  const sku = item.skus.find((s) => String(s.skuId) === skuId);
  if (!sku) throw new SandboxError(404, 'sku_not_found', `no SKU ${skuId} on item ${itemId}`);
  return { item, sku };
}

/** `/__sandbox/*`: the control API tests, the demo and benchmarks drive the emulator with (see README.md). */
export function youzanSandboxRouter(deps: SandboxRouteDeps): Router {
  const { store } = deps;
  const router = sharedControlRouter({ ...deps, onResetFaults: () => deps.setFaultRules([]) });

  router.post('/shops', (req, res) => {
    const b = shopBody.parse(req.body ?? {});
    const shop = store.createShop(b.name, b.authorize !== false);
    const tokens = b.issueTokens === true ? store.issueTokens(shop.kdtId, true) : undefined;
    res.status(201).json({ kdtId: shop.kdtId, name: shop.name, authorized: shop.authorized, tokens });
  });
  router.get('/shops', (_req, res) => res.json([...store.shops.values()]));
  router.post('/shops/:kdtId/revoke', (req, res) => {
    store.revokeShop(Number(req.params.kdtId));
    deps.counters.fault('shop_revoked');
    res.json({ kdtId: Number(req.params.kdtId), revoked: true });
  });
  router.post('/shops/:kdtId/authorize', (req, res) => {
    store.authorizeShop(Number(req.params.kdtId));
    res.json({ kdtId: Number(req.params.kdtId), authorized: true });
  });

  router.get('/shops/:kdtId/items', (req, res) => {
    const kdtId = Number(req.params.kdtId);
    store.shop(kdtId);
    res.json(store.itemsOf(kdtId).map((item) => itemJson(store, item)));
  });
  router.post('/images', (req, res) => {
    const { kdtId } = imageBody.parse(req.body ?? {});
    store.shop(kdtId);
    const image = store.uploadImage(kdtId);
    res.status(201).json({ imageId: String(image.image_id), url: image.image_url });
  });

  router.post('/items', (req, res) => {
    const b = itemBody.parse(req.body ?? {});
    store.shop(b.kdtId);
    const item = store.createItem({
      ...b,
      listed: b.listed !== false,
      imageIds: [store.uploadImage(b.kdtId).image_id],
    });
    res.status(201).json(itemJson(store, item));
  });
  router.get('/items/:itemId', (req, res) => {
    const item = store.items.get(String(req.params.itemId));
    if (!item) throw new SandboxError(404, 'item_not_found', `no item ${req.params.itemId}`);
    res.json(itemJson(store, item));
  });
  router.get('/items/:itemId/skus/:skuId', (req, res) => {
    const { item, sku } = lookupSku(store, String(req.params.itemId), String(req.params.skuId));
    res.json(skuJson(store, item, sku));
  });
  // A merchant editing in the Youzan back office: absolute values, no API rules.
  router.put('/items/:itemId/skus/:skuId', (req, res) => {
    const { item, sku } = lookupSku(store, String(req.params.itemId), String(req.params.skuId));
    const b = skuPatch.parse(req.body ?? {});
    if (b.stock !== undefined) store.setStock(item, sku, b.stock);
    if (b.priceFen !== undefined) store.setPrice(item, sku, b.priceFen, 'control');
    res.json(skuJson(store, item, sku));
  });

  // Every price applied (API writes and back-office edits), in order, with a process-wide sequence.
  router.get('/price-history', (req, res) => {
    const q = (name: string) => (req.query[name] ? String(req.query[name]) : undefined);
    res.json(store.prices.list({ itemId: q('itemId'), skuId: q('skuId') }));
  });

  router.post('/orders', (req, res) => {
    const b = orderBody.parse(req.body ?? {});
    const lines = b.lines.map((l) => ({ ...l, skuId: l.skuId === 0 ? undefined : l.skuId }));
    const order = store.placeOrder({ ...b, lines, pay: b.pay === true });
    res.status(201).json(orderJson(store, order));
  });
  router.get('/orders/:tid', (req, res) => res.json(orderJson(store, store.controlOrder(String(req.params.tid)))));
  router.post('/orders/:tid/pay', (req, res) => res.json(orderJson(store, store.payOrder(String(req.params.tid)))));
  router.post('/orders/:tid/cancel', (req, res) => {
    const b = cancelBody.parse(req.body ?? {});
    res.json(orderJson(store, store.closeOrder(String(req.params.tid), b.closeType, b.reason)));
  });
  router.post('/orders/:tid/ship', (req, res) => {
    const b = shipBody.parse(req.body ?? {});
    const order = store.controlOrder(String(req.params.tid));
    try {
      store.ship(order, b.expressId, b.expressNo || `SF${Date.now()}`, b.oids);
    } catch (error) {
      throw new SandboxError(409, 'not_shippable', (error as Error).message);
    }
    res.json(orderJson(store, order));
  });
  router.post('/orders/:tid/complete', (req, res) =>
    res.json(orderJson(store, store.confirmOrder(String(req.params.tid)))),
  );

  router.post('/refunds', (req, res) => {
    const b = refundBody.parse(req.body ?? {});
    const order = store.controlOrder(b.tid);
    const oids = b.oids?.length ? b.oids : order.lines.map((l) => l.oid);
    if ((b.amountFen !== undefined || b.itemNum !== undefined) && oids.length !== 1)
      throw new SandboxError(
        400,
        'invalid',
        'amountFen and itemNum need exactly one line (refunds are per order line)',
      );
    // Youzan after-sales cases are per order line: one refund per oid.
    const refunds = oids.map((oid) => store.createRefund({ ...b, oids: [oid], returnGoods: b.returnGoods === true }));
    res.status(201).json({ refundIds: refunds.map((r) => r.refundId), order: orderJson(store, order) });
  });
  router.get('/refunds/:refundId', (req, res) => {
    const refund = store.refunds.get(String(req.params.refundId));
    if (!refund) throw new SandboxError(404, 'refund_not_found', `no refund ${req.params.refundId}`);
    res.json(refundJson(refund));
  });
  router.post('/refunds/:refundId/status', (req, res) => {
    const status = refundStatusBody.parse(req.body ?? {}).status as RefundStatus;
    const refund = store.setRefundStatus(String(req.params.refundId), status);
    res.json({
      refundId: refund.refundId,
      status: refund.status,
      order: orderJson(store, store.controlOrder(refund.tid)),
    });
  });

  // Coupon activities as the platform counts them (a claim is taken when a buyer orders with one).
  router.get('/coupons', (req, res) => {
    const kdtId = req.query.kdtId ? Number(req.query.kdtId) : undefined;
    res.json([...store.coupons.values()].filter((c) => kdtId === undefined || c.kdtId === kdtId).map(couponJson));
  });
  // The merchant adds stock in the back office (outside the open API).
  router.post('/coupons/:couponId/stock', (req, res) => {
    const coupon = store.coupons.get(Number(req.params.couponId));
    if (!coupon) throw new SandboxError(404, 'coupon_not_found', `no coupon ${String(req.params.couponId)}`);
    const { add } = couponStockBody.parse(req.body ?? {});
    coupon.total += add;
    coupon.stock += add;
    res.json(couponJson(coupon));
  });
  router.post('/coupons', (req, res) => {
    const b = couponBody.parse(req.body ?? {});
    store.shop(b.kdtId);
    const now = deps.clock.now();
    const startAt = b.startAt ?? now - 60_000;
    const endAt = b.endAt ?? now + 30 * 24 * 3600 * 1000;
    const coupon = store.addCoupon({ ...b, rangeType: 'ALL', itemIds: [], startAt, endAt });
    res.status(201).json({ couponId: String(coupon.groupId) });
  });

  router.put('/faults', (req, res) => {
    const b = faultsBody.parse(req.body ?? {});
    // A body without rules or platform switches clears the rules (as before the shared shape).
    if (b.rules || (b.orderReadLagMs === undefined && b.refuseNegativeIncrement === undefined))
      deps.setFaultRules(b.rules ?? []);
    if (b.push) deps.faults.setPushFaults(b.push);
    if (b.seed !== undefined) deps.faults.random.reseed(b.seed);
    if (b.orderReadLagMs !== undefined) store.options.orderReadLagMs = b.orderReadLagMs;
    if (b.refuseNegativeIncrement !== undefined) store.options.refuseNegativeIncrement = b.refuseNegativeIncrement;
    const { orderReadLagMs, refuseNegativeIncrement } = store.options;
    res.json({ ...deps.faults.describe(), orderReadLagMs, refuseNegativeIncrement });
  });
  router.post('/push/test', (req, res) => {
    const b = testPushBody.parse(req.body ?? {});
    res.status(202).json({ msgId: deps.sendTestPush(b.kdtId, b.type) });
  });

  router.use(controlErrorHandler());
  return router;
}

function couponJson(c: Coupon) {
  return {
    couponId: String(c.groupId),
    kdtId: c.kdtId,
    title: c.title,
    valueFen: c.valueFen,
    preferentialType: c.preferentialType,
    discount: c.discount,
    suspended: c.suspended,
    atLeastFen: c.atLeastFen,
    total: c.total,
    stock: c.stock,
    quota: c.quota,
    totalTake: c.totalTake,
    totalUsed: c.totalUsed,
    startAt: c.startAt,
    endAt: c.endAt,
  };
}
