import { SandboxControlClient, SandboxFaultsInput } from '../shared/sandbox-control.client';
import type { PlaceOrderInput, RefundInput } from './kuaishou-emulator.model';
import type { KsTokenAnswer } from './kuaishou-oauth.store';

export { SandboxControlError } from '../shared/sandbox-control.client';

/** The token answer of a grant made through the control API (as `/oauth2/access_token` answers it). */
export type SandboxTokens = Omit<KsTokenAnswer, 'result' | 'token_type'>;

export interface SandboxShop {
  openId: string;
  sellerId: string;
  name: string;
  expressTemplateId: string;
}

export interface SandboxSku {
  skuId: string;
  relSkuId?: string;
  skuNick: string;
  stock: number;
  price: number;
  reserveStock: number;
  marketPrice: number | null;
}

export interface SandboxItem {
  itemId: string;
  openId: string;
  relItemId: string;
  title: string;
  categoryId: number;
  onShelf: boolean;
  auditStatus: number;
  duplicationStatus: number | null;
  onlineEdited: boolean;
  updateTime: number;
  skus: SandboxSku[];
}

export interface SandboxItemInput {
  openId: string;
  title?: string;
  categoryId?: number;
  /** Item promise in seconds (86400 / 172800); drives validPromiseShipmentTimeStamp. */
  promiseSeconds?: number;
  onShelf?: boolean;
  relItemId?: string;
  skus: {
    stock: number;
    price: number;
    reserveStock?: number;
    skuNick?: string;
    relSkuId?: string;
    specs?: { name: string; value: string }[];
  }[];
}

/** A buyer's order (quantity defaults to 1). */
export type SandboxOrderInput = Omit<PlaceOrderInput, 'quantity'> & { quantity?: number };

export interface SandboxCoupon {
  couponId: string;
  openId: string;
  name: string;
  reduceAmount: number;
  threshold: number;
  totalStock: number;
  receivePerLimit: number;
  /** Ended by open.promotion.coupon.over. */
  ended: boolean;
  received: number;
  used: number;
  usedAmount: number;
  receiveStartTime: number;
  receiveEndTime: number;
}

export interface SandboxOrder {
  oid: string;
  openId: string;
  status: number;
  itemId: string;
  skuId: string;
  quantity: number;
  priceFen: number;
  merchantDiscountFen: number;
  platformDiscountFen: number;
  couponId: string | null;
  expressFee: number;
  createTime: number;
  updateTime: number;
  payTime: number;
  validPromiseShipmentTimeStamp: number;
  holds: number[];
  logistics: { logisticsId: string; expressNo: string; expressCode: number }[];
  /** Units shipped so far (split deliveries add up; the order ships when it reaches quantity). */
  deliveryNum: number;
  refundIds: string[];
}

export interface SandboxRefund {
  refundId: string;
  oid: string;
  status: number;
  handlingWay: number;
  refundFee: number;
  productNum: number;
  specialRefundType: number;
  createTime: number;
  updateTime: number;
}

export type SandboxRefundInput = RefundInput;

/** How a test settles a refund: the buyer's refund succeeds, the buyer closes it, or the merchant refuses it. */
export type SandboxRefundStatus = 'succeed' | 'close' | 'refuse';

/** Typed client of the Kuaishou emulator's `/__sandbox` control API (tests, demo, benchmarks). */
export class KuaishouSandboxControl extends SandboxControlClient<SandboxFaultsInput> {
  createShop(
    input: { name?: string; authorize?: boolean; scopes?: string[] } = {},
  ): Promise<SandboxShop & { tokens?: SandboxTokens }> {
    return this.request('post', '/shops', input);
  }

  listShops(): Promise<SandboxShop[]> {
    return this.request('get', '/shops');
  }

  /** Grants the app on this shop without the browser flow. */
  authorizeShop(openId: string, scopes?: string[]): Promise<SandboxTokens> {
    return this.request('post', `/shops/${openId}/authorize`, { scopes });
  }

  /** Closes leaf categories for this merchant and sets its daily cap of category suggestions. */
  setShopCatalog(
    openId: string,
    input: { closedCategoryIds?: number[]; suggestDailyCap?: number },
  ): Promise<{ closedCategoryIds: number[]; suggestDailyCap: number; suggestedToday: number }> {
    return this.request('put', `/shops/${openId}/catalog`, input);
  }

  revokeShop(openId: string): Promise<{ revoked: number }> {
    return this.request('post', `/shops/${openId}/revoke`, {});
  }

