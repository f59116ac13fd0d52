import type { StockChangeCause, StockListener } from '../shared/stock-listener';
import { randomBytes } from 'node:crypto';
import { SandboxError } from '../shared/control.errors';
import { EmulatorClock } from '../shared/emulator-clock';
import { compactCst, cstString, yuan } from './youzan-emulator.codec';
import { BusinessError, gw } from './youzan-emulator.errors';

export type AppType = 'tool' | 'self_use' | 'any';

export interface StoreOptions {
  clientId: string;
  clientSecret: string;
  appType: AppType;
  /** Whether type=1 stock updates refuse negative deltas (unconfirmed on the real platform). */
  refuseNegativeIncrement: boolean;
  /** An order is readable (trades.sold.get, trade.get, pushes) only this many ms after it took stock (documented ≥ 30 s). */
  orderReadLagMs: number;
  /** Whether a successful refund returns the refunded units to stock. */
  restockOnRefund: boolean;
  /** How long a rotated-out access token keeps working (docs contradict: 0 or 1 h). */
  oldAccessTokenGraceMs: number;
  refundPushStyle: 'legacy' | 'new';
}

export const ACCESS_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;
export const REFRESH_TOKEN_TTL_MS = 28 * 24 * 3600 * 1000;
export const CODE_TTL_MS = 2 * 60 * 1000;
export const SCOPE = 'multi_store shop item trade logistics coupon_advanced user';

/** The 2020 demo answer of youzan.logistics.express.get (display flags as the demo has them). */
export const EXPRESS_COMPANIES = [
  { id: 1, name: '申通快递', display: 1 },
  { id: 2, name: '圆通速递', display: 1 },
  { id: 3, name: '中通快递', display: 1 },
  { id: 4, name: '韵达快递', display: 1 },
  { id: 5, name: '天天快递', display: 1 },
  { id: 6, name: '百世快递', display: 1 },
  { id: 7, name: '顺丰速运', display: 1 },
  { id: 8, name: '邮政快递包裹', display: 1 },
  { id: 11, name: 'EMS', display: 1 },
  { id: 25, name: '宅急送', display: 0 },
  { id: 28, name: '德邦物流', display: 1 },
  { id: 38, name: '优速快递', display: 0 },
  { id: 40, name: '国通快递', display: 0 },
  { id: 41, name: '其他', display: 0 },
];

export interface Shop {
  kdtId: number;
  name: string;
  authorized: boolean;
  revoked: boolean;
}

interface AccessToken {
  kdtId: number;
  expiresAt: number;
  /** Set when rotated out: the token dies at this time. */
  diesAt?: number;
}

interface RefreshToken {
  kdtId: number;
  expiresAt: number;
  used: boolean;
}

interface AuthCode {
  kdtId: number;
  redirectUri?: string;
  expiresAt: number;
  used: boolean;
}

export interface SpecPair {
  k: string;
  kid: number;
  v: string;
  vid: number;
}

export interface Sku {
  skuId: number;
  itemId: string;
  itemNo: string;
  priceFen: number;
  stock: number;
  soldNum: number;
  specs: SpecPair[];
  created: number;
  modified: number;
}

export interface Item {
  itemId: string;
  kdtId: number;
  alias: string;
  title: string;
  desc: string;
  cid: number;
  itemNo: string;
  priceFen: number;
  /** Stock of an item without specs (an item with SKUs sums them). */
  stock: number;
  soldNum: number;
  listed: boolean;
  imageIds: number[];
  postFeeFen: number;
  skus: Sku[];
  created: number;
  updated: number;
}

export interface OrderLine {
  oid: string;
  itemId: string;
  skuId: number;
  title: string;
  num: number;
  priceFen: number;
  outerItemId: string;
  outerSkuId: string;
  skuPropertiesName: string;
  couponShareFen: number;
  postShareFen: number;
  shipped: boolean;
  /** Units given back to stock (close or refund), at most num. */
  restocked: number;
}

export interface Delivery {
  distId: string;
  expressId: number;
  expressNo: string;
  oids: string[];
  at: number;
}

export interface Order {
  tid: string;
  /** Emulator-clock ms from which the order APIs and pushes show the order (order read lag). */
  visibleAt: number;
  kdtId: number;
  status: 'WAIT_BUYER_PAY' | 'WAIT_SELLER_SEND_GOODS' | 'WAIT_BUYER_CONFIRM_GOODS' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  created: number;
  updated: number;
  payTime?: number;
  consignTime?: number;
  successTime?: number;
  closeType: number;
  closeReason?: string;
  lines: OrderLine[];
  postFeeFen: number;
  coupon?: { groupId: number; code: string; title: string; discountFen: number };
  deliveries: Delivery[];
  refundIds: string[];
  buyerMessage: string;
  memo: string;
  star: number;
}

