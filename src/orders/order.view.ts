import { ChannelOrderLineEntity } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';
import { riskLevel, RiskLevel } from './ship-deadline';

/** Which id a lookup matched. */
export type OrderIdKind = 'internal' | 'erp' | 'platform_order' | 'platform_line';

export interface OrderLineView {
  lineId: string;
  itemId: string;
  skuId: string;
  outerSkuId: string | null;
  merchantSkuId: string | null;
  title: string;
  quantity: number;
  unitPriceFen: number;
  discountFen: number;
  paidFen: number;
  refundStatus: string;
  refundedQuantity: number;
}

export interface OrderView {
  id: string;
  platform: string;
  platformOrderId: string;
  erpOrderId: string | null;
  connectionId: string;
  status: string;
  rawStatus: string;
  createdAt: number;
  updatedAt: number;
  paidAt: number | null;
  amounts: { goodsTotalFen: number; discountFen: number; shippingFeeFen: number; paidFen: number };
  deadline: {
    at: number | null;
    source: string | null;
    /** The level the order is at now (open orders only). */
    risk: RiskLevel | null;
    /** The last level raised as `order.deadline_risk`. */
    riskRaised: RiskLevel | null;
    holds: string[];
  };
  shippedAt: number | null;
  /** As the platform delivered it: masked, never decrypted. */
  buyer: {
    name: string | null;
    phone: string | null;
    address: string | null;
    region: string | null;
    encrypted: boolean;
  };
  lines: OrderLineView[];
  matchedBy?: OrderIdKind;
}

export const OrderView = {
  of(order: ChannelOrderEntity, lines: ChannelOrderLineEntity[], now: number, matchedBy?: OrderIdKind): OrderView {
    return {
      id: order.id,
      platform: order.platform,
      platformOrderId: order.platformOrderId,
      erpOrderId: order.erpOrderId ?? null,
      connectionId: order.connectionId,
      status: order.status,
      rawStatus: order.rawStatus,
      createdAt: order.platformCreatedAt,
      updatedAt: order.platformUpdatedAt,
      paidAt: order.paidAt,
      amounts: {
        goodsTotalFen: order.goodsTotalFen,
        discountFen: order.discountFen,
        shippingFeeFen: order.shippingFeeFen,
        paidFen: order.paidFen,
      },
      deadline: {
        at: order.deadlineAt ?? null,
        source: order.deadlineSource ?? null,
        risk: order.status === 'paid' ? riskLevel(order.deadlineAt ?? null, now) : null,
        riskRaised: order.deadlineRisk ?? null,
        holds: order.shipHolds ? order.shipHolds.split(',') : [],
      },
      shippedAt: order.shippedAt ?? null,
      buyer: {
        name: order.buyerName ?? null,
        phone: order.buyerPhone ?? null,
        address: order.buyerAddress ?? null,
        region: order.buyerRegion ?? null,
        encrypted: !!order.buyerEncrypted,
      },
      lines: lines.map((l) => ({
        lineId: l.platformLineId,
        itemId: l.platformItemId,
        skuId: l.platformSkuId,
        outerSkuId: l.outerSkuId,
        merchantSkuId: l.merchantSkuId,
        title: l.title,
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        discountFen: l.discountFen,
        paidFen: l.paidFen,
        refundStatus: l.refundStatus,
        refundedQuantity: l.refundedQuantity,
      })),
      ...(matchedBy ? { matchedBy } : {}),
    };
  },
};