  listCoupons(openId?: string): Promise<SandboxCoupon[]> {
    return this.request('get', `/coupons${openId ? `?openId=${encodeURIComponent(openId)}` : ''}`);
  }

  /** A shop coupon made in the back office (not through the open API), claimable from today for `days` days. */
  createCoupon(input: {
    openId: string;
    name: string;
    reduceAmount: number;
    threshold?: number;
    totalStock?: number;
    days?: number;
    itemIds?: string[];
  }): Promise<SandboxCoupon> {
    return this.request('post', '/coupons', input);
  }

  addCouponStock(couponId: string, add: number): Promise<SandboxCoupon> {
    return this.request('post', `/coupons/${couponId}/stock`, { add });
  }

  createItem(input: SandboxItemInput): Promise<SandboxItem> {
    return this.request('post', '/items', input);
  }

  /** Every item of the shop, as the emulator holds them (to count creates from the platform's side). */
  listShopItems(openId: string): Promise<SandboxItem[]> {
    return this.request('get', `/shops/${openId}/items`);
  }

  getItem(itemId: string): Promise<SandboxItem> {
    return this.request('get', `/items/${itemId}`);
  }

  updateItem(itemId: string, patch: { onShelf?: boolean; onlineEdited?: boolean }): Promise<SandboxItem> {
    return this.request('put', `/items/${itemId}`, patch);
  }

  auditItem(itemId: string, approve: boolean, reason?: string): Promise<SandboxItem> {
    return this.request('post', `/items/${itemId}/audit`, { approve, reason });
  }

  getSku(itemId: string, skuId: string): Promise<SandboxSku> {
    return this.request('get', `/items/${itemId}/skus/${skuId}`);
  }

  /** The merchant edits the SKU in the Kuaishou back office (absolute values). */
  /** `reservedForActivity` (alias of `reserveStock`): units held for a platform activity; API decreases below it are refused with result 21. */
  setSku(
    itemId: string,
    skuId: string,
    patch: { stock?: number; price?: number; reserveStock?: number; reservedForActivity?: number },
  ): Promise<SandboxSku> {
    return this.request('put', `/items/${itemId}/skus/${skuId}`, patch);
  }

  /** A buyer order; rejects with SandboxControlError `insufficient_stock` when the platform's stock is short. */
  placeOrder(input: SandboxOrderInput): Promise<SandboxOrder> {
    return this.request('post', '/orders', input);
  }

  getOrder(oid: string): Promise<SandboxOrder> {
    return this.request('get', `/orders/${oid}`);
  }

  payOrder(oid: string): Promise<SandboxOrder> {
    return this.request('post', `/orders/${oid}/pay`, {});
  }

  cancelOrder(oid: string): Promise<SandboxOrder> {
    return this.request('post', `/orders/${oid}/cancel`, {});
  }

  shipOrder(oid: string, input: { expressCode?: number; expressNo?: string } = {}): Promise<SandboxOrder> {
    return this.request('post', `/orders/${oid}/ship`, input);
  }

  receiveOrder(oid: string): Promise<SandboxOrder> {
    return this.request('post', `/orders/${oid}/receive`, {});
  }

  completeOrder(oid: string): Promise<SandboxOrder> {
    return this.request('post', `/orders/${oid}/complete`, {});
  }

  setOrderFlags(
    oid: string,
    flags: { holds?: number[]; riskCode?: number; noPromise?: boolean },
  ): Promise<SandboxOrder> {
    return this.request('put', `/orders/${oid}/flags`, flags);
  }

  createRefund(input: SandboxRefundInput): Promise<SandboxRefund> {
    return this.request('post', '/refunds', input);
  }

  getRefund(refundId: string): Promise<SandboxRefund> {
    return this.request('get', `/refunds/${refundId}`);
  }

  /** The buyer sends the goods back after the seller agreed to a return (status 30 → 40). */
  buyerReturned(refundId: string): Promise<SandboxRefund> {
    return this.request('post', `/refunds/${refundId}/return`);
  }

  setRefundStatus(refundId: string, status: SandboxRefundStatus): Promise<SandboxRefund> {
    return this.request('post', `/refunds/${refundId}/status`, { status });
  }

  /** Kuaishou's test message, a heartbeat `{"test":true}`, encrypted (default) or plain. */
  sendTestPush(input: { encrypted?: boolean } = {}): Promise<{ queued: boolean }> {
    return this.request('post', '/push/test', input);
  }
}