export type RefundStatus = 'WAIT_SELLER_AGREE' | 'WAIT_BUYER_RETURN_GOODS' | 'WAIT_SELLER_CONFIRM_GOODS' | 'SELLER_REFUSE_BUYER' | 'SELLER_REFUSE_BUYER_RETURN_GOODS' | 'CLOSED' | 'SUCCESS';
export const REFUND_STATUSES: RefundStatus[] = ['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'SELLER_REFUSE_BUYER_RETURN_GOODS', 'CLOSED', 'SUCCESS'];

export interface Refund {
  refundId: string;
  tid: string;
  kdtId: number;
  oids: string[];
  status: RefundStatus;
  refundFeeFen: number;
  returnGoods: boolean;
  reason: number;
  refundType: 'BUYER_APPLY_REFUND' | 'SELLER_REFUND';
  created: number;
  modified: number;
  version: number;
  restock: boolean;
}

export interface Coupon {
  groupId: number;
  kdtId: number;
  title: string;
  valueFen: number;
  atLeastFen: number;
  total: number;
  stock: number;
  quota: number;
  rangeType: 'ALL' | 'PART';
  itemIds: string[];
  startAt: number;
  endAt: number;
  description: string;
  created: number;
  totalTake: number;
  totalUsed: number;
}

export interface PushEvent {
  type: string;
  kdtId: number;
  id: string;
  status: string | null;
  msg: Record<string, unknown>;
  /** youzan_trade_Refund* messages carry msg as an object, the others as a URL-encoded string. */
  msgAsObject?: boolean;
}

export { SandboxError } from '../shared/control.errors';

/** Token endpoint failure: `{success:false, code, data:null, message}`. */
export class TokenError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SkuSeed {
  itemNo: string;
  priceFen: number;
  stock: number;
  specs?: { k: string; v: string }[];
}

export interface ItemSeed {
  kdtId: number;
  title: string;
  desc?: string;
  cid?: number;
  itemNo?: string;
  priceFen?: number;
  stock?: number;
  listed?: boolean;
  imageIds?: number[];
  skus?: SkuSeed[];
}

const BIG_ITEM_ID_BASE = 1436413407076030200n;
const TERMINAL_REFUND: RefundStatus[] = ['CLOSED', 'SUCCESS', 'SELLER_REFUSE_BUYER', 'SELLER_REFUSE_BUYER_RETURN_GOODS'];

/** In-memory state of one emulated Youzan Cloud with its business rules. */
export class YouzanEmulatorStore {
  /** Told of every visible-stock change (benchmarks observe exposure from it). */
  stockListener?: StockListener;
  /** Told each time an order API misses an order that took stock but is not readable yet. */
  readLagListener?: () => void;
  readonly shops = new Map<number, Shop>();
  readonly items = new Map<string, Item>();
  readonly orders = new Map<string, Order>();
  readonly refunds = new Map<string, Refund>();
  readonly coupons = new Map<number, Coupon>();
  readonly images = new Map<number, { kdtId: number; url: string; created: number }>();
  private readonly ordersByShop = new Map<number, Order[]>();
  private readonly skus = new Map<number, Sku>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();
  /** Live silent-grant token per shop (refresh=false hands it out again while valid). */
  private readonly silentTokens = new Map<number, string>();
  private readonly specIds = new Map<string, number>();
  private seq = 0;
  private itemSeq = 0;

  constructor(
    readonly options: StoreOptions,
    readonly clock: EmulatorClock,
    private readonly push: (event: PushEvent) => void,
    /** Whether anyone would receive a push for this shop (building messages costs time in benchmarks). */
    private readonly pushWanted: (kdtId: number) => boolean = () => true,
  ) {}

  private next(): number {
    return ++this.seq;
  }

  // ---- shops and tokens ------------------------------------------------------------------

  createShop(name?: string, authorize = true): Shop {
    const kdtId = 42583152 + this.next();
    const shop: Shop = { kdtId, name: name ?? `有赞沙箱店铺 ${kdtId}`, authorized: authorize, revoked: false };
    this.shops.set(kdtId, shop);
    return shop;
  }

  shop(kdtId: number): Shop {
    const shop = this.shops.get(kdtId);
    if (!shop) throw new SandboxError(404, 'shop_not_found', `no shop ${kdtId}`);
    return shop;
  }

  revokeShop(kdtId: number): void {
    const shop = this.shop(kdtId);
    shop.revoked = true;
    shop.authorized = false;
  }

  authorizeShop(kdtId: number): void {
    const shop = this.shop(kdtId);
    shop.authorized = true;
    shop.revoked = false;
  }

  issueCode(kdtId: number, redirectUri?: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { kdtId, redirectUri, expiresAt: this.clock.now() + CODE_TTL_MS, used: false });
    this.authorizeShop(kdtId);
    return code;
  }

  /** Checks client credentials and that the app type allows this flow. */
  checkClient(clientId: unknown, clientSecret: unknown, flow: 'authorization_code' | 'refresh_token' | 'silent'): void {
    if (clientId !== this.options.clientId) throw new TokenError(1103, 'Client 不存在');
    if (clientSecret !== this.options.clientSecret) throw new TokenError(1000, '应用信息错误(client_secret)');
    const { appType } = this.options;
    if ((flow === 'authorization_code' && appType === 'self_use') || (flow === 'silent' && appType === 'tool')) throw new TokenError(1105, '不支持的应用类型');
  }

  exchangeCode(code: unknown, redirectUri: unknown): Record<string, unknown> {
    const grant = typeof code === 'string' ? this.codes.get(code) : undefined;
    if (!grant || grant.used || grant.expiresAt <= this.clock.now()) throw new TokenError(1005, '非法授权码');
    if (redirectUri !== undefined && grant.redirectUri !== undefined && redirectUri !== grant.redirectUri) throw new TokenError(1103, '授权码与应用回调地址不匹配');
    grant.used = true;
    const shop = this.shop(grant.kdtId);
    if (shop.revoked || !shop.authorized) throw new TokenError(1004, '授权已过期');
    return this.issueTokens(shop.kdtId, true);
  }

  /** Rotation: the presented refresh token dies at once; the old access token after the grace. */
  refresh(refreshToken: unknown): Record<string, unknown> {
    const rt = typeof refreshToken === 'string' ? this.refreshTokens.get(refreshToken) : undefined;
    if (!rt || rt.used) throw new TokenError(1103, '授权关系不存在或 refresh_token 已失效');
    const shop = this.shop(rt.kdtId);
    if (shop.revoked || !shop.authorized || rt.expiresAt <= this.clock.now()) throw new TokenError(1004, '授权已过期');
    rt.used = true;
    this.refreshTokens.delete(refreshToken as string);
    const diesAt = this.clock.now() + this.options.oldAccessTokenGraceMs;
    for (const token of this.accessTokens.values()) if (token.kdtId === rt.kdtId && token.diesAt === undefined) token.diesAt = diesAt;
    return this.issueTokens(rt.kdtId, true);
  }

  silent(grantId: unknown, refresh: unknown): Record<string, unknown> {
    const kdtId = Number(grantId);
    const shop = this.shops.get(kdtId);
    if (!shop) throw new TokenError(1103, '授权关系不存在');
    if (shop.revoked || !shop.authorized) throw new TokenError(1004, '授权已过期');
    const current = this.silentTokens.get(kdtId);
    const live = current ? this.accessTokens.get(current) : undefined;
    if (refresh !== true && current && live && live.expiresAt > this.clock.now() && live.diesAt === undefined) {
      return { access_token: current, expires: live.expiresAt, scope: SCOPE, authority_id: String(kdtId) };
    }
    const tokens = this.issueTokens(kdtId, refresh === true);
    this.silentTokens.set(kdtId, tokens.access_token as string);
    return tokens;
  }

  issueTokens(kdtId: number, withRefresh: boolean): Record<string, unknown> {
    const now = this.clock.now();
    const accessToken = randomBytes(16).toString('hex');
    this.accessTokens.set(accessToken, { kdtId, expiresAt: now + ACCESS_TOKEN_TTL_MS });
    const data: Record<string, unknown> = { access_token: accessToken, expires: now + ACCESS_TOKEN_TTL_MS, scope: SCOPE, authority_id: String(kdtId) };
    if (withRefresh) {
      const refreshToken = randomBytes(16).toString('hex');
      this.refreshTokens.set(refreshToken, { kdtId, expiresAt: now + REFRESH_TOKEN_TTL_MS, used: false });
      data.refresh_token = refreshToken;
    }
    return data;
  }

  /** The gateway's credential check (4201 missing/revoked, 4203 unknown, 4202 expired). */
  shopForToken(token: string | undefined): Shop {
    if (!token) throw gw.tokenMissing();
    const record = this.accessTokens.get(token);
    if (!record) throw gw.tokenUnknown();
    const shop = this.shop(record.kdtId);
    if (shop.revoked) throw gw.shopRevoked();
    const now = this.clock.now();
    if (record.expiresAt <= now || (record.diesAt !== undefined && record.diesAt <= now)) throw gw.tokenExpired();
    return shop;
  }

  // ---- items -----------------------------------------------------------------------------

  uploadImage(kdtId: number): { image_id: number; image_url: string } {
    const id = 1700000000 + this.next();
    const url = `https://img.yzcdn.cn/sandbox/${kdtId}/${id}.jpg`;
    this.images.set(id, { kdtId, url, created: this.clock.now() });
    return { image_id: id, image_url: url };
  }

  private specId(name: string): number {
    let id = this.specIds.get(name);
    if (!id) {
      id = 1000 + this.specIds.size + 1;
      this.specIds.set(name, id);
    }
    return id;
  }

  /** Alternating small and > 2^53 item ids, so clients must parse Longs losslessly. */
  private newItemId(): string {
    const n = ++this.itemSeq;
    return n % 2 === 0 ? String(400000000 + n) : (BIG_ITEM_ID_BASE + BigInt(n)).toString();
  }

  createItem(seed: ItemSeed): Item {
    const now = this.clock.now();
    const itemId = this.newItemId();
    const skus: Sku[] = (seed.skus ?? []).map((s) => ({
      skuId: 36000000 + this.next(),
      itemId,
      itemNo: s.itemNo,
      priceFen: s.priceFen,
      stock: s.stock,
      soldNum: 0,
      specs: (s.specs?.length ? s.specs : [{ k: '规格', v: s.itemNo || '默认' }]).map((p) => ({ k: p.k, kid: this.specId(`k:${p.k}`), v: p.v, vid: this.specId(`v:${p.k}:${p.v}`) })),
      created: now,
      modified: now,
    }));
    const item: Item = {
      itemId,
      kdtId: seed.kdtId,
      alias: randomBytes(6).toString('hex'),
      title: seed.title,
      desc: seed.desc ?? `<p>${seed.title}</p>`,
      cid: seed.cid ?? 0,
      itemNo: seed.itemNo ?? '',
      priceFen: skus.length ? Math.min(...skus.map((s) => s.priceFen)) : (seed.priceFen ?? 1),
      stock: skus.length ? 0 : (seed.stock ?? 0),
      soldNum: 0,
      listed: seed.listed ?? true,
      imageIds: seed.imageIds ?? [],
      postFeeFen: 0,
      skus,
      created: now,
      updated: now,
    };
    this.items.set(itemId, item);
    for (const sku of skus) this.skus.set(sku.skuId, sku);
    return item;
  }

  item(itemId: string, kdtId?: number, code = 122001001): Item {
    const item = this.items.get(itemId);
    if (!item || (kdtId !== undefined && item.kdtId !== kdtId)) throw new BusinessError(code, '商品不存在');
    return item;
  }

  skuOf(item: Item, skuId: number | undefined): Sku | undefined {
    if (skuId === undefined || skuId === 0) {
      if (item.skus.length) throw new BusinessError(123004002, '多规格商品必须指定 sku_id');
      return undefined;
    }
    const sku = item.skus.find((s) => s.skuId === skuId);
    if (!sku) throw new BusinessError(123004002, '商品规格不存在');
    return sku;
  }

  sku(skuId: number): Sku | undefined {
    return this.skus.get(skuId);
  }

  quantity(item: Item): number {
    return item.skus.length ? item.skus.reduce((sum, s) => sum + s.stock, 0) : item.stock;
  }

  /** item.quantity.update 3.0.0: type 0 absolute, 1 incremental; stock may never go below 0. */
  updateQuantity(item: Item, sku: Sku | undefined, quantity: number, type: number): void {
    if (type !== 0 && type !== 1) throw new BusinessError(123000104, `不支持的库存更新类型:${type}`);
    if (!Number.isInteger(quantity)) throw new BusinessError(123000101, '库存必须是整数');
    if (type === 1 && quantity < 0 && this.options.refuseNegativeIncrement) throw new BusinessError(123000106, '增量库存不能为负数');
    const current = sku ? sku.stock : item.stock;
    const target = type === 0 ? quantity : current + quantity;
    if (target < 0) throw new BusinessError(123000103, `库存不能小于0(当前库存${current})`);
    this.setStock(item, sku, target, 'api');
  }

  setStock(item: Item, sku: Sku | undefined, stock: number, cause: StockChangeCause = 'control'): void {
    const now = this.clock.now();
    const before = sku ? sku.stock : item.stock;
    if (sku) {
      sku.stock = stock;
      sku.modified = now;
    } else item.stock = stock;
    item.updated = now;
    if (stock !== before) this.stockListener?.({ at: now, itemId: item.itemId, skuId: sku ? String(sku.skuId) : '0', stock, delta: stock - before, cause });
  }

  setPrice(item: Item, sku: Sku | undefined, priceFen: number): void {
    const now = this.clock.now();
    if (sku) {
      sku.priceFen = priceFen;
      sku.modified = now;
      item.priceFen = Math.min(...item.skus.map((s) => s.priceFen));
    } else item.priceFen = priceFen;
    item.updated = now;
  }

  itemsOf(kdtId: number): Item[] {
    return [...this.items.values()].filter((i) => i.kdtId === kdtId);
  }

  // ---- orders ----------------------------------------------------------------------------

  /**
   * A buyer's order. Stock is deducted when the order is placed (拍下减库存) and the order is
   * refused when any SKU lacks stock, so nothing is deducted in that case.
   */
  placeOrder(input: { kdtId: number; lines: { itemId?: string; skuId?: number; quantity: number }[]; pay?: boolean; couponId?: number; postFeeFen?: number; buyerMessage?: string }): Order {
    const shop = this.shop(input.kdtId);
    if (!input.lines.length) throw new SandboxError(400, 'no_lines', 'an order needs at least one line');
    const resolved = input.lines.map((line) => {
      if (!Number.isInteger(line.quantity) || line.quantity < 1) throw new SandboxError(400, 'bad_quantity', 'quantity must be a positive integer');
      let sku: Sku | undefined;
      let item: Item;
      if (line.skuId !== undefined) {
        sku = this.skus.get(line.skuId);
        if (!sku) throw new SandboxError(404, 'sku_not_found', `no SKU ${line.skuId}`);
        item = this.items.get(sku.itemId) as Item;
      } else {
        const found = line.itemId ? this.items.get(line.itemId) : undefined;
        if (!found) throw new SandboxError(404, 'item_not_found', `no item ${line.itemId}`);
        item = found;
        if (item.skus.length) throw new SandboxError(400, 'sku_required', `item ${item.itemId} has specs: give skuId`);
      }
      if (item.kdtId !== shop.kdtId) throw new SandboxError(404, 'item_not_found', `item ${item.itemId} is not in shop ${shop.kdtId}`);
      if (!item.listed) throw new SandboxError(409, 'item_not_on_sale', `item ${item.itemId} is not on sale`);
      return { item, sku, quantity: line.quantity };
    });
    const need = new Map<string, { available: number; quantity: number }>();
    for (const r of resolved) {
      const key = r.sku ? `s${r.sku.skuId}` : `i${r.item.itemId}`;
      const entry = need.get(key) ?? { available: r.sku ? r.sku.stock : r.item.stock, quantity: 0 };
      entry.quantity += r.quantity;
      need.set(key, entry);
      if (entry.quantity > entry.available) throw new SandboxError(409, 'insufficient_stock', `insufficient stock for ${r.sku ? `SKU ${r.sku.skuId}` : `item ${r.item.itemId}`}: ${entry.available} left, ${entry.quantity} wanted`);
    }
    let coupon: Coupon | undefined;
    if (input.couponId !== undefined) {
      coupon = this.coupons.get(input.couponId);
      if (!coupon || coupon.kdtId !== shop.kdtId) throw new SandboxError(404, 'coupon_not_found', `no coupon ${input.couponId}`);
      if (coupon.stock <= 0) throw new SandboxError(409, 'coupon_exhausted', `coupon ${coupon.groupId} has no stock left`);
      const now = this.clock.now();
      if (now < coupon.startAt || now > coupon.endAt) throw new SandboxError(409, 'coupon_not_active', `coupon ${coupon.groupId} is not active`);
    }

    const now = this.clock.now();
    const lines: OrderLine[] = resolved.map((r) => {
      const sku = r.sku;
      const price = sku ? sku.priceFen : r.item.priceFen;
      this.setStock(r.item, sku, (sku ? sku.stock : r.item.stock) - r.quantity, 'sale');
      if (sku) sku.soldNum += r.quantity;
      r.item.soldNum += r.quantity;
      return {
        oid: (3000000000000000000n + BigInt(this.next())).toString(),
        itemId: r.item.itemId,
        skuId: sku ? sku.skuId : 0,
        title: r.item.title,
        num: r.quantity,
        priceFen: price,
        outerItemId: r.item.itemNo,
        outerSkuId: sku ? sku.itemNo : '',
        skuPropertiesName: sku ? JSON.stringify(sku.specs.map((s) => ({ k: s.k, k_id: s.kid, v: s.v, v_id: s.vid }))) : '',
        couponShareFen: 0,
        postShareFen: 0,
        shipped: false,
        restocked: 0,
      };
    });
    const goods = lines.reduce((sum, l) => sum + l.priceFen * l.num, 0);
    const postFeeFen = input.postFeeFen ?? 0;
    allocate(lines, postFeeFen, goods, (l, share) => (l.postShareFen = share));
    let orderCoupon: Order['coupon'];
    if (coupon && goods >= coupon.atLeastFen) {
      const discount = Math.min(coupon.valueFen, goods);
      allocate(lines, discount, goods, (l, share) => (l.couponShareFen = share));
      coupon.stock--;
      coupon.totalTake++;
      coupon.totalUsed++;
      orderCoupon = { groupId: coupon.groupId, code: randomBytes(6).toString('hex').toUpperCase(), title: coupon.title, discountFen: discount };
    } else if (coupon) {
      throw new SandboxError(409, 'coupon_threshold', `coupon ${coupon.groupId} needs an order of at least ${coupon.atLeastFen} fen`);
    }
    const order: Order = {
      tid: `E${compactCst(now)}${String(this.next()).padStart(9, '0')}`,
      visibleAt: now + this.options.orderReadLagMs,
      kdtId: shop.kdtId,
      status: 'WAIT_BUYER_PAY',
      created: now,
      updated: now,
      closeType: 0,
      lines,
      postFeeFen,
      coupon: orderCoupon,
      deliveries: [],
      refundIds: [],
      buyerMessage: input.buyerMessage ?? '',
      memo: '',
      star: 0,
    };
    this.orders.set(order.tid, order);
    const list = this.ordersByShop.get(shop.kdtId) ?? [];
    list.push(order);
    this.ordersByShop.set(shop.kdtId, list);
    this.emitTrade('trade_TradeCreate', order, order.status, { full: true });
    if (input.pay) this.payOrder(order.tid);
    return order;
  }

  order(tid: string, kdtId?: number, code = 105000016): Order {
    const order = this.orders.get(tid);
    if (!order || (kdtId !== undefined && order.kdtId !== kdtId)) throw new BusinessError(code, code === 5000 ? 'trade not found' : '订单不存在');
    return order;
  }

  ordersOf(kdtId: number): Order[] {
    return this.ordersByShop.get(kdtId) ?? [];
  }

  /** Whether the order APIs can see the order yet (read lag). */
  readable(order: Order): boolean {
    const readable = order.visibleAt <= this.clock.now();
    if (!readable) this.readLagListener?.();
    return readable;
  }

  controlOrder(tid: string): Order {
    const order = this.orders.get(tid);
    if (!order) throw new SandboxError(404, 'order_not_found', `no order ${tid}`);
    return order;
  }

  payOrder(tid: string): Order {
    const order = this.controlOrder(tid);
    if (order.status !== 'WAIT_BUYER_PAY') throw new SandboxError(409, 'not_payable', `order ${tid} is ${order.status}`);
    const now = this.clock.now();
    order.status = 'WAIT_SELLER_SEND_GOODS';
    order.payTime = now;
    order.updated = now;
    this.emitTrade('trade_TradePaid', order, 'TRADE_PAID', { full: true });
    this.emitTrade('trade_TradeBuyerPay', order, order.status, { full: true, delivery: true });
    return order;
  }

  /** Closing an unpaid or unshipped order gives its units back to stock. */
  closeOrder(tid: string, closeType = 4, reason = '买家取消'): Order {
    const order = this.controlOrder(tid);
    if (order.status !== 'WAIT_BUYER_PAY' && order.status !== 'WAIT_SELLER_SEND_GOODS') throw new SandboxError(409, 'not_closable', `order ${tid} is ${order.status}`);
    for (const line of order.lines) if (!line.shipped) this.restock(order, line, line.num - line.restocked);
    this.close(order, closeType, reason);
    return order;
  }

  private close(order: Order, closeType: number, reason: string): void {
    const now = this.clock.now();
    order.status = 'TRADE_CLOSED';
    order.closeType = closeType;
    order.closeReason = reason;
    order.updated = now;
    this.emitTrade('trade_TradeClose', order, order.status, { extra: { close_type: closeType, close_reason: reason } });
  }

  private restock(order: Order, line: OrderLine, units: number): void {
    const give = Math.min(units, line.num - line.restocked);
    if (give <= 0) return;
    line.restocked += give;
    const item = this.items.get(line.itemId);
    if (!item) return;
    const sku = line.skuId ? item.skus.find((s) => s.skuId === line.skuId) : undefined;
    this.setStock(item, sku, (sku ? sku.stock : item.stock) + give, 'restock');
  }

  /** logistics.online.confirm and the back-office ship button. */
  ship(order: Order, expressId: number, expressNo: string, oids?: string[]): { allShipped: boolean; shippedOids: string[] } {
    if (order.status === 'WAIT_BUYER_CONFIRM_GOODS' || order.status === 'TRADE_SUCCESS') throw new BusinessError(102570007, '订单已发货，请勿重复发货');
    if (order.status !== 'WAIT_SELLER_SEND_GOODS') throw new BusinessError(102570020, '订单没有可发货的商品');
    const wanted = oids ?? order.lines.filter((l) => !l.shipped).map((l) => l.oid);
    const lines = wanted.map((oid) => order.lines.find((l) => l.oid === oid));
    if (lines.some((l) => !l)) throw new BusinessError(102570020, '订单没有可发货的商品');
    const toShip = (lines as OrderLine[]).filter((l) => !l.shipped && l.restocked < l.num);
    if (!toShip.length) throw new BusinessError(102570007, '订单已发货，请勿重复发货');
    const now = this.clock.now();
    for (const line of toShip) line.shipped = true;
    order.deliveries.push({ distId: String(800000000 + this.next()), expressId, expressNo, oids: toShip.map((l) => l.oid), at: now });
    order.updated = now;
    const allShipped = order.lines.every((l) => l.shipped || l.restocked >= l.num);
    if (allShipped) {
      order.status = 'WAIT_BUYER_CONFIRM_GOODS';
      order.consignTime = now;
      this.emitTrade('trade_TradeSellerShip', order, order.status, {});
    } else {
      this.emitTrade('trade_TradePartlySellerShip', order, order.status, { extra: { oids: toShip.map((l) => l.oid).join(','), express_id: expressId } });
    }
    return { allShipped, shippedOids: toShip.map((l) => l.oid) };
  }

  confirmOrder(tid: string): Order {
    const order = this.controlOrder(tid);
    if (order.status !== 'WAIT_BUYER_CONFIRM_GOODS') throw new SandboxError(409, 'not_confirmable', `order ${tid} is ${order.status}`);
    const now = this.clock.now();
    order.status = 'TRADE_SUCCESS';
    order.successTime = now;
    order.updated = now;
    this.emitTrade('trade_TradeSuccess', order, order.status, {});
    return order;
  }

  // ---- refunds ---------------------------------------------------------------------------

  createRefund(input: { tid: string; oids?: string[]; amountFen?: number; status?: RefundStatus; returnGoods?: boolean; restock?: boolean; reason?: number }): Refund {
    const order = this.controlOrder(input.tid);
    if (order.status === 'WAIT_BUYER_PAY' || order.status === 'TRADE_CLOSED') throw new SandboxError(409, 'not_refundable', `order ${input.tid} is ${order.status}`);
    const oids = input.oids?.length ? input.oids : order.lines.map((l) => l.oid);
    const lines = oids.map((oid) => order.lines.find((l) => l.oid === oid));
    if (lines.some((l) => !l)) throw new SandboxError(404, 'line_not_found', `order ${input.tid} has no such line`);
    const busy = [...this.refunds.values()].some((r) => r.tid === order.tid && !TERMINAL_REFUND.includes(r.status) && r.oids.some((o) => oids.includes(o)));
    if (busy) throw new SandboxError(409, 'refund_in_progress', 'a refund for these lines is already in progress');
    const maxFen = (lines as OrderLine[]).reduce((sum, l) => sum + linePaymentFen(l), 0);
    const amountFen = input.amountFen ?? maxFen;
    if (!Number.isInteger(amountFen) || amountFen < 1 || amountFen > maxFen) throw new SandboxError(400, 'bad_amount', `refund amount must be 1..${maxFen} fen`);
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
    };
    this.refunds.set(refund.refundId, refund);
    order.refundIds.push(refund.refundId);
    order.updated = now;
    this.emitRefund(refund, this.options.refundPushStyle === 'new' ? 'youzan_trade_RefundCreated' : 'trade_refund_BuyerCreated');
    if (input.status && input.status !== 'WAIT_SELLER_AGREE') this.setRefundStatus(refund.refundId, input.status);
    return refund;
  }

  refund(refundId: string, kdtId?: number): Refund {
    const refund = this.refunds.get(refundId);
    if (!refund || (kdtId !== undefined && refund.kdtId !== kdtId)) throw new BusinessError(103011024, '退款记录不存在');
    return refund;
  }

  /** Moves a refund; SUCCESS gives units back (when restocking) and a full refund closes the order. */
  setRefundStatus(refundId: string, status: RefundStatus): Refund {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new SandboxError(404, 'refund_not_found', `no refund ${refundId}`);
    if (!REFUND_STATUSES.includes(status)) throw new SandboxError(400, 'bad_status', `unknown refund status ${status}`);
    if (TERMINAL_REFUND.includes(refund.status)) throw new SandboxError(409, 'refund_final', `refund ${refundId} is ${refund.status}`);
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
    const modern: Partial<Record<RefundStatus, string>> = { SUCCESS: 'youzan_trade_RefundSuccess', CLOSED: 'youzan_trade_RefundClosed', WAIT_BUYER_RETURN_GOODS: 'youzan_trade_RefundSellerAgree' };
    const type = (this.options.refundPushStyle === 'new' ? modern : legacy)[status];
    if (type) this.emitRefund(refund, type);
    if (status === 'SUCCESS') {
      for (const oid of refund.oids) {
        const line = order.lines.find((l) => l.oid === oid) as OrderLine;
        if (refund.restock) this.restock(order, line, line.num);
      }
      const refundedOids = new Set([...this.refunds.values()].filter((r) => r.tid === order.tid && r.status === 'SUCCESS').flatMap((r) => r.oids));
      if (order.lines.every((l) => refundedOids.has(l.oid)) && order.status !== 'TRADE_CLOSED') this.close(order, 2, '退款成功');
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

  // ---- coupons ---------------------------------------------------------------------------

  addCoupon(input: Omit<Coupon, 'groupId' | 'created' | 'totalTake' | 'totalUsed' | 'stock'>): Coupon {
    const coupon: Coupon = { ...input, groupId: 2000000 + this.next(), stock: input.total, created: this.clock.now(), totalTake: 0, totalUsed: 0 };
    this.coupons.set(coupon.groupId, coupon);
    return coupon;
  }

  // ---- push ------------------------------------------------------------------------------

  private emitTrade(type: string, order: Order, status: string, opts: { full?: boolean; delivery?: boolean; extra?: Record<string, unknown> }): void {
    if (!this.pushWanted(order.kdtId)) return;
    const msg: Record<string, unknown> = { tid: order.tid, update_time: cstString(order.updated), ...(opts.extra ?? {}) };
    if (opts.full) {
      msg.full_order_info = this.fullOrderInfoHook?.(order);
      msg.order_promotion = this.orderPromotionHook?.(order);
      if (opts.delivery) msg.delivery_order = [];
    }
    this.pushAfterReadLag(order, { type, kdtId: order.kdtId, id: order.tid, status, msg });
  }

  /** Pushes about an order are sent no earlier than the order is readable. */
  private pushAfterReadLag(order: Order, event: PushEvent): void {
    const wait = order.visibleAt - this.clock.now();
    if (wait > 0) setTimeout(() => this.push(event), wait).unref();
    else this.push(event);
  }

  private emitRefund(refund: Refund, type: string): void {
    if (!this.pushWanted(refund.kdtId)) return;
    const order = this.orders.get(refund.tid) as Order;
    const asObject = type.startsWith('youzan_trade_Refund');
    const msg: Record<string, unknown> = asObject
      ? { tid: refund.tid, refund_id: refund.refundId, version: refund.version, refunded_fee: yuan(refund.refundFeeFen), refund_type: refund.returnGoods ? 'REFUND_AND_RETURN' : 'REFUND_ONLY' }
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
    this.pushAfterReadLag(order, { type, kdtId: refund.kdtId, id: refund.tid, status: order.status, msg, msgAsObject: asObject });
  }

  /** Set by the API layer so push messages carry the same order structure as trade.get. */
  fullOrderInfoHook?: (order: Order) => unknown;
  orderPromotionHook?: (order: Order) => unknown;
}

/** Final amount of a line: goods − coupon share + postage share. */
export function linePaymentFen(line: OrderLine): number {
  return line.priceFen * line.num - line.couponShareFen + line.postShareFen;
}

/** Splits `amount` over lines in proportion to their goods value; the rounding rest goes to the last line. */
function allocate(lines: OrderLine[], amount: number, goods: number, set: (line: OrderLine, share: number) => void): void {
  let left = amount;
  lines.forEach((line, i) => {
    const share = i === lines.length - 1 ? left : goods > 0 ? Math.floor((amount * line.priceFen * line.num) / goods) : 0;
    set(line, share);
    left -= share;
  });
}

