import { SandboxError } from '../shared/control.errors';
import { compactCst, cstString, yuan } from './youzan-emulator.codec';
import { BusinessError } from './youzan-emulator.errors';
import { Order, OrderLine, REFUND_STATUSES, Refund, RefundStatus, linePaymentFen } from './youzan-emulator.model';
import { YzOrdersStore } from './youzan-store.orders';

const TERMINAL_REFUND: RefundStatus[] = [
  'CLOSED',
  'SUCCESS',
  'SELLER_REFUSE_BUYER',
  'SELLER_REFUSE_BUYER_RETURN_GOODS',
];

/** After-sales: one case per order line, its status moves, restock, and the refund pushes. */
export abstract class YzRefundsStore extends YzOrdersStore {
  createRefund(input: {
    tid: string;
    oids?: string[];
    amountFen?: number;
    status?: RefundStatus;
    returnGoods?: boolean;
    restock?: boolean;
    reason?: number;
    itemNum?: number;
  }): Refund {
    const order = this.controlOrder(input.tid);
    if (order.status === 'WAIT_BUYER_PAY' || order.status === 'TRADE_CLOSED')
      throw new SandboxError(409, 'not_refundable', `order ${input.tid} is ${order.status}`);
    const oids = input.oids?.length ? input.oids : order.lines.map((l) => l.oid);
    const lines = oids.map((oid) => order.lines.find((l) => l.oid === oid));
    if (lines.some((l) => !l)) throw new SandboxError(404, 'line_not_found', `order ${input.tid} has no such line`);
    const busy = [...this.refunds.values()].some(
      (r) => r.tid === order.tid && !TERMINAL_REFUND.includes(r.status) && r.oids.some((o) => oids.includes(o)),
    );
    if (busy) throw new SandboxError(409, 'refund_in_progress', 'a refund for these lines is already in progress');
    const allUnits = (lines as OrderLine[]).reduce((sum, l) => sum + l.num, 0);
    const itemNum = input.itemNum ?? allUnits;
    if (input.itemNum !== undefined && lines.length !== 1)
      throw new SandboxError(400, 'invalid', 'itemNum needs exactly one line (refunds are per order line)');
    if (!Number.isInteger(itemNum) || itemNum < 1 || itemNum > allUnits)
      throw new SandboxError(400, 'invalid', `itemNum must be 1..${allUnits}`);
    const maxFen = (lines as OrderLine[]).reduce((sum, l) => sum + linePaymentFen(l), 0);
    const amountFen = input.amountFen ?? maxFen;
    if (!Number.isInteger(amountFen) || amountFen < 1 || amountFen > maxFen)
      throw new SandboxError(400, 'bad_amount', `refund amount must be 1..${maxFen} fen`);
    const now = this.clock.now();
    const refund: Refund = {
      refundId: `${compactCst(now)}${String(this.next()).padStart(10, '0')}`,
      tid: order.tid,
      kdtId: order.kdtId,
      oids,
      status: 'WAIT_SELLER_AGREE',
      refundFeeFen: amountFen,
      returnGoods: input.returnGoods ?? false,
      reason: input.reason ?? 1,
      refundType: 'BUYER_APPLY_REFUND',
      created: now,
      modified: now,
      version: 1,
      restock: input.restock ?? this.options.restockOnRefund,
      itemNum,
    };
    this.refunds.set(refund.refundId, refund);
    order.refundIds.push(refund.refundId);
    order.updated = now;
    this.emitRefund(
      refund,
      this.options.refundPushStyle === 'new' ? 'youzan_trade_RefundCreated' : 'trade_refund_BuyerCreated',
    );
    if (input.status && input.status !== 'WAIT_SELLER_AGREE') this.setRefundStatus(refund.refundId, input.status);
    return refund;
  }

  refund(refundId: string, kdtId?: number): Refund {
    const refund = this.refunds.get(refundId);
    if (!refund || (kdtId !== undefined && refund.kdtId !== kdtId))
      throw new BusinessError(103011024, '退款记录不存在');
    return refund;
  }

