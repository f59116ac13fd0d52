import type { FaultRule } from '../shared/fault-injector';
import { SandboxControlClient, SandboxFaultsInput } from '../shared/sandbox-control.client';

export { SandboxControlError } from '../shared/sandbox-control.client';

export interface SandboxShop {
  kdtId: number;
  name: string;
  authorized: boolean;
  /** Present when created with issueTokens: the /auth/token `data` of a fresh grant. */
  tokens?: { access_token: string; expires: number; scope: string; authority_id: string; refresh_token?: string };
}

export interface SandboxSku {
  itemId: string;
  skuId: string;
  itemNo: string;
  stock: number;
  priceFen: number;
}

export interface SandboxItem {
  itemId: string;
  kdtId: number;
  title: string;
  itemNo: string;
  listed: boolean;
  stock: number;
  priceFen: number;
  skus: SandboxSku[];
}

export interface SandboxItemInput {
  kdtId: number;
  title: string;
  desc?: string;
  cid?: number;
  itemNo?: string;
  listed?: boolean;
  /** An item without specs: its price and stock. */
  priceFen?: number;
  stock?: number;
  skus?: { itemNo: string; priceFen: number; stock: number; specs?: { k: string; v: string }[] }[];
}

export interface SandboxCoupon {
  couponId: string;
  kdtId: number;
  title: string;
  valueFen: number;
  preferentialType: 1 | 2;
  discount: number;
  suspended: boolean;
  atLeastFen: number;
  total: number;
  stock: number;
  quota: number;
  totalTake: number;
  totalUsed: number;
  startAt: number;
  endAt: number;
}

export interface SandboxOrder {
  tid: string;
  kdtId: number;
  status: string;
  goodsFen: number;
  discountFen: number;
  postFeeFen: number;
  paymentFen: number;
  couponId?: string;
  refundState: number;
  /** Epoch ms: placed, paid and shipped (the first parcel); null until it happens. */
  created: number;
  payTime: number | null;
  consignTime: number | null;
  lines: {
    oid: string;
    itemId: string;
    skuId: string;
    outerSkuId: string;
    quantity: number;
    priceFen: number;
    shipped: boolean;
  }[];
  /** Parcels shipped: express company id, waybill and the lines in it. */
  deliveries: { expressId: number; expressNo: string; oids: string[] }[];
}

export interface SandboxOrderInput {
  kdtId: number;
  lines: { skuId?: string; itemId?: string; quantity: number }[];
  pay?: boolean;
  couponId?: string;
  postFeeFen?: number;
  buyerMessage?: string;
}

export type SandboxRefundStatus =
  | 'WAIT_SELLER_AGREE'
  | 'WAIT_BUYER_RETURN_GOODS'
  | 'WAIT_SELLER_CONFIRM_GOODS'
  | 'SELLER_REFUSE_BUYER'
  | 'SELLER_REFUSE_BUYER_RETURN_GOODS'
  | 'CLOSED'
  | 'SUCCESS';

export interface SandboxRefund {
  refundId: string;
  tid: string;
  kdtId: number;
  oids: string[];
  status: SandboxRefundStatus;
  refundFeeFen: number;
  returnGoods: boolean;
  restock: boolean;
  itemNum: number;
  created: number;
  modified: number;
}

/** A fault rule; `times` retires it after that many faulted calls. */
export type SandboxFaultRule = FaultRule & { times?: number };

export interface YouzanFaultsInput extends SandboxFaultsInput<SandboxFaultRule> {
  /** item.quantity.update type=1 refuses negative deltas (kept by resetFaults). */
  refuseNegativeIncrement?: boolean;
}

/** Typed client of the Youzan emulator's `/__sandbox` control API (tests, demo, benchmarks). */
export class YouzanSandboxControl extends SandboxControlClient<YouzanFaultsInput> {
  createShop(input: { name?: string; authorize?: boolean; issueTokens?: boolean } = {}): Promise<SandboxShop> {
    return this.request('post', '/shops', input);
  }

  listShops(): Promise<{ kdtId: number; name: string; authorized: boolean; revoked: boolean }[]> {
    return this.request('get', '/shops');
  }

