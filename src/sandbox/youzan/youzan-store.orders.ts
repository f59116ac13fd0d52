import { SandboxError } from '../shared/control.errors';
import { compactCst, cstString } from './youzan-emulator.codec';
import { BusinessError } from './youzan-emulator.errors';
import { Coupon, Item, Order, OrderLine, PushEvent, Sku } from './youzan-emulator.model';
import { YzCouponsStore } from './youzan-store.coupons';
import { randomBytes } from 'node:crypto';

/** Buyer orders: stock taken at order time, the read lag, payment, close, shipping, success, and their pushes. */
export abstract class YzOrdersStore extends YzCouponsStore {
  /**
   * A buyer's order. Stock is deducted when the order is placed (拍下减库存) and the order is
   * refused when any SKU lacks stock, so nothing is deducted in that case.
   */
  placeOrder(input: {
    kdtId: number;
    lines: { itemId?: string; skuId?: number; quantity: number }[];
    pay?: boolean;
    couponId?: number;
    postFeeFen?: number;
    buyerMessage?: string;
  }): Order {
    const shop = this.shop(input.kdtId);
    if (!input.lines.length) throw new SandboxError(400, 'no_lines', 'an order needs at least one line');
    const resolved = input.lines.map((line) => {
      if (!Number.isInteger(line.quantity) || line.quantity < 1)
        throw new SandboxError(400, 'bad_quantity', 'quantity must be a positive integer');
      let sku: Sku | undefined;
      let item: Item;
      if (line.skuId !== undefined) {
        sku = this.skus.get(line.skuId);
        if (!sku) throw new SandboxError(404, 'sku_not_found', `no SKU ${line.skuId}`);
        item = this.items.get(sku.itemId) as Item;
      } else {
        const found = line.itemId ? this.items.get(line.itemId) : undefined;
        if (!found) throw new SandboxError(404, 'item_not_found', `no item ${line.itemId}`);
        item = found;
        if (item.skus.length) throw new SandboxError(400, 'sku_required', `item ${item.itemId} has specs: give skuId`);
      }
      if (item.kdtId !== shop.kdtId)
        throw new SandboxError(404, 'item_not_found', `item ${item.itemId} is not in shop ${shop.kdtId}`);
      if (!item.listed) throw new SandboxError(409, 'item_not_on_sale', `item ${item.itemId} is not on sale`);
      return { item, sku, quantity: line.quantity };
    });
    const need = new Map<string, { available: number; quantity: number }>();
    for (const r of resolved) {
      const key = r.sku ? `s${r.sku.skuId}` : `i${r.item.itemId}`;
      const entry = need.get(key) ?? { available: r.sku ? r.sku.stock : r.item.stock, quantity: 0 };
      entry.quantity += r.quantity;
      need.set(key, entry);
      if (entry.quantity > entry.available)
        throw new SandboxError(
          409,
          'insufficient_stock',
          `insufficient stock for ${r.sku ? `SKU ${r.sku.skuId}` : `item ${r.item.itemId}`}: ${entry.available} left, ${entry.quantity} wanted`,
        );
    }
    let coupon: Coupon | undefined;
    if (input.couponId !== undefined) {
      coupon = this.coupons.get(input.couponId);
      if (!coupon || coupon.kdtId !== shop.kdtId)
        throw new SandboxError(404, 'coupon_not_found', `no coupon ${input.couponId}`);
      if (coupon.suspended) throw new SandboxError(409, 'coupon_not_active', `coupon ${coupon.groupId} was stopped`);
      if (coupon.stock <= 0)
        throw new SandboxError(409, 'coupon_exhausted', `coupon ${coupon.groupId} has no stock left`);
      const now = this.clock.now();
      if (now < coupon.startAt || now > coupon.endAt)
        throw new SandboxError(409, 'coupon_not_active', `coupon ${coupon.groupId} is not active`);
    }

    const now = this.clock.now();
    const lines: OrderLine[] = resolved.map((r) => {
      const sku = r.sku;
      const price = sku ? sku.priceFen : r.item.priceFen;
      this.setStock(r.item, sku, (sku ? sku.stock : r.item.stock) - r.quantity, 'sale');
      if (sku) sku.soldNum += r.quantity;
      r.item.soldNum += r.quantity;
      return {
        oid: (3000000000000000000n + BigInt(this.next())).toString(),
        itemId: r.item.itemId,
        skuId: sku ? sku.skuId : 0,
        title: r.item.title,
        num: r.quantity,
        priceFen: price,
        outerItemId: r.item.itemNo,
        outerSkuId: sku ? sku.itemNo : '',
        skuPropertiesName: sku
          ? JSON.stringify(sku.specs.map((s) => ({ k: s.k, k_id: s.kid, v: s.v, v_id: s.vid })))
          : '',
        couponShareFen: 0,
        postShareFen: 0,
        shipped: false,
        restocked: 0,
      };
    });
    const goods = lines.reduce((sum, l) => sum + l.priceFen * l.num, 0);
    const postFeeFen = input.postFeeFen ?? 0;
    allocate(lines, postFeeFen, goods, (l, share) => (l.postShareFen = share));
    let orderCoupon: Order['coupon'];
    if (coupon && goods >= coupon.atLeastFen) {
      const discount = this.couponDiscountFen(coupon, goods);
      allocate(lines, discount, goods, (l, share) => (l.couponShareFen = share));
      coupon.stock--;
      coupon.totalTake++;
      coupon.totalUsed++;
      orderCoupon = {
        groupId: coupon.groupId,
        code: randomBytes(6).toString('hex').toUpperCase(),
        title: coupon.title,
        discountFen: discount,
      };
    } else if (coupon) {
      throw new SandboxError(
        409,
        'coupon_threshold',
        `coupon ${coupon.groupId} needs an order of at least ${coupon.atLeastFen} fen`,
      );
    }
    const order: Order = {
      tid: `E${compactCst(now)}${String(this.next()).padStart(9, '0')}`,
      visibleAt: now + this.options.orderReadLagMs,
      kdtId: shop.kdtId,
      status: 'WAIT_BUYER_PAY',
      created: now,
      updated: now,
      closeType: 0,
      lines,
      postFeeFen,
      coupon: orderCoupon,
      deliveries: [],
      refundIds: [],
      buyerMessage: input.buyerMessage ?? '',
      memo: '',
      star: 0,
    };
    this.orders.set(order.tid, order);
    const list = this.ordersByShop.get(shop.kdtId) ?? [];
    list.push(order);
    this.ordersByShop.set(shop.kdtId, list);
    this.emitTrade('trade_TradeCreate', order, order.status, { full: true });
    if (input.pay) this.payOrder(order.tid);
    return order;
  }

