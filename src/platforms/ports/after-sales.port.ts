import { Platform, ShopRef } from './platform.types';

export type ChannelRefundStatus = 'requested' | 'in_progress' | 'refused' | 'succeeded' | 'closed';

export interface ChannelRefund {
  refundId: string;
  orderId: string;
  lineIds: string[];
  status: ChannelRefundStatus;
  rawStatus: string;
  kind: 'refund_only' | 'return_and_refund' | 'exchange' | 'other';
  amountFen: number;
  /** Units of the line the refund covers (Kuaishou detail `productNum`, Youzan `item_num`); absent from list reads. */
  quantity?: number;
  /** Kuaishou `specialRefundType` 1: price protection, money back while the goods still ship. */
  priceProtection?: boolean;
  reason?: string;
  createdAt: number;
  updatedAt: number;
}

export interface RefundQuery {
  since: number;
  until: number;
  cursor?: string;
}

export interface RefundPage {
  refunds: ChannelRefund[];
  nextCursor?: string;
}

/** After-sales: refunds and returns. */
export interface AfterSalesPort {
  readonly platform: Platform;
  listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage>;
  getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund>;
}
