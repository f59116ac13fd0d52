import { SandboxError } from '../shared/control.errors';
import { long } from './kuaishou-emulator.json';
import { DAY_MS, KsOrderRecord, KsRefundRecord, RefundInput } from './kuaishou-emulator.model';
import { KsOrdersStore } from './kuaishou-store.orders';

export interface KsSellerAddress {
  addressId: string;
  consignee: string;
  mobile: string;
  province: string;
  city: string;
  district: string;
  address: string;
  defaultAddress: boolean;
}

/** After-sales: refunds on an order, their outcomes and the restock policy. */
export abstract class KsRefundsStore extends KsOrdersStore {
  createRefund(input: RefundInput): KsRefundRecord {
    const order = this.order(String(input.oid));
    if (![30, 40, 50, 70].includes(order.status))
      throw new SandboxError(409, 'not_refundable', `order status ${order.status} cannot be refunded`);
    if (order.refundIds.some((id) => ![60, 70].includes(this.refunds.get(id)?.status ?? 70)))
      throw new SandboxError(409, 'refund_open', 'the order already has an open refund');
    const paid = paidFor(order);
    const amount = input.amountFen ?? paid;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > paid)
      throw new SandboxError(400, 'invalid', `amountFen must be 1..${paid}`);
    const productNum = input.productNum ?? order.num;
    if (!Number.isSafeInteger(productNum) || productNum < 1 || productNum > order.num)
      throw new SandboxError(400, 'invalid', `productNum must be 1..${order.num}`);
    const specialRefundType = input.specialRefundType ?? 0;
    if (![0, 1].includes(specialRefundType))
      throw new SandboxError(400, 'invalid', 'specialRefundType must be 0 (normal) or 1 (price protection)');
    const handlingWay = input.handlingWay ?? 10;
    if (![1, 3, 10].includes(handlingWay))
      throw new SandboxError(400, 'invalid', 'handlingWay must be 1 (return+refund), 3 (exchange) or 10 (refund only)');
    const now = this.clock.now();
    const refund: KsRefundRecord = {
      refundId: this.nextRefundId(),
      oid: order.oid,
      openId: order.openId,
      handlingWay,
      refundFee: amount,
      status: 10,
      negotiateStatus: 1,
      reasonCode: input.reasonCode ?? 1,
      reasonDesc: input.reason ?? '不想要了',
      createTime: now,
      updateTime: now,
      endTime: 0,
      expireTime: now + 2 * DAY_MS,
      restock: input.restock,
      shippedAtRequest: order.status !== 30,
      productNum,
      specialRefundType,
    };
    this.refunds.set(refund.refundId, refund);
    this.refundsByShop.get(order.openId)?.push(refund);
    order.refundIds.unshift(refund.refundId);
    order.refundTime = now;
    order.updateTime = now;
    this.emit(
      'kwaishop_aftersales_addRefund',
      order,
      {
        orderId: long(order.oid),
        refundId: long(refund.refundId),
        handlingWay,
        specialRefundType: 0,
        status: refund.status,
        createTime: now,
      },
      refund.refundId,
    );
    return refund;
  }

  /** Whether a refund takes its units off the order: not an exchange, not price protection, and paid back in full for them. */
  takesGoods(refund: KsRefundRecord): boolean {
    if (refund.handlingWay === 3 || refund.specialRefundType === 1) return false;
    const order = this.order(refund.oid);
    const paid = paidFor(order);
    return refund.refundFee >= Math.floor((paid * refund.productNum) / order.num);
  }

  refund(refundId: string): KsRefundRecord {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new SandboxError(404, 'refund_not_found', `no refund ${refundId}`);
    return refund;
  }

  refundsOf(openId: string): KsRefundRecord[] {
    return this.refundsByShop.get(openId) ?? [];
  }

  /** Control API: the buyer sends the goods back after the seller agreed to a return (30 → 40). */
  buyerReturned(refundId: string): KsRefundRecord {
    const refund = this.refund(refundId);
    if (refund.status !== 30)
      throw new SandboxError(409, 'not_awaiting_return', `refund ${refundId} is ${refund.status}, not 30`);
    return this.moveRefund(refund, 40, refund.negotiateStatus, 6);
  }

  /**
   * `open.refund.reject.reason`: the codes a seller may refuse this refund with. The emulator's own
   * table (the live list and its shape are unconfirmed); a return asks for other reasons than a
   * refund only.
   */
  rejectReasons(refund: KsRefundRecord): { reasonCode: number; reasonDesc: string }[] {
    const common = [
      { reasonCode: 1, reasonDesc: '已与买家协商一致' },
      { reasonCode: 99, reasonDesc: '其他' },
    ];
    return refund.handlingWay === 1 || refund.status === 40
      ? [
          { reasonCode: 21, reasonDesc: '未收到退货' },
          { reasonCode: 22, reasonDesc: '退回商品影响二次销售' },
          ...common,
        ]
      : [
          { reasonCode: 11, reasonDesc: '商品已发出' },
          { reasonCode: 12, reasonDesc: '买家已签收，商品无质量问题' },
          ...common,
        ];
  }

  private readonly sellerAddressBook = new Map<string, KsSellerAddress[]>();

  /** `open.address.seller.list`: the shop's return addresses (one default until the seller adds more). */
  sellerAddresses(openId: string): KsSellerAddress[] {
    let book = this.sellerAddressBook.get(openId);
    if (!book) {
      book = [
        {
          addressId: String(8_800_000 + this.sellerAddressBook.size * 10 + 1),
          consignee: '售后仓',
          mobile: '13800000000',
          province: '浙江省',
          city: '杭州市',
          district: '余杭区',
          address: '文一西路 1 号',
          defaultAddress: true,
        },
      ];
      this.sellerAddressBook.set(openId, book);
    }
    return book;
  }

  /** Control API: the seller adds a return address in the back office. */
  addSellerAddress(openId: string, input: Omit<KsSellerAddress, 'addressId'>): KsSellerAddress {
    const book = this.sellerAddresses(openId);
    const address = { ...input, addressId: String(Number(book[book.length - 1].addressId) + 1) };
    if (address.defaultAddress) for (const a of book) a.defaultAddress = false;
    book.push(address);
    return address;
  }

  /** The seller agrees to a return (open.seller.order.refund.returngoods.approve): 10/11 → 30. */
  approveReturn(refund: KsRefundRecord): KsRefundRecord {
    return this.moveRefund(refund, 30, 2, 3);
  }

  /** Moves a refund that is still open and pushes `updateRefund`. */
  private moveRefund(
    refund: KsRefundRecord,
    status: number,
    negotiateStatus: number,
    eventType: number,
  ): KsRefundRecord {
    const now = this.clock.now();
    const order = this.order(refund.oid);
    refund.status = status;
    refund.negotiateStatus = negotiateStatus;
    refund.updateTime = now;
    order.updateTime = now;
    this.pushRefundUpdate(order, refund, eventType, now);
    return refund;
  }

  /** Pushes `updateRefund` with the refund's new status. */
  private pushRefundUpdate(order: KsOrderRecord, refund: KsRefundRecord, eventType: number, now: number): void {
    this.emit(
      'kwaishop_aftersales_updateRefund',
      order,
      {
        orderId: long(order.oid),
        refundId: long(refund.refundId),
        handlingWay: refund.handlingWay,
        specialRefundType: 0,
        status: refund.status,
        eventType,
        updateTime: now,
      },
      refund.refundId,
    );
  }

  /** Control API: the refund ends (60 success / 70 closed) or the seller refuses it (12). */
  settleRefund(refundId: string, outcome: 'succeed' | 'close' | 'refuse'): KsRefundRecord {
    const refund = this.refund(refundId);
    if ([60, 70].includes(refund.status))
      throw new SandboxError(409, 'refund_final', `refund already ${refund.status}`);
    const now = this.clock.now();
    const order = this.order(refund.oid);
    const eventType = outcome === 'succeed' ? 60 : outcome === 'close' ? 70 : 2;
    refund.status = outcome === 'succeed' ? 60 : outcome === 'close' ? 70 : 12;
    refund.negotiateStatus = outcome === 'refuse' ? 3 : outcome === 'succeed' ? 2 : refund.negotiateStatus;
    refund.updateTime = now;
    if (outcome !== 'refuse') refund.endTime = now;
    order.updateTime = now;
    if (outcome === 'succeed') {
      const restock =
        refund.restock ??
        (this.options.refundRestock === 'always' ||
          (this.options.refundRestock === 'unshipped' && !refund.shippedAtRequest));
      // Only a refund that takes its units back (not an exchange, not price protection, paid back
      // in full for its units) puts them back on sale; the order closes once all its units are back.
      if (restock && this.takesGoods(refund)) this.returnStock(order, refund.productNum);
      const back = order.refundIds
        .map((id) => this.refunds.get(id))
        .filter((r): r is KsRefundRecord => !!r && r.status === 60 && this.takesGoods(r))
        .reduce((sum, r) => sum + r.productNum, 0);
      if (order.status === 30 && back >= order.num) {
        order.status = 80;
        this.statusEvent('kwaishop_order_orderFail', order);
      }
    }
    this.pushRefundUpdate(order, refund, eventType, now);
    return refund;
  }
}

/** What the buyer paid for the order's goods (after both discounts). */
function paidFor(order: KsOrderRecord): number {
  return order.price * order.num - order.merchantDiscount - order.platformDiscount;
}