  order(tid: string, kdtId?: number, code = 105000016): Order {
    const order = this.orders.get(tid);
    if (!order || (kdtId !== undefined && order.kdtId !== kdtId))
      throw new BusinessError(code, code === 5000 ? 'trade not found' : '订单不存在');
    return order;
  }

  ordersOf(kdtId: number): Order[] {
    return this.ordersByShop.get(kdtId) ?? [];
  }

  /** Whether the order APIs can see the order yet (read lag). */
  readable(order: Order): boolean {
    const readable = order.visibleAt <= this.clock.now();
    if (!readable) this.readLagListener?.();
    return readable;
  }

  controlOrder(tid: string): Order {
    const order = this.orders.get(tid);
    if (!order) throw new SandboxError(404, 'order_not_found', `no order ${tid}`);
    return order;
  }

  payOrder(tid: string): Order {
    const order = this.controlOrder(tid);
    if (order.status !== 'WAIT_BUYER_PAY')
      throw new SandboxError(409, 'not_payable', `order ${tid} is ${order.status}`);
    const now = this.clock.now();
    order.status = 'WAIT_SELLER_SEND_GOODS';
    order.payTime = now;
    order.updated = now;
    this.emitTrade('trade_TradePaid', order, 'TRADE_PAID', { full: true });
    this.emitTrade('trade_TradeBuyerPay', order, order.status, { full: true, delivery: true });
    return order;
  }

  /** Closing an unpaid or unshipped order gives its units back to stock. */
  closeOrder(tid: string, closeType = 4, reason = '买家取消'): Order {
    const order = this.controlOrder(tid);
    if (order.status !== 'WAIT_BUYER_PAY' && order.status !== 'WAIT_SELLER_SEND_GOODS')
      throw new SandboxError(409, 'not_closable', `order ${tid} is ${order.status}`);
    for (const line of order.lines) if (!line.shipped) this.restock(order, line, line.num - line.restocked);
    this.close(order, closeType, reason);
    return order;
  }

  protected close(order: Order, closeType: number, reason: string): void {
    const now = this.clock.now();
    order.status = 'TRADE_CLOSED';
    order.closeType = closeType;
    order.closeReason = reason;
    order.updated = now;
    this.emitTrade('trade_TradeClose', order, order.status, { extra: { close_type: closeType, close_reason: reason } });
  }

  protected restock(order: Order, line: OrderLine, units: number): void {
    const give = Math.min(units, line.num - line.restocked);
    if (give <= 0) return;
    line.restocked += give;
    const item = this.items.get(line.itemId);
    if (!item) return;
    const sku = line.skuId ? item.skus.find((s) => s.skuId === line.skuId) : undefined;
    this.setStock(item, sku, (sku ? sku.stock : item.stock) + give, 'restock');
  }

