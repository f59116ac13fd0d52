import { SandboxError } from '../shared/control.errors';
import { ksError } from './kuaishou-emulator.errors';
import { long } from './kuaishou-emulator.json';
import { KS_MAX_STOCK, KsCouponRecord, KsOrderRecord, KsShop, PlaceOrderInput } from './kuaishou-emulator.model';
import { KsCouponsStore } from './kuaishou-store.coupons';

/** expressCode values of the static table (sheet §3.9); the emulator keeps its own copy. */
const EXPRESS_CODES = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
  34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 61, 62, 63,
  64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92,
  93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117,
  118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140,
  141, 142, 143, 144, 145, 147, 153, 1001, 1002, 1003, 1004, 1005, 1007, 1008, 9999, 19999,
]);

/**
 * Number/carrier mismatch (FAQ-K1009), as far as a number's shape tells: letters and digits only,
 * 5–30 long; SF (4) and JD (14) numbers carry their prefix, and a number with one of those
 * prefixes or J&T's "JT" belongs to that carrier only.
 */
const WAYBILL_PREFIXES: [string, number[]][] = [
  ['SF', [4]],
  ['JD', [14]],
  ['JT', [109]],
];

function waybillFitsCarrier(expressNo: string, expressCode: number): boolean {
  if (!/^[A-Za-z0-9]{5,30}$/.test(expressNo)) return false;
  const upper = expressNo.toUpperCase();
  const prefixed = WAYBILL_PREFIXES.find(([prefix]) => upper.startsWith(prefix));
  if (prefixed) return prefixed[1].includes(expressCode);
  return expressCode !== 4 && expressCode !== 14;
}

/** Buyer orders: stock taken at order time, the read lag, the status machine and delivery. */
export abstract class KsOrdersStore extends KsCouponsStore {
  /** A buyer order: one SKU per oid; the platform decrements its own stock at once. */
  placeOrder(input: PlaceOrderInput): KsOrderRecord {
    const item = this.items.get(String(input.itemId));
    if (!item) throw new SandboxError(404, 'item_not_found', `no item ${input.itemId}`);
    if (input.openId && input.openId !== item.openId)
      throw new SandboxError(400, 'wrong_shop', 'the item belongs to another shop');
    const sku = item.skus.find((s) => s.kwaiSkuId === String(input.skuId));
    if (!sku) throw new SandboxError(404, 'sku_not_found', `no SKU ${input.skuId} on item ${input.itemId}`);
    if (!Number.isSafeInteger(input.quantity) || input.quantity < 1)
      throw new SandboxError(400, 'invalid', 'quantity must be a positive integer');
    if (item.shelf !== 1 || item.auditStatus !== 2)
      throw new SandboxError(409, 'not_on_sale', 'the item is not on sale');
    if (sku.stock < input.quantity) throw new SandboxError(409, 'insufficient_stock', `only ${sku.stock} in stock`);
    const goods = sku.price * input.quantity;
    let merchantDiscount = 0;
    let coupon: KsCouponRecord | undefined;
    if (input.couponId) {
      coupon = this.usableCoupon(String(input.couponId), item, goods);
      merchantDiscount = Math.min(coupon.reduceAmount, goods - 1);
    }
    const platformDiscount = Math.max(0, Math.min(input.platformDiscountFen ?? 0, goods - merchantDiscount - 1));
    const now = this.clock.now();
    sku.stock -= input.quantity;
    sku.updateTime = now;
    this.stockChanged(item.kwaiItemId, sku, -input.quantity, 'sale');
    if (coupon) {
      coupon.received++;
      coupon.used++;
      coupon.usedAmount += merchantDiscount;
    }
    const order: KsOrderRecord = {
      oid: this.nextOrderId(),
      visibleAt: now + this.options.orderReadLagMs,
      openId: item.openId,
      buyerOpenId: input.buyerOpenId ?? `buyer${this.random.int(100000, 999999)}`,
      status: 10,
      createTime: now,
      updateTime: now,
      payTime: 0,
      sendTime: 0,
      recvTime: 0,
      refundTime: 0,
      kwaiItemId: item.kwaiItemId,
      kwaiSkuId: sku.kwaiSkuId,
      num: input.quantity,
      price: sku.price,
      merchantDiscount,
      platformDiscount,
      couponId: coupon?.couponId,
      expressFee: input.expressFee ?? 0,
      promiseSeconds: item.promiseSeconds,
      validPromise: 0,
      noPromise: input.noPromise === true,
      holds: input.holds ?? [],
      riskCode: input.riskCode ?? 0,
      remark: input.buyerNote ?? '',
      logistics: [],
      deliveryNum: 0,
      refundIds: [],
    };
    this.orders.set(order.oid, order);
    this.ordersByShop.get(order.openId)?.push(order);
    this.emit('kwaishop_order_addOrder', order, {
      oid: long(order.oid),
      sellerId: long(this.shop(order.openId).sellerId),
      openId: order.openId,
      buyerOpenId: order.buyerOpenId,
      createTime: now,
    });
    if (input.pay) this.pay(order.oid);
    return order;
  }

