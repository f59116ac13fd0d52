import { Request, Router } from 'express';
import { SandboxError } from '../shared/control.errors';
import { controlErrorHandler, objectBody, sharedControlRouter, SharedControlDeps } from '../shared/control.routes';
import { FaultRule, PushFaults } from '../shared/fault-injector';
import { FAULT_ERRORS } from './youzan-emulator.errors';
import { Item, Order, REFUND_STATUSES, RefundStatus, Sku, YouzanEmulatorStore } from './youzan-emulator.store';

/** A fault rule as the control API takes it: `times` limits how many calls it hits before it retires. */
export type ControlFaultRule = FaultRule & { times?: number };

export interface SandboxRouteDeps extends SharedControlDeps {
  store: YouzanEmulatorStore;
  setFaultRules(rules: ControlFaultRule[]): void;
  sendTestPush(kdtId: number | undefined, type: string): string;
}

type Body = Record<string, unknown>;

const body = (req: Request): Body => objectBody(req);

function int(value: unknown, name: string, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new SandboxError(400, 'missing_field', `${name} is required`);
  }
  const n = Number(value);
  if (!Number.isInteger(n)) throw new SandboxError(400, 'bad_field', `${name} must be an integer`);
  return n;
}

function text(value: unknown, name: string, fallback?: string): string {
  if (value === undefined || value === null || value === '') {
    if (fallback !== undefined) return fallback;
    throw new SandboxError(400, 'missing_field', `${name} is required`);
  }
  return String(value);
}

export function skuSnapshot(store: YouzanEmulatorStore, item: Item, sku: Sku | undefined) {
  return { itemId: item.itemId, skuId: sku ? String(sku.skuId) : '0', itemNo: sku ? sku.itemNo : item.itemNo, stock: sku ? sku.stock : item.stock, priceFen: sku ? sku.priceFen : item.priceFen };
}

function itemSnapshot(store: YouzanEmulatorStore, item: Item) {
  return {
    itemId: item.itemId,
    kdtId: item.kdtId,
    title: item.title,
    itemNo: item.itemNo,
    listed: item.listed,
    stock: store.quantity(item),
    priceFen: item.priceFen,
    skus: item.skus.length ? item.skus.map((s) => skuSnapshot(store, item, s)) : [skuSnapshot(store, item, undefined)],
  };
}

