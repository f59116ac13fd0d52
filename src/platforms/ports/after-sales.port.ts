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
  /** The platform's version of this state, which seller actions must quote (Kuaishou `updateTime`, Youzan `version`). */
  version?: string;
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

/**
 * What the seller does with a buyer's refund: agree (money back), refuse, agree to a return (the buyer
 * sends the goods back first), confirm the returned goods arrived (the refund then completes).
 */
export type RefundAction = 'agree' | 'refuse' | 'agree_return' | 'confirm_received';

export const REFUND_ACTIONS: RefundAction[] = ['agree', 'refuse', 'agree_return', 'confirm_received'];

export interface RefundActionInput {
  action: RefundAction;
  /** The refund as just read from the platform: its id, amount, state and version. */
  refund: ChannelRefund;
  /** refuse: why (Kuaishou `rejectDesc`, Youzan `remark`). */
  reason?: string;
  /** refuse on Kuaishou: a code from `open.refund.reject.reason`. */
  reasonCode?: number;
  /** agree_return on Youzan: where the goods go back to. */
  returnAddress?: { name: string; mobile: string; address: string };
  /** agree_return on Kuaishou: an address id from `open.address.seller.list` (else the shop's default). */
  returnAddressId?: string;
}

/** A reason code a seller may refuse a refund with, as the platform lists it. */
export interface RefusalReason {
  code: number;
  text: string;
}

/** A return address kept in the shop on the platform. */
export interface ShopReturnAddress {
  addressId: string;
  name: string;
  mobile: string;
  address: string;
  isDefault: boolean;
}

/** After-sales: refunds and returns. */
export interface AfterSalesPort {
  readonly platform: Platform;
  listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage>;
  getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund>;
  /** The seller actions the platform offers for a refund in its current state. */
  actionsFor(refund: ChannelRefund): RefundAction[];
  /**
   * The reason codes the platform takes to refuse this refund; null when it takes a free-text
   * remark only (Youzan `refund.refuse` has `remark`, no code).
   */
  refusalReasons(shop: ShopRef, refund: ChannelRefund): Promise<RefusalReason[] | null>;
  /**
   * The shop's return addresses kept on the platform; null when the platform keeps none the API can
   * read (Youzan: the address is given with each `returngoods.agree`).
   */
  returnAddresses(shop: ShopRef): Promise<ShopReturnAddress[] | null>;
  /** One seller action, sent once (a write: never retried blindly). */
  act(shop: ShopRef, input: RefundActionInput): Promise<void>;
}
