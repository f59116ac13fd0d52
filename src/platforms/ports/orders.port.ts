import { Platform, ShopRef } from './platform.types';

export type ChannelOrderStatus = 'unpaid' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled';

export interface ChannelPromotion {
  kind: 'coupon' | 'discount' | 'platform_subsidy' | 'points' | 'other';
  name: string;
  discountFen: number;
  bearer?: 'merchant' | 'platform' | 'anchor' | 'other';
  couponId?: string;
  /** Set when the promotion applies to one line only. */
  lineId?: string;
  /** Platform type code, kept as-is for reconciliation. */
  rawType: string;
}

export interface ChannelOrderLine {
  lineId: string;
  itemId: string;
  skuId: string;
  outerItemId?: string;
  outerSkuId?: string;
  title: string;
  quantity: number;
  unitPriceFen: number;
  /** Discounts on this line (item- and allocated order-level). */
  discountFen: number;
  /** What the buyer paid for this line. */
  paidFen: number;
  /** Units shipped so far. */
  shippedQuantity?: number;
  refundStatus?: 'none' | 'in_progress' | 'refunded';
  /**
   * Units a completed refund took off the line before they shipped: they will not ship and are
   * back on sale. Money-only, partial and price-protection refunds take none; returns after
   * shipment come back through the ERP's count. Absent when the read carries no refund detail.
   */
  refundedQuantity?: number;
  /** Presale line: when the platform promised the buyer it ships (Youzan `expect_delivery_time`). */
  presaleShipAt?: number;
}

/**
 * The buyer as the platform delivered them: masked text and ciphertext only, never decrypted here.
 * Absent fields were not delivered (e.g. Kuaishou sends none while delivery is held).
 */
export interface ChannelBuyer {
  name?: string;
  phone?: string;
  address?: string;
  /** Province / city / district as sent (not personal on its own). */
  region?: string;
  /** Platform ciphertexts (Kuaishou `encrypted*`), kept as-is for the platform's own decrypt API. */
  encrypted?: { name?: string; phone?: string; address?: string };
}

export interface ChannelOrder {
  platform: Platform;
  orderId: string;
  status: ChannelOrderStatus;
  /** Platform status as sent, for humans and reconciliation. */
  rawStatus: string;
  createdAt: number;
  updatedAt: number;
  paidAt?: number;
  /** Platform ship-by time, when the platform computes one. */
  shipBy?: number;
  /** A later ship-by the platform approved on the seller's request (Kuaishou delay). */
  delayedShipBy?: number;
  /** Reasons the platform forbids shipping now (empty when none). */
  shipHolds: string[];
  lines: ChannelOrderLine[];
  goodsTotalFen: number;
  discountFen: number;
  shippingFeeFen: number;
  paidFen: number;
  promotions: ChannelPromotion[];
  /** Buyer's message. */
  buyerNote?: string;
  /** Buyer PII exactly as delivered (masked / encrypted). */
  buyer?: ChannelBuyer;
}

export interface OrderQuery {
  since: number;
  until: number;
  by: 'created' | 'updated';
  /** Opaque cursor from the previous page; absent for the first page. */
  cursor?: string;
  pageSize?: number;
}

export interface OrderPage {
  orders: ChannelOrder[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** Orders: the order feed and single-order reads. */
export interface OrdersPort {
  readonly platform: Platform;
  listOrders(shop: ShopRef, query: OrderQuery): Promise<OrderPage>;
  getOrder(shop: ShopRef, orderId: string): Promise<ChannelOrder>;
  /**
   * Platform clock minus ours, from the `Date` header of its latest answer (second resolution);
   * undefined before any.
   */
  clockOffsetMs?(): number | undefined;
}