function orderSnapshot(store: YouzanEmulatorStore, order: Order) {
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
    lines: order.lines.map((l) => ({ oid: l.oid, itemId: l.itemId, skuId: String(l.skuId), outerSkuId: l.outerSkuId, quantity: l.num, priceFen: l.priceFen, shipped: l.shipped })),
  };
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
    const b = body(req);
    const shop = store.createShop(b.name === undefined ? undefined : String(b.name), b.authorize !== false);
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

  router.post('/images', (req, res) => {
    const kdtId = int(body(req).kdtId, 'kdtId');
    store.shop(kdtId);
    const image = store.uploadImage(kdtId);
    res.status(201).json({ imageId: String(image.image_id), url: image.image_url });
  });

  router.post('/items', (req, res) => {
    const b = body(req);
    const kdtId = int(b.kdtId, 'kdtId');
    store.shop(kdtId);
    const skus = Array.isArray(b.skus) ? (b.skus as Body[]) : [];
    const item = store.createItem({
      kdtId,
      title: text(b.title, 'title'),
      desc: b.desc === undefined ? undefined : String(b.desc),
      cid: b.cid === undefined ? undefined : int(b.cid, 'cid'),
      itemNo: b.itemNo === undefined ? undefined : String(b.itemNo),
      priceFen: b.priceFen === undefined ? undefined : int(b.priceFen, 'priceFen'),
      stock: b.stock === undefined ? undefined : int(b.stock, 'stock'),
      listed: b.listed !== false,
      imageIds: [store.uploadImage(kdtId).image_id],
      skus: skus.map((s, i) => ({
        itemNo: text(s.itemNo, `skus[${i}].itemNo`, ''),
        priceFen: int(s.priceFen, `skus[${i}].priceFen`),
        stock: int(s.stock, `skus[${i}].stock`, 0),
        specs: Array.isArray(s.specs) ? (s.specs as { k: string; v: string }[]) : undefined,
      })),
    });
    res.status(201).json(itemSnapshot(store, item));
  });
  router.get('/items/:itemId', (req, res) => {
    const item = store.items.get(String(req.params.itemId));
    if (!item) throw new SandboxError(404, 'item_not_found', `no item ${req.params.itemId}`);
    res.json(itemSnapshot(store, item));
  });
  router.get('/items/:itemId/skus/:skuId', (req, res) => {
    const { item, sku } = lookupSku(store, String(req.params.itemId), String(req.params.skuId));
    res.json(skuSnapshot(store, item, sku));
  });
  router.put('/items/:itemId/skus/:skuId', (req, res) => {
    const { item, sku } = lookupSku(store, String(req.params.itemId), String(req.params.skuId));
    const b = body(req);
    if (b.stock !== undefined) {
      const stock = int(b.stock, 'stock');
      if (stock < 0) throw new SandboxError(400, 'bad_field', 'stock must be ≥ 0');
      store.setStock(item, sku, stock);
    }
    if (b.priceFen !== undefined) {
      const price = int(b.priceFen, 'priceFen');
      if (price < 1) throw new SandboxError(400, 'bad_field', 'priceFen must be ≥ 1');
      store.setPrice(item, sku, price);
    }
    res.json(skuSnapshot(store, item, sku));
  });

  router.post('/orders', (req, res) => {
    const b = body(req);
    const lines = Array.isArray(b.lines) ? (b.lines as Body[]) : [];
    const order = store.placeOrder({
      kdtId: int(b.kdtId, 'kdtId'),
      lines: lines.map((l, i) => ({
        itemId: l.itemId === undefined ? undefined : String(l.itemId),
        skuId: l.skuId === undefined || String(l.skuId) === '0' ? undefined : int(l.skuId, `lines[${i}].skuId`),
        quantity: int(l.quantity, `lines[${i}].quantity`, 1),
      })),
      pay: b.pay === true,
      couponId: b.couponId === undefined ? undefined : int(b.couponId, 'couponId'),
      postFeeFen: b.postFeeFen === undefined ? undefined : int(b.postFeeFen, 'postFeeFen'),
      buyerMessage: b.buyerMessage === undefined ? undefined : String(b.buyerMessage),
    });
    res.status(201).json(orderSnapshot(store, order));
  });
  router.get('/orders/:tid', (req, res) => res.json(orderSnapshot(store, store.controlOrder(String(req.params.tid)))));
  router.post('/orders/:tid/pay', (req, res) => res.json(orderSnapshot(store, store.payOrder(String(req.params.tid)))));
  router.post('/orders/:tid/cancel', (req, res) => {
    const b = body(req);
    res.json(orderSnapshot(store, store.closeOrder(String(req.params.tid), int(b.closeType, 'closeType', 4), text(b.reason, 'reason', '买家取消'))));
  });
  router.post('/orders/:tid/ship', (req, res) => {
    const b = body(req);
    const order = store.controlOrder(String(req.params.tid));
    try {
      store.ship(order, int(b.expressId, 'expressId', 7), text(b.expressNo, 'expressNo', `SF${Date.now()}`), Array.isArray(b.oids) ? b.oids.map(String) : undefined);
    } catch (error) {
      throw new SandboxError(409, 'not_shippable', (error as Error).message);
    }
    res.json(orderSnapshot(store, order));
  });
  router.post('/orders/:tid/complete', (req, res) => res.json(orderSnapshot(store, store.confirmOrder(String(req.params.tid)))));

  router.post('/refunds', (req, res) => {
    const b = body(req);
    const tid = text(b.tid, 'tid');
    const order = store.controlOrder(tid);
    const oids = Array.isArray(b.oids) && b.oids.length ? b.oids.map(String) : order.lines.map((l) => l.oid);
    const status = b.status === undefined ? undefined : (String(b.status) as RefundStatus);
    if (status && !REFUND_STATUSES.includes(status)) throw new SandboxError(400, 'bad_status', `status must be one of ${REFUND_STATUSES.join(', ')}`);
    if (b.amountFen !== undefined && oids.length !== 1) throw new SandboxError(400, 'bad_field', 'amountFen needs exactly one line (refunds are per order line)');
    // Youzan after-sales cases are per order line: one refund per oid.
    const refunds = oids.map((oid) =>
      store.createRefund({
        tid,
        oids: [oid],
        amountFen: b.amountFen === undefined ? undefined : int(b.amountFen, 'amountFen'),
        status,
        returnGoods: b.returnGoods === true,
        restock: b.restock === undefined ? undefined : b.restock === true,
      }),
    );
    res.status(201).json({ refundIds: refunds.map((r) => r.refundId), order: orderSnapshot(store, order) });
  });
  router.post('/refunds/:refundId/status', (req, res) => {
    const status = text(body(req).status, 'status') as RefundStatus;
    const refund = store.setRefundStatus(String(req.params.refundId), status);
    res.json({ refundId: refund.refundId, status: refund.status, order: orderSnapshot(store, store.controlOrder(refund.tid)) });
  });

  router.post('/coupons', (req, res) => {
    const b = body(req);
    const kdtId = int(b.kdtId, 'kdtId');
    store.shop(kdtId);
    const now = deps.clock.now();
    const coupon = store.addCoupon({
      kdtId,
      title: text(b.title, 'title', '沙箱优惠券'),
      valueFen: int(b.valueFen, 'valueFen'),
      atLeastFen: int(b.atLeastFen, 'atLeastFen', 0),
      total: int(b.total, 'total', 1000),
      quota: int(b.quota, 'quota', 0),
      rangeType: 'ALL',
      itemIds: [],
      startAt: int(b.startAt, 'startAt', now - 60_000),
      endAt: int(b.endAt, 'endAt', now + 30 * 24 * 3600 * 1000),
      description: text(b.description, 'description', ''),
    });
    res.status(201).json({ couponId: String(coupon.groupId) });
  });

  router.put('/faults', (req, res) => {
    const b = body(req);
    const rules = Array.isArray(b.rules) ? (b.rules as ControlFaultRule[]) : [];
    for (const rule of rules) {
      if (typeof rule.api !== 'string') throw new SandboxError(400, 'bad_rule', 'each rule needs an api (or "*")');
      if (rule.error !== undefined && !FAULT_ERRORS[rule.error]) throw new SandboxError(400, 'bad_rule', `unknown error kind ${rule.error}; known: ${Object.keys(FAULT_ERRORS).join(', ')}`);
    }
    if (Array.isArray(b.rules) || b.orderReadLagMs === undefined && b.refuseNegativeIncrement === undefined) deps.setFaultRules(rules);
    if (b.push && typeof b.push === 'object') deps.faults.setPushFaults(b.push as Partial<PushFaults>);
    if (b.seed !== undefined) deps.faults.random.reseed(int(b.seed, 'seed'));
    if (b.orderReadLagMs !== undefined) deps.store.options.orderReadLagMs = int(b.orderReadLagMs, 'orderReadLagMs');
    if (b.refuseNegativeIncrement !== undefined) deps.store.options.refuseNegativeIncrement = b.refuseNegativeIncrement === true;
    res.json({ ...deps.faults.describe(), orderReadLagMs: deps.store.options.orderReadLagMs, refuseNegativeIncrement: deps.store.options.refuseNegativeIncrement });
  });
  router.post('/push/test', (req, res) => {
    const b = body(req);
    const msgId = deps.sendTestPush(b.kdtId === undefined ? undefined : int(b.kdtId, 'kdtId'), text(b.type, 'type', 'trade_TradeCreate'));
    res.status(202).json({ msgId });
  });

  router.use(controlErrorHandler());
  return router;
}