  order(oid: string): KsOrderRecord {
    const order = this.orders.get(oid);
    if (!order) throw new SandboxError(404, 'order_not_found', `no order ${oid}`);
    return order;
  }

  ordersOf(openId: string): KsOrderRecord[] {
    return this.ordersByShop.get(openId) ?? [];
  }

  /** What the order APIs see: orders past their read lag. */
  readableOrdersOf(openId: string): KsOrderRecord[] {
    const now = this.clock.now();
    const all = this.ordersOf(openId);
    const readable = all.filter((o) => o.visibleAt <= now);
    for (let i = readable.length; i < all.length; i++) this.readLagListener?.();
    return readable;
  }

  setOrderReadLag(ms: number): void {
    this.options.orderReadLagMs = ms;
  }

  get orderReadLagMs(): number {
    return this.options.orderReadLagMs;
  }

  pay(oid: string): KsOrderRecord {
    const order = this.transition(oid, [10], 30);
    order.payTime = order.updateTime;
    order.validPromise = order.noPromise ? 0 : order.payTime + order.promiseSeconds * 1000;
    this.statusEvent('kwaishop_order_paySuccess', order);
    return order;
  }

  /** Cancelling an unpaid or paid-unshipped order closes it (80) and returns the stock. */
  cancel(oid: string): KsOrderRecord {
    const order = this.transition(oid, [10, 30], 80);
    this.returnStock(order);
    this.statusEvent('kwaishop_order_orderFail', order);
    return order;
  }

  receive(oid: string): KsOrderRecord {
    const order = this.transition(oid, [40], 50);
    order.recvTime = order.updateTime;
    this.statusEvent('kwaishop_order_deliverySuccess', order);
    return order;
  }

  complete(oid: string): KsOrderRecord {
    const order = this.transition(oid, [50], 70);
    this.statusEvent('kwaishop_order_orderSuccess', order);
    return order;
  }

  setOrderFlags(oid: string, flags: { holds?: number[]; riskCode?: number; noPromise?: boolean }): KsOrderRecord {
    const order = this.order(oid);
    if (flags.holds) order.holds = flags.holds;
    if (flags.riskCode !== undefined) order.riskCode = flags.riskCode;
    if (flags.noPromise !== undefined) {
      order.noPromise = flags.noPromise;
      if (order.payTime) order.validPromise = flags.noPromise ? 0 : order.payTime + order.promiseSeconds * 1000;
    }
    order.updateTime = this.clock.now();
    return order;
  }

  /** An order of this shop; another merchant's oid is the documented "order operation reject". */
  shopOrder(shop: KsShop, oid: string, readable = false): KsOrderRecord {
    const order = this.orders.get(oid);
    if (order && readable && order.visibleAt > this.clock.now()) this.readLagListener?.();
    if (!order || (readable && order.visibleAt > this.clock.now())) throw ksError.business('订单不存在');
    if (order.openId !== shop.openId) throw ksError.business('order operation reject');
    return order;
  }

  /** Waybill → the buyer whose order first shipped with it (the address it went to). */
  private readonly waybillBuyers = new Map<string, string>();

  /** open.seller.order.goods.deliver: status 30 only, no holds, a known expressCode, a waybill of ours; ships every unit. */
  deliver(shop: KsShop, oid: string, expressNo: string, expressCode: number): KsOrderRecord {
    const order = this.shopOrder(shop, oid);
    this.checkShippable(order);
    if (order.deliveryNum > 0) throw ksError.business('订单已部分发货，请使用拆单发货');
    this.takeWaybill(shop, order, expressNo, expressCode);
    return this.addDelivery(order, expressNo, expressCode, order.num);
  }

