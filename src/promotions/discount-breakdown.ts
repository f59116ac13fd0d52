import type { ChannelOrder, ChannelPromotion } from '../platforms/ports/orders.port';
import type { Platform } from '../platforms/ports/platform.types';

export const FUNDERS = ['merchant', 'platform', 'anchor', 'other', 'unknown'] as const;
export type Funder = (typeof FUNDERS)[number];

export interface DiscountPart {
  funder: Funder;
  kind: ChannelPromotion['kind'];
  name: string;
  /** The platform's own type code, kept as sent. */
  rawType: string;
  discountFen: number;
  couponId?: string;
  lineId?: string;
  /** False when the platform's type or bearer is one the adapter does not know. */
  known: boolean;
}

export interface DiscountBreakdown {
  platform: Platform;
  orderId: string;
  createdAt: number;
  goodsTotalFen: number;
  discountFen: number;
  shippingFeeFen: number;
  paidFen: number;
  byFunder: Record<Funder, number>;
  parts: DiscountPart[];
  unknownParts: number;
  /** Every way the parts and the totals disagree; empty when they reconcile. */
  mismatches: string[];
}

/**
 * Splits an order's discounts by who funds them and checks them against the order's totals:
 * goods − discounts + freight = paid, and the parts add up to the order's discount. A mismatch is
 * reported, never rounded away.
 */
export function breakDown(order: ChannelOrder): DiscountBreakdown {
  const byFunder = Object.fromEntries(FUNDERS.map((f) => [f, 0])) as Record<Funder, number>;
  const parts = order.promotions.map((p): DiscountPart => {
    const funder: Funder = p.bearer ?? 'unknown';
    byFunder[funder] += p.discountFen;
    return {
      funder,
      kind: p.kind,
      name: p.name,
      rawType: p.rawType,
      discountFen: p.discountFen,
      ...(p.couponId ? { couponId: p.couponId } : {}),
      ...(p.lineId ? { lineId: p.lineId } : {}),
      known: p.kind !== 'other' && p.bearer !== undefined,
    };
  });
  const mismatches: string[] = [];
  const expectedPaid = order.goodsTotalFen - order.discountFen + order.shippingFeeFen;
  if (expectedPaid !== order.paidFen)
    mismatches.push(
      `goods ${order.goodsTotalFen} − discounts ${order.discountFen} + freight ${order.shippingFeeFen} = ${expectedPaid}, but the buyer paid ${order.paidFen}`,
    );
  const partsTotal = parts.reduce((sum, p) => sum + p.discountFen, 0);
  if (partsTotal !== order.discountFen)
    mismatches.push(`the discount parts add up to ${partsTotal}, the order's discount is ${order.discountFen}`);
  return {
    platform: order.platform,
    orderId: order.orderId,
    createdAt: order.createdAt,
    goodsTotalFen: order.goodsTotalFen,
    discountFen: order.discountFen,
    shippingFeeFen: order.shippingFeeFen,
    paidFen: order.paidFen,
    byFunder,
    parts,
    unknownParts: parts.filter((p) => !p.known).length,
    mismatches,
  };
}
