import type { PlaceOrderInput } from './kuaishou-emulator.store';
import axios, { AxiosInstance } from 'axios';
import type { CountersSnapshot } from '../shared/counters';
import type { FaultRule, PushFaults } from '../shared/fault-injector';

export interface SandboxTokens {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  open_id?: string;
  scopes: string[];
}

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
  skus: { stock: number; price: number; reserveStock?: number; skuNick?: string; relSkuId?: string; specs?: { name: string; value: string }[] }[];
}

/** A buyer's order (quantity defaults to 1). */
export type SandboxOrderInput = Omit<PlaceOrderInput, 'quantity'> & { quantity?: number };

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
  refundIds: string[];
}

export interface SandboxRefund {
  refundId: string;
  oid: string;
  status: number;
  handlingWay: number;
  refundFee: number;
  createTime: number;
  updateTime: number;
}

export interface SandboxRefundInput {
  oid: string;
  /** 10 refund only (default), 1 return + refund, 3 exchange. */
  handlingWay?: number;
  amountFen?: number;
  reason?: string;
  reasonCode?: number;
  /** Overrides the emulator's restock policy for this refund. */
  restock?: boolean;
}

/** A control request the emulator refused (4xx), e.g. `insufficient_stock`. */
export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxControlError';
  }
}

/** Typed client of the Kuaishou emulator's `/__sandbox` control API (tests, demo, benchmarks). */
export class KuaishouSandboxControl {
  private readonly http: AxiosInstance;

  constructor(baseUrl: string) {
    this.http = axios.create({ baseURL: `${baseUrl.replace(/\/$/, '')}/__sandbox`, timeout: 10_000, validateStatus: () => true });
  }

  createShop(input: { name?: string; authorize?: boolean; scopes?: string[] } = {}): Promise<SandboxShop & { tokens?: SandboxTokens }> {
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

  createItem(input: SandboxItemInput): Promise<SandboxItem> {
    return this.request('post', '/items', input);
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
  setSku(itemId: string, skuId: string, patch: { stock?: number; price?: number; reserveStock?: number; reservedForActivity?: number }): Promise<SandboxSku> {
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

  setOrderFlags(oid: string, flags: { holds?: number[]; riskCode?: number; noPromise?: boolean }): Promise<SandboxOrder> {
    return this.request('put', `/orders/${oid}/flags`, flags);
  }

  createRefund(input: SandboxRefundInput): Promise<SandboxRefund> {
    return this.request('post', '/refunds', input);
  }

  settleRefund(refundId: string, outcome: 'succeed' | 'close' | 'refuse'): Promise<SandboxRefund> {
    return this.request('post', `/refunds/${refundId}/${outcome}`, {});
  }

  /** Replaces the fault rules (and merges push faults); `seed` makes a run repeatable. */
  /** `orderReadLagMs`: orders become readable (order APIs, pushes) that long after they took stock (kept by resetFaults). */
  setFaults(input: { rules?: FaultRule[]; push?: Partial<PushFaults>; seed?: number; orderReadLagMs?: number }): Promise<{ rules: FaultRule[]; push: PushFaults }> {
    return this.request('put', '/faults', input);
  }

  resetFaults(): Promise<{ rules: FaultRule[]; push: PushFaults }> {
    return this.request('delete', '/faults');
  }

  advanceClock(ms: number): Promise<{ now: number; offsetMs: number }> {
    return this.request('post', '/clock/advance', { ms });
  }

  clock(): Promise<{ now: number; offsetMs: number }> {
    return this.request('get', '/clock');
  }

  counters(): Promise<CountersSnapshot> {
    return this.request('get', '/counters');
  }

  resetCounters(): Promise<CountersSnapshot> {
    return this.request('post', '/counters/reset', {});
  }

  setPush(input: { url: string | null; retryDelaysMs?: number[]; timeoutMs?: number }): Promise<{ url: string | null; retryDelaysMs: number[]; timeoutMs: number }> {
    return this.request('put', '/push', input);
  }

  heartbeat(encrypted = true): Promise<{ queued: boolean }> {
    return this.request('post', '/push/heartbeat', { encrypted });
  }

  private async request<T>(method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown): Promise<T> {
    const res = await this.http.request<unknown>({ method, url: path, data: body });
    if (res.status >= 400) {
      const error = (res.data ?? {}) as { error?: string; message?: string };
      throw new SandboxControlError(res.status, error.error ?? `http_${res.status}`, error.message ?? `${method.toUpperCase()} ${path} answered ${res.status}`);
    }
    return res.data as T;
  }
}
