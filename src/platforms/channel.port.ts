import { Carrier } from './carriers';

/**
 * What the domain may ask of a platform, in domain terms: money in integer fen, ids as strings,
 * times as epoch ms. Platform field names never leave src/platforms/.
 */
export type Platform = 'kuaishou' | 'youzan';
export const PLATFORMS: readonly Platform[] = ['kuaishou', 'youzan'];

export const CHANNELS = Symbol('CHANNELS');
export const TOKEN_PROVIDER = Symbol('TOKEN_PROVIDER');

/** The shop a call is made for. */
export interface ShopRef {
  platform: Platform;
  /** Our shop-connection id: the token provider's key. */
  connectionId: string;
  /** Kuaishou open_id / Youzan kdt_id. */
  shopId: string;
}

/** Implemented by accounts; the clients never store tokens. */
export interface TokenProvider {
  accessToken(shop: ShopRef): Promise<string>;
  /**
   * The platform rejected `rejectedToken` as expired: refresh (once for all concurrent callers)
   * and return the new token. Throws PlatformError AUTH_REVOKED when the grant is gone.
   */
  refreshAfterExpiry(shop: ShopRef, rejectedToken: string): Promise<string>;
}

export interface ChannelCategory {
  id: string;
  parentId: string | null;
  name: string;
  leaf: boolean;
  /** Whether this shop may list in it (when the platform says). */
  open?: boolean;
}

export type PropertyInputType = 'single' | 'multi' | 'text' | 'number' | 'date' | 'image' | 'other';

export interface ChannelCategoryProperty {
  id: string;
  name: string;
  required: boolean;
  inputType: PropertyInputType;
  maxValues?: number;
  /** Whether free text is accepted besides the listed values. */
  customInput?: boolean;
  values: { id: string; name: string }[];
}

export interface SpecValue {
  name: string;
  value: string;
  imageUrl?: string;
}

export interface ChannelSkuDraft {
  /** Merchant SKU code; comes back on orders as the line's outer SKU id. */
  outerSkuId: string;
  specs: SpecValue[];
  priceFen: number;
  marketPriceFen?: number;
  stock: number;
}

export interface PropertyValueInput {
  propertyId: string;
  valueIds?: string[];
  text?: string;
}

export interface ChannelItemDraft {
  outerItemId: string;
  title: string;
  categoryId: string;
  description: string;
  imageUrls: string[];
  properties: PropertyValueInput[];
  skus: ChannelSkuDraft[];
  /** Promise to ship within 24 or 48 hours of payment. */
  shipWithinHours?: 24 | 48;
  onShelf?: boolean;
  /** Platform-specific settings (freight template, refund rule…) by name. */
  extras?: Record<string, string | number | boolean>;
}

export interface ChannelItemRef {
  itemId: string;
  skus: { skuId: string; outerSkuId: string }[];
}

export interface ChannelSku {
  skuId: string;
  outerSkuId?: string;
  specs: SpecValue[];
  priceFen: number;
  stock: number;
  /** Stock held for platform activities; writes may not go below it (Kuaishou). */
  reservedStock?: number;
}

export interface ChannelItem {
  itemId: string;
  outerItemId?: string;
  title: string;
  categoryId: string;
  onShelf: boolean;
  /** Platform audit state of the listing, normalized. */
  audit?: 'pending' | 'approved' | 'rejected' | 'needs_changes';
  auditReason?: string;
  skus: ChannelSku[];
  updatedAt: number;
}

export interface ItemPatch {
  title?: string;
  description?: string;
  imageUrls?: string[];
  properties?: PropertyValueInput[];
  skus?: { skuId: string; priceFen?: number; marketPriceFen?: number; outerSkuId?: string }[];
}

export interface SkuRef {
  itemId: string;
  skuId: string;
}

/** A stock write either applied, or its outcome is unknown and must be settled by reading back. */
export type StockWriteResult = { outcome: 'applied' } | { outcome: 'unknown'; reason: string };

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
  /** Reasons the platform forbids shipping now (empty when none). */
  shipHolds: string[];
  lines: ChannelOrderLine[];
  goodsTotalFen: number;
  discountFen: number;
  shippingFeeFen: number;
  paidFen: number;
  promotions: ChannelPromotion[];
  /** Buyer's message; PII (name, phone, address) stays masked/encrypted and is not mapped. */
  buyerNote?: string;
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

export interface ShipmentInput {
  orderId: string;
  carrier: Carrier;
  trackingNo: string;
  /** Partial shipment of these lines (Youzan); absent ships the whole order. */
  lineIds?: string[];
}

export type ChannelRefundStatus = 'requested' | 'in_progress' | 'refused' | 'succeeded' | 'closed';