  revokeShop(kdtId: number): Promise<{ kdtId: number; revoked: boolean }> {
    return this.request('post', `/shops/${kdtId}/revoke`);
  }

  authorizeShop(kdtId: number): Promise<{ kdtId: number; authorized: boolean }> {
    return this.request('post', `/shops/${kdtId}/authorize`);
  }

  uploadImage(kdtId: number): Promise<{ imageId: string; url: string }> {
    return this.request('post', '/images', { kdtId });
  }

  createItem(input: SandboxItemInput): Promise<SandboxItem> {
    return this.request('post', '/items', input);
  }

  /** Every item of the shop, as the emulator holds them (to count creates from the platform's side). */
  listShopItems(kdtId: number): Promise<SandboxItem[]> {
    return this.request('get', `/shops/${kdtId}/items`);
  }

  getItem(itemId: string): Promise<SandboxItem> {
    return this.request('get', `/items/${itemId}`);
  }

  getSku(itemId: string, skuId: string): Promise<SandboxSku> {
    return this.request('get', `/items/${itemId}/skus/${skuId}`);
  }

  /** A merchant editing stock or price in the back office. */
  setSku(itemId: string, skuId: string, change: { stock?: number; priceFen?: number }): Promise<SandboxSku> {
    return this.request('put', `/items/${itemId}/skus/${skuId}`, change);
  }

  /** A buyer's order; rejects with SandboxControlError 409 insufficient_stock when the platform's stock is short. */
  placeOrder(input: SandboxOrderInput): Promise<SandboxOrder> {
    return this.request('post', '/orders', input);
  }

  getOrder(tid: string): Promise<SandboxOrder> {
    return this.request('get', `/orders/${tid}`);
  }

  payOrder(tid: string): Promise<SandboxOrder> {
    return this.request('post', `/orders/${tid}/pay`);
  }

  /** The order closes (Youzan's close type 4 = buyer cancelled by default) and its stock comes back. */
  cancelOrder(tid: string, input: { closeType?: number; reason?: string } = {}): Promise<SandboxOrder> {
    return this.request('post', `/orders/${tid}/cancel`, input);
  }

  shipOrder(
    tid: string,
    input: { expressId?: number; expressNo?: string; oids?: string[] } = {},
  ): Promise<SandboxOrder> {
    return this.request('post', `/orders/${tid}/ship`, input);
  }

  /** The buyer confirms receipt: TRADE_SUCCESS. */
  completeOrder(tid: string): Promise<SandboxOrder> {
    return this.request('post', `/orders/${tid}/complete`);
  }

  createRefund(input: {
    tid: string;
    oids?: string[];
    amountFen?: number;
    status?: SandboxRefundStatus;
    returnGoods?: boolean;
    restock?: boolean;
    /** `item_num`: units of the (single) line refunded; default all. */
    itemNum?: number;
  }): Promise<{ refundIds: string[]; order: SandboxOrder }> {
    return this.request('post', '/refunds', input);
  }

  getRefund(refundId: string): Promise<SandboxRefund> {
    return this.request('get', `/refunds/${refundId}`);
  }

  setRefundStatus(
    refundId: string,
    status: SandboxRefundStatus,
  ): Promise<{ refundId: string; status: string; order: SandboxOrder }> {
    return this.request('post', `/refunds/${refundId}/status`, { status });
  }

  createCoupon(input: {
    kdtId: number;
    title?: string;
    valueFen: number;
    atLeastFen?: number;
    total?: number;
    quota?: number;
    startAt?: number;
    endAt?: number;
    description?: string;
  }): Promise<{ couponId: string }> {
    return this.request('post', '/coupons', input);
  }

  listCoupons(kdtId?: number): Promise<SandboxCoupon[]> {
    return this.request('get', `/coupons${kdtId === undefined ? '' : `?kdtId=${kdtId}`}`);
  }

  addCouponStock(couponId: string, add: number): Promise<SandboxCoupon> {
    return this.request('post', `/coupons/${couponId}/stock`, { add });
  }

  sendTestPush(input: { kdtId?: number; type?: string } = {}): Promise<{ msgId: string }> {
    return this.request('post', '/push/test', input);
  }
}