  /**
   * open.order.goods.split.deliver: packages of sub-orders with quantities (partial shipment, up to
   * 50 packages). The emulator has no carts, so each main order has itself as its one sub-order.
   * The order counts as shipped (40) once `deliveryNum` reaches its quantity.
   */
  splitDeliver(
    shop: KsShop,
    mainOrderId: string,
    packages: { expressCode: number; expressNo: string; goods: { oid: string; deliveryNum: number }[] }[],
  ): KsOrderRecord {
    const order = this.shopOrder(shop, mainOrderId);
    this.checkShippable(order);
    if (!packages.length) throw ksError.invalid('deliveryItemInfoList 不能为空');
    if (packages.length > 50) throw ksError.business('单次最多发货50个包裹');
    let units = 0;
    for (const pkg of packages) {
      if (!pkg.goods.length) throw ksError.invalid('deliveryGoodsInfoList 不能为空');
      for (const g of pkg.goods) {
        if (g.oid !== mainOrderId) throw ksError.business(`子订单[${g.oid}]不属于主订单[${mainOrderId}]`);
        if (!Number.isInteger(g.deliveryNum) || g.deliveryNum < 1) throw ksError.invalid('deliveryNum 必须大于0');
        units += g.deliveryNum;
      }
    }
    if (order.deliveryNum + units > order.num)
      throw ksError.business(`发货数量[${order.deliveryNum + units}]超过订单商品数量[${order.num}]`);
    for (const pkg of packages) this.checkWaybill(shop, order, pkg.expressNo, pkg.expressCode);
    if (new Set(packages.map((pkg) => `${pkg.expressCode}:${pkg.expressNo}`)).size < packages.length)
      throw ksError.business('同一运单号不能用于多个包裹');
    let next = order;
    for (const pkg of packages) {
      this.takeWaybill(shop, order, pkg.expressNo, pkg.expressCode);
      next = this.addDelivery(
        order,
        pkg.expressNo,
        pkg.expressCode,
        pkg.goods.reduce((sum, g) => sum + g.deliveryNum, 0),
      );
    }
    return next;
  }

  /** Status 30 only, no holds, a valid promise, no refund at 50/60. */
  private checkShippable(order: KsOrderRecord): void {
    if (order.status !== 30) throw ksError.business(`订单状态[${order.status}]不允许发货`);
    if (order.holds.length || order.validPromise === 0) throw ksError.business('订单当前不可发货');
    if (order.refundIds.some((id) => [50, 60].includes(this.refunds.get(id)?.status ?? 0)))
      throw ksError.business('订单售后处理中，不允许发货');
  }

  /** The waybill checks (result 11): a known code, a number of that carrier's shape, not another merchant's, not used twice on one order. */
  private checkWaybill(shop: KsShop, order: KsOrderRecord, expressNo: string, expressCode: number): void {
    if (!expressNo.trim()) throw ksError.invalid('expressNo 不能为空');
    if (!EXPRESS_CODES.has(expressCode)) throw ksError.waybill(`物流公司编码[${expressCode}]不存在或已停用`);
    if (!waybillFitsCarrier(expressNo, expressCode))
      throw ksError.waybill(`运单号[${expressNo}]与物流公司编码[${expressCode}]不匹配`);
    const owner = this.waybillOwners.get(`${expressCode}:${expressNo}`);
    if (owner && owner !== shop.openId) throw ksError.waybill('运单号已被其他商家使用');
    // Each order's address is its own here, so a waybill may span orders of one buyer only (a merged parcel).
    const buyer = this.waybillBuyers.get(`${expressCode}:${expressNo}`);
    if (buyer !== undefined && buyer !== order.buyerOpenId)
      throw ksError.waybill(`运单号[${expressNo}]已用于其他收货地址的订单`);
    if (order.logistics.some((l) => l.expressNo === expressNo && l.expressCode === expressCode))
      throw ksError.business(`运单号[${expressNo}]已在该订单发货`);
  }

  private takeWaybill(shop: KsShop, order: KsOrderRecord, expressNo: string, expressCode: number): void {
    this.checkWaybill(shop, order, expressNo, expressCode);
    this.waybillOwners.set(`${expressCode}:${expressNo}`, shop.openId);
    this.waybillBuyers.set(`${expressCode}:${expressNo}`, order.buyerOpenId);
  }

  private addDelivery(order: KsOrderRecord, expressNo: string, expressCode: number, units: number): KsOrderRecord {
    order.logistics.unshift({ logisticsId: String(8_000_000_000 + ++this.seq), expressNo, expressCode });
    order.deliveryNum += units;
    order.updateTime = this.clock.now();
    if (order.deliveryNum < order.num) return order;
    const next = this.transition(order.oid, [30], 40);
    next.sendTime = next.updateTime;
    this.statusEvent('kwaishop_order_delivering', next);
    return next;
  }

  private transition(oid: string, from: number[], to: number): KsOrderRecord {
    const order = this.order(oid);
    if (!from.includes(order.status))
      throw new SandboxError(
        409,
        'bad_status',
        `order ${oid} is in status ${order.status}; needs ${from.join(' or ')}`,
      );
    order.status = to;
    order.updateTime = this.clock.now();
    return order;
  }

  protected returnStock(order: KsOrderRecord, units = order.num): void {
    const item = this.items.get(order.kwaiItemId);
    const sku = item?.skus.find((s) => s.kwaiSkuId === order.kwaiSkuId);
    if (!sku) return;
    const before = sku.stock;
    sku.stock = Math.min(KS_MAX_STOCK, sku.stock + units);
    sku.updateTime = this.clock.now();
    this.stockChanged(order.kwaiItemId, sku, sku.stock - before, 'restock');
  }
}