export interface ChannelRefund {
  refundId: string;
  orderId: string;
  lineIds: string[];
  status: ChannelRefundStatus;
  rawStatus: string;
  kind: 'refund_only' | 'return_and_refund' | 'exchange' | 'other';
  amountFen: number;
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

export interface ChannelCoupon {
  couponId: string;
  name: string;
  discountFen: number;
  thresholdFen: number;
  totalStock: number;
  perBuyerLimit: number;
  startsAt: number;
  endsAt: number;
  status: 'pending' | 'active' | 'ended' | 'deleted';
  itemIds?: string[];
}

export interface CouponDraft {
  name: string;
  discountFen: number;
  thresholdFen: number;
  totalStock: number;
  perBuyerLimit: number;
  startsAt: number;
  endsAt: number;
  /** Limit to these platform items; absent = whole shop. */
  itemIds?: string[];
  /** Same key, same coupon: safe to repeat. */
  idempotencyKey: string;
}

export interface CouponUsage {
  couponId: string;
  issued: number;
  used: number;
  discountGivenFen?: number;
}

export interface ChannelCapabilities {
  /** Absolute stock writes exist (Youzan natively; Kuaishou only through an audited item edit). */
  absoluteStockWrite: boolean;
  /** Ship-by time is provided by the platform on each order. */
  platformShipBy: boolean;
}

export interface ChannelPort {
  readonly platform: Platform;
  readonly capabilities: ChannelCapabilities;

  getCategories(shop: ShopRef): Promise<ChannelCategory[]>;
  getCategoryProperties(shop: ShopRef, categoryId: string): Promise<ChannelCategoryProperty[]>;

  createItem(shop: ShopRef, draft: ChannelItemDraft): Promise<ChannelItemRef>;
  editItem(shop: ShopRef, itemId: string, patch: ItemPatch): Promise<void>;
  getItem(shop: ShopRef, itemId: string): Promise<ChannelItem>;
  listItems(shop: ShopRef, page: { page: number; pageSize: number }): Promise<{ items: ChannelItem[]; total: number }>;
  setShelfStatus(shop: ShopRef, itemId: string, onShelf: boolean): Promise<void>;

  getSkuStock(shop: ShopRef, sku: SkuRef): Promise<number>;
  /** Relative change; never blindly retried after an ambiguous failure. */
  adjustSkuStock(shop: ShopRef, sku: SkuRef, delta: number, operationId: string): Promise<StockWriteResult>;
  setSkuStock(shop: ShopRef, sku: SkuRef, quantity: number, operationId: string): Promise<StockWriteResult>;
  setSkuPrice(shop: ShopRef, sku: SkuRef, priceFen: number): Promise<void>;

  listOrders(shop: ShopRef, query: OrderQuery): Promise<OrderPage>;
  getOrder(shop: ShopRef, orderId: string): Promise<ChannelOrder>;
  shipOrder(shop: ShopRef, shipment: ShipmentInput): Promise<void>;

  /** Platform clock minus ours, from the `Date` header of its latest answer (second resolution); undefined before any. */
  clockOffsetMs?(): number | undefined;

  listRefunds(shop: ShopRef, query: RefundQuery): Promise<RefundPage>;
  getRefund(shop: ShopRef, refundId: string): Promise<ChannelRefund>;

  listCoupons(shop: ShopRef, page: { page: number; pageSize: number }): Promise<{ coupons: ChannelCoupon[]; total: number }>;
  createCoupon(shop: ShopRef, draft: CouponDraft): Promise<{ couponId: string }>;
  getCouponUsage(shop: ShopRef, couponId: string): Promise<CouponUsage>;
}

/** Channels by platform. */
export interface ChannelRegistry {
  get(platform: Platform): ChannelPort;
}

export interface TokenGrant {
  shopId: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
  scopes: string[];
  shopName?: string;
}

/** OAuth of one platform (authorize URL, code exchange, refresh with rotation). */
export interface PlatformOAuthClient {
  readonly platform: Platform;
  /** Scopes the service needs; a grant missing one is refused. */
  readonly requiredScopes: string[];
  authorizeUrl(input: { state: string; redirectUri: string }): string;
  exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
  /** Self-built apps without a browser grant (Youzan `authorize_type=silent`, grant id = kdt_id). */
  silentGrant?(shopId: string): Promise<TokenGrant>;
}

export const OAUTH_CLIENTS = Symbol('OAUTH_CLIENTS');

export type PushKind = 'heartbeat' | 'order' | 'refund' | 'item' | 'other';

/** A platform push in domain terms. */
export interface ChannelPushEvent {
  platform: Platform;
  /** Platform message id (dedupe key). */
  eventId: string;
  kind: PushKind;
  /** Platform event name as sent. */
  rawType: string;
  shopId?: string;
  orderId?: string;
  refundId?: string;
  itemId?: string;
  status?: string;
  occurredAt: number;
}

export interface PushRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** Thrown for a push that fails its signature/decryption or cannot be parsed. */
export class PushRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushRejectedError';
  }
}

export interface PushParser {
  readonly platform: Platform;
  /** Verifies and decodes one request; may hold several events (tolerated batches). */
  parse(request: PushRequest): ChannelPushEvent[];
  /** The body the platform expects as acknowledgement. */
  readonly ackBody: string;
}

export const PUSH_PARSERS = Symbol('PUSH_PARSERS');