  /** Moves a refund; SUCCESS gives units back (when restocking) and a full refund closes the order. */
  setRefundStatus(refundId: string, status: RefundStatus): Refund {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new SandboxError(404, 'refund_not_found', `no refund ${refundId}`);
    if (!REFUND_STATUSES.includes(status)) throw new SandboxError(400, 'bad_status', `unknown refund status ${status}`);
    if (TERMINAL_REFUND.includes(refund.status))
      throw new SandboxError(409, 'refund_final', `refund ${refundId} is ${refund.status}`);
    const now = this.clock.now();
    refund.status = status;
    refund.modified = now;
    refund.version++;
    const order = this.orders.get(refund.tid) as Order;
    order.updated = now;
    const legacy: Partial<Record<RefundStatus, string>> = {
      SUCCESS: 'trade_refund_RefundSuccess',
      CLOSED: 'trade_refund_RefundClosed',
      SELLER_REFUSE_BUYER: 'trade_refund_RefundSellerRefuse',
      WAIT_BUYER_RETURN_GOODS: 'trade_refund_RefundSellerAgreeReturnGoods',
      WAIT_SELLER_CONFIRM_GOODS: 'trade_refund_RefundBuyerReturnGoods',
    };
    const modern: Partial<Record<RefundStatus, string>> = {
      SUCCESS: 'youzan_trade_RefundSuccess',
      CLOSED: 'youzan_trade_RefundClosed',
      WAIT_BUYER_RETURN_GOODS: 'youzan_trade_RefundSellerAgree',
    };
    const type = (this.options.refundPushStyle === 'new' ? modern : legacy)[status];
    if (type) this.emitRefund(refund, type);
    if (status === 'SUCCESS') {
      for (const oid of refund.oids) {
        const line = order.lines.find((l) => l.oid === oid) as OrderLine;
        if (refund.restock) this.restock(order, line, refund.oids.length === 1 ? refund.itemNum : line.num);
      }
      // The order closes once every unit of every line was refunded (item_num counts partial refunds).
      const refundedUnits = new Map<string, number>();
      for (const r of this.refunds.values())
        if (r.tid === order.tid && r.status === 'SUCCESS')
          for (const oid of r.oids) {
            const line = order.lines.find((l) => l.oid === oid) as OrderLine;
            const units = r.oids.length === 1 ? r.itemNum : line.num;
            refundedUnits.set(oid, (refundedUnits.get(oid) ?? 0) + units);
          }
      if (order.lines.every((l) => (refundedUnits.get(l.oid) ?? 0) >= l.num) && order.status !== 'TRADE_CLOSED')
        this.close(order, 2, '退款成功');
    }
    return refund;
  }

  /** order refund_state: 0 none, 1 partial refunding, 2 partial refunded, 11 full refunding, 12 full refunded. */
  orderRefundState(order: Order): number {
    const refunds = order.refundIds.map((id) => this.refunds.get(id) as Refund);
    if (!refunds.length) return 0;
    const covered = new Set(refunds.flatMap((r) => r.oids));
    const full = order.lines.every((l) => covered.has(l.oid));
    const active = refunds.some((r) => !TERMINAL_REFUND.includes(r.status));
    const succeeded = refunds.some((r) => r.status === 'SUCCESS');
    if (active) return full ? 11 : 1;
    if (succeeded) return full ? 12 : 2;
    return 0;
  }

  private emitRefund(refund: Refund, type: string): void {
    if (!this.pushWanted(refund.kdtId)) return;
    const order = this.orders.get(refund.tid) as Order;
    const asObject = type.startsWith('youzan_trade_Refund');
    const msg: Record<string, unknown> = asObject
      ? {
          tid: refund.tid,
          refund_id: refund.refundId,
          version: refund.version,
          refunded_fee: yuan(refund.refundFeeFen),
          refund_type: refund.returnGoods ? 'REFUND_AND_RETURN' : 'REFUND_ONLY',
        }
      : {
          tid: refund.tid,
          oids: refund.oids.join(','),
          refund_id: refund.refundId,
          refunded_fee: yuan(refund.refundFeeFen),
          refund_reason: refund.reason,
          refund_reason_desc: '买家申请退款',
          refund_type: refund.returnGoods ? 2 : 1,
          update_time: cstString(refund.modified),
        };
    this.pushAfterReadLag(order, {
      type,
      kdtId: refund.kdtId,
      id: refund.tid,
      status: order.status,
      msg,
      msgAsObject: asObject,
    });
  }
}