  /** logistics.online.confirm and the back-office ship button. */
  ship(
    order: Order,
    expressId: number,
    expressNo: string,
    oids?: string[],
  ): { allShipped: boolean; shippedOids: string[] } {
    if (order.status === 'WAIT_BUYER_CONFIRM_GOODS' || order.status === 'TRADE_SUCCESS')
      throw new BusinessError(102570007, '订单已发货，请勿重复发货');
    if (order.status !== 'WAIT_SELLER_SEND_GOODS') throw new BusinessError(102570020, '订单没有可发货的商品');
    const wanted = oids ?? order.lines.filter((l) => !l.shipped).map((l) => l.oid);
    const lines = wanted.map((oid) => order.lines.find((l) => l.oid === oid));
    if (lines.some((l) => !l)) throw new BusinessError(102570020, '订单没有可发货的商品');
    const toShip = (lines as OrderLine[]).filter((l) => !l.shipped && l.restocked < l.num);
    if (!toShip.length) throw new BusinessError(102570007, '订单已发货，请勿重复发货');
    // A line with an open after-sales case does not ship (emulator rule; the code is the documented "nothing to ship").
    const refunding = toShip.filter((l) =>
      [...this.refunds.values()].some(
        (r) =>
          r.tid === order.tid &&
          r.oids.includes(l.oid) &&
          !['CLOSED', 'SUCCESS', 'SELLER_REFUSE_BUYER', 'SELLER_REFUSE_BUYER_RETURN_GOODS'].includes(r.status),
      ),
    );
    if (refunding.length)
      throw new BusinessError(102570020, `商品退款中，不能发货: ${refunding.map((l) => l.oid).join(',')}`);
    const now = this.clock.now();
    for (const line of toShip) line.shipped = true;
    order.deliveries.push({
      distId: String(800000000 + this.next()),
      expressId,
      expressNo,
      oids: toShip.map((l) => l.oid),
      at: now,
    });
    order.updated = now;
    const allShipped = order.lines.every((l) => l.shipped || l.restocked >= l.num);
    if (allShipped) {
      order.status = 'WAIT_BUYER_CONFIRM_GOODS';
      order.consignTime = now;
      this.emitTrade('trade_TradeSellerShip', order, order.status, {});
    } else {
      this.emitTrade('trade_TradePartlySellerShip', order, order.status, {
        extra: { oids: toShip.map((l) => l.oid).join(','), express_id: expressId },
      });
    }
    return { allShipped, shippedOids: toShip.map((l) => l.oid) };
  }

  confirmOrder(tid: string): Order {
    const order = this.controlOrder(tid);
    if (order.status !== 'WAIT_BUYER_CONFIRM_GOODS')
      throw new SandboxError(409, 'not_confirmable', `order ${tid} is ${order.status}`);
    const now = this.clock.now();
    order.status = 'TRADE_SUCCESS';
    order.successTime = now;
    order.updated = now;
    this.emitTrade('trade_TradeSuccess', order, order.status, {});
    return order;
  }

  private emitTrade(
    type: string,
    order: Order,
    status: string,
    opts: { full?: boolean; delivery?: boolean; extra?: Record<string, unknown> },
  ): void {
    if (!this.pushWanted(order.kdtId)) return;
    const msg: Record<string, unknown> = {
      tid: order.tid,
      update_time: cstString(order.updated),
      ...(opts.extra ?? {}),
    };
    if (opts.full) {
      msg.full_order_info = this.fullOrderInfoHook?.(order);
      msg.order_promotion = this.orderPromotionHook?.(order);
      if (opts.delivery) msg.delivery_order = [];
    }
    this.pushAfterReadLag(order, { type, kdtId: order.kdtId, id: order.tid, status, msg });
  }

  /** Pushes about an order are sent no earlier than the order is readable. */
  protected pushAfterReadLag(order: Order, event: PushEvent): void {
    const wait = order.visibleAt - this.clock.now();
    if (wait > 0) setTimeout(() => this.push(event), wait).unref();
    else this.push(event);
  }
}

/** Splits `amount` over lines in proportion to their goods value; the rounding rest goes to the last line. */
function allocate(
  lines: OrderLine[],
  amount: number,
  goods: number,
  set: (line: OrderLine, share: number) => void,
): void {
  let left = amount;
  lines.forEach((line, i) => {
    const share =
      i === lines.length - 1 ? left : goods > 0 ? Math.floor((amount * line.priceFen * line.num) / goods) : 0;
    set(line, share);
    left -= share;
  });
}
