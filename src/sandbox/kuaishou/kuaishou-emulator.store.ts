import type { StockChangeCause, StockListener } from '../shared/stock-listener';
import { SeededRandom } from '../shared/random';
import { EmulatorClock } from '../shared/emulator-clock';
import { KuaishouCatalog, KsCatalogProp } from './kuaishou-emulator.catalog';
import { ksError } from './kuaishou-emulator.errors';
import { long, ParamReader } from './kuaishou-emulator.json';

export interface KsShop {
  openId: string;
  sellerId: string;
  name: string;
  expressTemplateId: string;
  createdToday: { day: number; count: number };
  usedRelItemIds: Set<string>;
  /** Leaf categories this merchant may not list in (`open: false` in open.item.category.optional.get). */
  closedCategoryIds: Set<number>;
  /** open.item.category.suggested.get calls today and this shop's daily cap. */
  suggestedToday: { day: number; count: number };
  suggestDailyCap: number;
}

export interface KsSkuPropValue {
  propName: string;
  propValueName: string;
  imageUrl?: string;
  isMainProp: number;
  propVersion: number;
}

export interface KsSku {
  kwaiSkuId: string;
  relSkuId: string;
  skuNick: string;
  stock: number;
  price: number;
  marketPrice?: number;
  reserveStock: number;
  props: KsSkuPropValue[];
  createTime: number;
  updateTime: number;
}

export interface KsItemProp {
  propId: number;
  propName: string;
  inputType: string;
  valueIds: number[];
  text?: string;
}

export interface KsItemRecord {
  kwaiItemId: string;
  openId: string;
  relItemId: string;
  title: string;
  categoryId: number;
  details: string;
  imageUrls: string[];
  detailImageUrls: string[];
  refundRule: string;
  promiseSeconds: number;
  expressTemplateId: string;
  props: KsItemProp[];
  auditStatus: number;
  auditReason: string;
  duplicationStatus?: number;
  /** Edits of audited fields waiting for approval (manual audit mode). */
  pendingEdit?: { title?: string; details?: string; imageUrls?: string[]; props?: KsItemProp[] };
  shelf: number;
  shelfOnApproval: boolean;
  onlineEdited: boolean;
  createTime: number;
  updateTime: number;
  skus: KsSku[];
}

export interface KsOrderRecord {
  oid: string;
  /** Emulator-clock ms from which the order APIs and pushes show the order (order read lag). */
  visibleAt: number;
  openId: string;
  buyerOpenId: string;
  status: number;
  createTime: number;
  updateTime: number;
  payTime: number;
  sendTime: number;
  recvTime: number;
  refundTime: number;
  kwaiItemId: string;
  kwaiSkuId: string;
  num: number;
  price: number;
  merchantDiscount: number;
  platformDiscount: number;
  couponId?: string;
  expressFee: number;
  promiseSeconds: number;
  validPromise: number;
  noPromise: boolean;
  holds: number[];
  riskCode: number;
  remark: string;
  logistics: { logisticsId: string; expressNo: string; expressCode: number }[];
  deliveryNum: number;
  refundIds: string[];
}

export interface KsRefundRecord {
  refundId: string;
  oid: string;
  openId: string;
  handlingWay: number;
  refundFee: number;
  status: number;
  negotiateStatus: number;
  reasonCode: number;
  reasonDesc: string;
  createTime: number;
  updateTime: number;
  endTime: number;
  expireTime: number;
  restock?: boolean;
  shippedAtRequest: boolean;
}

export interface KsCouponRecord {
  couponId: string;
  openId: string;
  outerUniqueKey: string;
  name: string;
  couponTargetType: number;
  itemIds: string[];
  reduceAmount: number;
  threshold: number;
  totalStock: number;
  receivePerLimit: number;
  receiveStartTime: number;
  receiveEndTime: number;
  validityType: number;
  validStartTime: number;
  validEndTime: number;
  fixedValidityTime: number;
  receiveChannel: string;
  ended: boolean;
  deleted: boolean;
  createTime: number;
  updateTime: number;
  received: number;
  used: number;
  usedAmount: number;
}

export type KsEventName =
  | 'kwaishop_order_addOrder'
  | 'kwaishop_order_paySuccess'
  | 'kwaishop_order_delivering'
  | 'kwaishop_order_deliverySuccess'
  | 'kwaishop_order_orderSuccess'
  | 'kwaishop_order_orderFail'
  | 'kwaishop_aftersales_addRefund'
  | 'kwaishop_aftersales_updateRefund';

export interface KsStoreEvent {
  event: KsEventName;
  openId: string;
  sellerId: string;
  bizId: string;
  info: Record<string, unknown>;
}

/** A refused control-API request (answered with an HTTP status, not a platform envelope). */
export class SandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export interface KsStoreOptions {
  auditMode: 'auto' | 'manual';
  refundRestock: 'unshipped' | 'always' | 'never';
  dailyItemCreateLimit: number;
  /** Per-merchant daily cap of open.item.category.suggested.get (the real number is unpublished). */
  suggestDailyCap: number;
  /** An order is readable (order APIs, pushes) only this many ms after it took stock. */
  orderReadLagMs: number;
}

export interface PlaceOrderInput {
  itemId: string;
  skuId: string;
  quantity: number;
  pay?: boolean;
  couponId?: string;
  openId?: string;
  buyerOpenId?: string;
  expressFee?: number;
  platformDiscountFen?: number;
  holds?: number[];
  riskCode?: number;
  noPromise?: boolean;
  buyerNote?: string;
}

const DAY_MS = 86_400_000;
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
export const KS_MAX_STOCK = 9_999_999;
const MAX_PRICE_FEN = 9_999_999;
const TWO_POW_53 = 9_007_199_254_740_992n;

/** expressCode values of the static table (sheet §3.9); the emulator keeps its own copy. */
const EXPRESS_CODES = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 61,
  62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113,
  114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 147, 153, 1001, 1002, 1003, 1004, 1005, 1007, 1008, 9999, 19999,
]);

/**
 * The emulated shops and everything in them, with Kuaishou's rules: incremental stock with a
 * reserve floor, listing validation, the order state machine, refunds and coupons.
 */
export class KuaishouEmulatorStore {
  /** Told of every visible-stock change (benchmarks observe exposure from it). */
  stockListener?: StockListener;
  /** Told each time an order API misses an order that took stock but is not readable yet. */
  readLagListener?: () => void;
  readonly shops = new Map<string, KsShop>();
  readonly items = new Map<string, KsItemRecord>();
  readonly orders = new Map<string, KsOrderRecord>();
  readonly refunds = new Map<string, KsRefundRecord>();
  readonly coupons = new Map<string, KsCouponRecord>();
  private readonly ordersByShop = new Map<string, KsOrderRecord[]>();
  private readonly refundsByShop = new Map<string, KsRefundRecord[]>();
  private readonly couponKeys = new Map<string, string>();
  private readonly waybillOwners = new Map<string, string>();
  private readonly listeners: ((event: KsStoreEvent) => void)[] = [];
  private seq = 0;

  constructor(
    readonly catalog: KuaishouCatalog,
    private readonly clock: EmulatorClock,
    private readonly random: SeededRandom,
    private readonly options: KsStoreOptions,
  ) {}

  onEvent(listener: (event: KsStoreEvent) => void): void {
    this.listeners.push(listener);
  }

  // ---- shops ------------------------------------------------------------------------------

  createShop(name?: string): KsShop {
    const n = ++this.seq;
    const openId = Array.from({ length: 32 }, () => this.random.int(0, 15).toString(16)).join('');
    const shop: KsShop = {
      openId,
      sellerId: String(2_000_000_000 + n * 7),
      name: name ?? `快手测试小店${this.shops.size + 1}`,
      expressTemplateId: String(50_000_000 + n),
      createdToday: { day: 0, count: 0 },
      usedRelItemIds: new Set(),
      closedCategoryIds: new Set(),
      suggestedToday: { day: 0, count: 0 },
      suggestDailyCap: this.options.suggestDailyCap,
    };
    this.shops.set(openId, shop);
    this.ordersByShop.set(openId, []);
    this.refundsByShop.set(openId, []);
    return shop;
  }

  shop(openId: string): KsShop {
    const shop = this.shops.get(openId);
    if (!shop) throw new SandboxError(404, 'shop_not_found', `no shop ${openId}`);
    return shop;
  }

  /** Whether this shop may list in the category: a leaf that is not closed, or a branch with an open leaf. */
  isOpenFor(shop: KsShop, categoryId: number): boolean {
    if (this.catalog.isLeaf(categoryId)) return !shop.closedCategoryIds.has(categoryId);
    return this.catalog.categories.some((c) => c.pid === categoryId && this.isOpenFor(shop, c.id));
  }

  /** Counts one open.item.category.suggested.get call against the shop's daily cap. */
  takeSuggestQuota(shop: KsShop): boolean {
    const day = Math.floor((this.clock.now() + CHINA_UTC_OFFSET_MS) / DAY_MS);
    if (shop.suggestedToday.day !== day) shop.suggestedToday = { day, count: 0 };
    if (shop.suggestedToday.count >= shop.suggestDailyCap) return false;
    shop.suggestedToday.count++;
    return true;
  }

  // ---- items --------------------------------------------------------------------------------

  /** open.item.new with the listing rules of sheet §3.2 / §6.2. */
  createItem(shop: KsShop, p: ParamReader): KsItemRecord {
    const now = this.clock.now();
    const day = Math.floor((now + CHINA_UTC_OFFSET_MS) / DAY_MS);
    if (shop.createdToday.day !== day) shop.createdToday = { day, count: 0 };
    if (shop.createdToday.count >= this.options.dailyItemCreateLimit) throw ksError.business(`每个商家每天最多发布${this.options.dailyItemCreateLimit}个商品`);

    const title = p.string('title');
    if (!title.trim()) throw ksError.business('商品标题不能为空');
    const relItemId = p.long('relItemId');
    if (shop.usedRelItemIds.has(relItemId)) throw ksError.business(`relItemId ${relItemId} 已被使用，不能重复`);
    const categoryId = Number(p.long('categoryId'));
    if (!this.catalog.isLeaf(categoryId) || shop.closedCategoryIds.has(categoryId)) throw ksError.business('商品来源不可售卖：类目不是可发布的叶子类目，或未对商家开放');
    const imageUrls = p.strings('imageUrls') ?? [];
    if (imageUrls.length < 1 || imageUrls.length > 9) throw ksError.business('商品主图数量必须为1-9张');
    const details = p.string('details');
    if (details.length < 1 || details.length > 1000) throw ksError.business('商品详情描述长度必须为1-1000个字符');
    const detailImageUrls = p.strings('detailImageUrls') ?? [];
    if (detailImageUrls.length < 1 || detailImageUrls.length > 50) throw ksError.business('商品详情图数量必须为1-50张');
    const payWay = p.int('payWay', true);
    if (payWay !== undefined && payWay !== 2) throw ksError.business('仅支持在线支付(payWay=2)');
    const expressTemplateId = p.long('expressTemplateId');
    if (expressTemplateId !== shop.expressTemplateId) throw ksError.business('运费模板无效');
    const rule = this.serviceRule(categoryId, p.object('serviceRule'));
    const props = this.itemProps(categoryId, p.objects('itemPropValues') ?? [], true);
    const skuList = p.objects('skuList') ?? [];
    if (skuList.length < 1 || skuList.length > 600) throw ksError.business('SKU数量必须为1-600个');
    const skus = skuList.map((s) => this.newSku(s, now));
    const relSkuIds = new Set(skus.map((s) => s.relSkuId));
    if (relSkuIds.size !== skus.length) throw ksError.business('relSkuId 不能重复');
    checkSaleProps(skus);
    checkMarketPrices(skus);

    const approved = this.options.auditMode === 'auto';
    const item: KsItemRecord = {
      kwaiItemId: this.nextItemId(),
      openId: shop.openId,
      relItemId,
      title,
      categoryId,
      details,
      imageUrls,
      detailImageUrls,
      refundRule: rule.refundRule,
      promiseSeconds: rule.promiseSeconds,
      expressTemplateId,
      props,
      auditStatus: approved ? 2 : 0,
      auditReason: '',
      shelf: approved && rule.onShelf ? 1 : 0,
      shelfOnApproval: rule.onShelf,
      onlineEdited: false,
      createTime: now,
      updateTime: now,
      skus,
    };
    shop.usedRelItemIds.add(relItemId);
    shop.createdToday.count++;
    this.items.set(item.kwaiItemId, item);
    return item;
  }

  /** Control API: an item the merchant made in the back office, without listing validation. */
  seedItem(
    shop: KsShop,
    input: { title?: string; categoryId?: number; promiseSeconds?: number; onShelf?: boolean; relItemId?: string; skus: { stock: number; price: number; reserveStock?: number; skuNick?: string; relSkuId?: string; specs?: { name: string; value: string }[] }[] },
  ): KsItemRecord {
    const now = this.clock.now();
    if (!input.skus?.length) throw new SandboxError(400, 'invalid', 'skus: at least one SKU');
    const relItemId = input.relItemId ?? String(900_000_000 + this.seq + 1);
    const item: KsItemRecord = {
      kwaiItemId: this.nextItemId(),
      openId: shop.openId,
      relItemId,
      title: input.title ?? '沙箱商品',
      categoryId: input.categoryId ?? 1584,
      details: '沙箱商品详情',
      imageUrls: ['https://img.example.com/sandbox.jpg'],
      detailImageUrls: ['https://img.example.com/sandbox-detail.jpg'],
      refundRule: '1',
      promiseSeconds: input.promiseSeconds ?? 172_800,
      expressTemplateId: shop.expressTemplateId,
      props: [],
      auditStatus: 2,
      auditReason: '',
      shelf: input.onShelf === false ? 0 : 1,
      shelfOnApproval: true,
      onlineEdited: false,
      createTime: now,
      updateTime: now,
      skus: input.skus.map((s, index) => {
        if (!Number.isSafeInteger(s.stock) || s.stock < 0 || !Number.isSafeInteger(s.price) || s.price < 1) throw new SandboxError(400, 'invalid', 'each SKU needs an integer stock ≥ 0 and price ≥ 1 (fen)');
        return {
          kwaiSkuId: this.nextSkuId(),
          relSkuId: s.relSkuId ?? String(800_000_000 + this.seq * 10 + index),
          skuNick: s.skuNick ?? `SKU-${index + 1}`,
          stock: s.stock,
          price: s.price,
          reserveStock: s.reserveStock ?? 0,
          props: (s.specs?.length ? s.specs : [{ name: '规格', value: `款式${index + 1}` }]).map((spec, i) => ({ propName: spec.name, propValueName: spec.value, isMainProp: i === 0 ? 1 : 0, propVersion: 1 })),
          createTime: now,
          updateTime: now,
        };
      }),
    };
    shop.usedRelItemIds.add(relItemId);
    this.items.set(item.kwaiItemId, item);
    return item;
  }

  item(shop: KsShop, itemId: string): KsItemRecord {
    const item = this.items.get(itemId);
    if (!item || item.openId !== shop.openId) throw ksError.business('商品不存在');
    return item;
  }

  sku(item: KsItemRecord, skuId: string): KsSku {
    const sku = item.skus.find((s) => s.kwaiSkuId === skuId);
    if (!sku) throw ksError.business('SKU不存在');
    return sku;
  }

  itemsOf(shop: KsShop): KsItemRecord[] {
    return [...this.items.values()].filter((item) => item.openId === shop.openId);
  }

  /** open.item.edit: absolute stock (type 3) or increments, prices, and audited fields. */
  editItem(shop: KsShop, p: ParamReader): KsItemRecord {
    const item = this.item(shop, p.long('itemId'));
    if (item.onlineEdited) throw ksError.onlineEdited();
    const now = this.clock.now();
    const audited: NonNullable<KsItemRecord['pendingEdit']> = {};
    if (p.has('title')) {
      const title = p.string('title');
      if (!title.trim()) throw ksError.business('商品标题不能为空');
      audited.title = title;
    }
    if (p.has('details')) {
      const details = p.string('details');
      if (details.length < 1 || details.length > 1000) throw ksError.business('商品详情描述长度必须为1-1000个字符');
      audited.details = details;
    }
    if (p.has('imageUrls')) {
      const urls = p.strings('imageUrls') ?? [];
      if (urls.length < 1 || urls.length > 9) throw ksError.business('商品主图数量必须为1-9张');
      audited.imageUrls = urls;
    }
    if (p.bool('updateItemPropValues')) audited.props = this.itemProps(item.categoryId, p.objects('itemPropValues') ?? [], true);
    const changes = (p.objects('skuList') ?? []).map((s) => {
      const sku = this.sku(item, s.long('skuId'));
      const price = s.int('skuSalePrice');
      if (price < 1 || price > MAX_PRICE_FEN) throw ksError.business(`SKU价格必须在1-${MAX_PRICE_FEN}分之间`);
      const type = s.int('skuStockChangeType');
      const change = s.int('skuChangeStock');
      if (![1, 2, 3].includes(type)) throw ksError.invalid('skuStockChangeType 只能为1、2、3');
      if (change < 0 || change > KS_MAX_STOCK) throw ksError.business(`skuChangeStock 必须在0-${KS_MAX_STOCK}之间`);
      const stock = type === 3 ? change : type === 1 ? sku.stock + change : sku.stock - change;
      if (stock > KS_MAX_STOCK) throw ksError.business(`库存不能超过${KS_MAX_STOCK}`);
      if (stock < sku.reserveStock || stock < 0) throw ksError.business('当前库存不足，请减少预留数量');
      const nick = s.string('skuNick', true);
      if (nick !== undefined && nick.length > 30) throw ksError.business('skuNick 长度不能超过30');
      return { sku, price, stock, market: s.int('skuMarketPrice', true), nick };
    });
    for (const { sku, price, stock, market, nick } of changes) {
      sku.price = price;
      const before = sku.stock;
      sku.stock = stock;
      this.stockChanged(item.kwaiItemId, sku, stock - before, 'api');
      if (market !== undefined) sku.marketPrice = market;
      if (nick !== undefined) sku.skuNick = nick;
      sku.updateTime = now;
    }
    if (Object.keys(audited).length) {
      // Edits of audited fields become a copy ("副本") under review; auto mode approves at once.
      if (this.options.auditMode === 'manual') {
        item.pendingEdit = { ...item.pendingEdit, ...audited };
        item.duplicationStatus = 0;
      } else {
        applyEdit(item, audited);
        item.duplicationStatus = 2;
      }
    }
    item.updateTime = now;
    return item;
  }

  /** open.item.sku.stock.update: incremental only, never below the activity reserve. */
  updateStock(shop: KsShop, p: ParamReader): KsSku {
    const item = this.item(shop, p.long('kwaiItemId'));
    const sku = this.sku(item, p.long('skuId'));
    const change = p.int('skuChangeStock');
    const type = p.int('changeType');
    if (type !== 1 && type !== 2) throw ksError.invalid('changeType 只能为1(增加)或2(减少)');
    if (change <= 0 || change >= KS_MAX_STOCK) throw ksError.invalid(`skuChangeStock 必须大于0且小于${KS_MAX_STOCK}`);
    const next = type === 1 ? sku.stock + change : sku.stock - change;
    if (next > KS_MAX_STOCK) throw ksError.business(`库存不能超过${KS_MAX_STOCK}`);
    if (next < sku.reserveStock || next < 0) throw ksError.business('当前库存不足，请减少预留数量');
    sku.stock = next;
    sku.updateTime = this.clock.now();
    item.updateTime = sku.updateTime;
    this.stockChanged(item.kwaiItemId, sku, type === 1 ? change : -change, 'api');
    return sku;
  }

  updatePrice(shop: KsShop, p: ParamReader): KsSku {
    const item = this.item(shop, p.long('itemId'));
    if (item.onlineEdited) throw ksError.onlineEdited();
    const sku = this.sku(item, p.long('skuId'));
    const price = p.int('price');
    if (price < 1 || price > MAX_PRICE_FEN) throw ksError.business(`价格必须在1-${MAX_PRICE_FEN}分之间`);
    sku.price = price;
    sku.updateTime = this.clock.now();
    item.updateTime = sku.updateTime;
    return sku;
  }

  setShelf(shop: KsShop, p: ParamReader): KsItemRecord {
    const item = this.item(shop, p.long('kwaiItemId'));
    const status = p.int('shelfStatus');
    if (status !== 0 && status !== 1) throw ksError.invalid('shelfStatus 只能为0或1');
    if (status === 1 && item.auditStatus !== 2) throw ksError.business('商品未审核通过，不能上架');
    item.shelf = status;
    item.updateTime = this.clock.now();
    return item;
  }

  /** Control API: the platform's audit decision on a new item or on a pending copy. */
  audit(itemId: string, approve: boolean, reason = ''): KsItemRecord {
    const item = this.items.get(itemId);
    if (!item) throw new SandboxError(404, 'item_not_found', `no item ${itemId}`);
    const now = this.clock.now();
    if (item.pendingEdit) {
      if (approve) applyEdit(item, item.pendingEdit);
      item.pendingEdit = undefined;
      item.duplicationStatus = approve ? 2 : 3;
    } else {
      item.auditStatus = approve ? 2 : 3;
      if (approve && item.shelfOnApproval) item.shelf = 1;
    }
    item.auditReason = approve ? '' : reason || '商品信息不符合发布规范';
    item.updateTime = now;
    return item;
  }

  // ---- orders -------------------------------------------------------------------------------

  /** A buyer order: one SKU per oid; the platform decrements its own stock at once. */
  placeOrder(input: PlaceOrderInput): KsOrderRecord {
    const item = this.items.get(String(input.itemId));
    if (!item) throw new SandboxError(404, 'item_not_found', `no item ${input.itemId}`);
    if (input.openId && input.openId !== item.openId) throw new SandboxError(400, 'wrong_shop', 'the item belongs to another shop');
    const sku = item.skus.find((s) => s.kwaiSkuId === String(input.skuId));
    if (!sku) throw new SandboxError(404, 'sku_not_found', `no SKU ${input.skuId} on item ${input.itemId}`);
    if (!Number.isSafeInteger(input.quantity) || input.quantity < 1) throw new SandboxError(400, 'invalid', 'quantity must be a positive integer');
    if (item.shelf !== 1 || item.auditStatus !== 2) throw new SandboxError(409, 'not_on_sale', 'the item is not on sale');
    if (sku.stock < input.quantity) throw new SandboxError(409, 'insufficient_stock', `only ${sku.stock} in stock`);
    const goods = sku.price * input.quantity;
    let merchantDiscount = 0;
    let coupon: KsCouponRecord | undefined;
    if (input.couponId) {
      coupon = this.usableCoupon(String(input.couponId), item, goods);
      merchantDiscount = Math.min(coupon.reduceAmount, goods - 1);
    }
    const platformDiscount = Math.max(0, Math.min(input.platformDiscountFen ?? 0, goods - merchantDiscount - 1));
    const now = this.clock.now();
    sku.stock -= input.quantity;
    sku.updateTime = now;
    this.stockChanged(item.kwaiItemId, sku, -input.quantity, 'sale');
    if (coupon) {
      coupon.received++;
      coupon.used++;
      coupon.usedAmount += merchantDiscount;
    }
    const order: KsOrderRecord = {
      oid: this.nextOrderId(),
      visibleAt: now + this.options.orderReadLagMs,
      openId: item.openId,
      buyerOpenId: input.buyerOpenId ?? `buyer${this.random.int(100000, 999999)}`,
      status: 10,
      createTime: now,
      updateTime: now,
      payTime: 0,
      sendTime: 0,
      recvTime: 0,
      refundTime: 0,
      kwaiItemId: item.kwaiItemId,
      kwaiSkuId: sku.kwaiSkuId,
      num: input.quantity,
      price: sku.price,
      merchantDiscount,
      platformDiscount,
      couponId: coupon?.couponId,
      expressFee: input.expressFee ?? 0,
      promiseSeconds: item.promiseSeconds,
      validPromise: 0,
      noPromise: input.noPromise === true,
      holds: input.holds ?? [],
      riskCode: input.riskCode ?? 0,
      remark: input.buyerNote ?? '',
      logistics: [],
      deliveryNum: 0,
      refundIds: [],
    };
    this.orders.set(order.oid, order);
    this.ordersByShop.get(order.openId)?.push(order);
    this.emit('kwaishop_order_addOrder', order, { oid: long(order.oid), sellerId: long(this.shop(order.openId).sellerId), openId: order.openId, buyerOpenId: order.buyerOpenId, createTime: now });
    if (input.pay) this.pay(order.oid);
    return order;
  }

  order(oid: string): KsOrderRecord {
    const order = this.orders.get(oid);
    if (!order) throw new SandboxError(404, 'order_not_found', `no order ${oid}`);
    return order;
  }

  ordersOf(openId: string): KsOrderRecord[] {
    return this.ordersByShop.get(openId) ?? [];
  }

  /** What the order APIs see: orders past their read lag. */
  readableOrdersOf(openId: string): KsOrderRecord[] {
    const now = this.clock.now();
    const all = this.ordersOf(openId);
    const readable = all.filter((o) => o.visibleAt <= now);
    for (let i = readable.length; i < all.length; i++) this.readLagListener?.();
    return readable;
  }

  setOrderReadLag(ms: number): void {
    this.options.orderReadLagMs = ms;
  }

  get orderReadLagMs(): number {
    return this.options.orderReadLagMs;
  }

  pay(oid: string): KsOrderRecord {
    const order = this.transition(oid, [10], 30);
    order.payTime = order.updateTime;
    order.validPromise = order.noPromise ? 0 : order.payTime + order.promiseSeconds * 1000;
    this.statusEvent('kwaishop_order_paySuccess', order);
    return order;
  }

  /** Cancelling an unpaid or paid-unshipped order closes it (80) and returns the stock. */
  cancel(oid: string): KsOrderRecord {
    const order = this.transition(oid, [10, 30], 80);
    this.returnStock(order);
    this.statusEvent('kwaishop_order_orderFail', order);
    return order;
  }

  receive(oid: string): KsOrderRecord {
    const order = this.transition(oid, [40], 50);
    order.recvTime = order.updateTime;
    this.statusEvent('kwaishop_order_deliverySuccess', order);
    return order;
  }

  complete(oid: string): KsOrderRecord {
    const order = this.transition(oid, [50], 70);
    this.statusEvent('kwaishop_order_orderSuccess', order);
    return order;
  }

  setOrderFlags(oid: string, flags: { holds?: number[]; riskCode?: number; noPromise?: boolean }): KsOrderRecord {
    const order = this.order(oid);
    if (flags.holds) order.holds = flags.holds;
    if (flags.riskCode !== undefined) order.riskCode = flags.riskCode;
    if (flags.noPromise !== undefined) {
      order.noPromise = flags.noPromise;
      if (order.payTime) order.validPromise = flags.noPromise ? 0 : order.payTime + order.promiseSeconds * 1000;
    }
    order.updateTime = this.clock.now();
    return order;
  }

  /** An order of this shop; another merchant's oid is the documented "order operation reject". */
  shopOrder(shop: KsShop, oid: string, readable = false): KsOrderRecord {
    const order = this.orders.get(oid);
    if (order && readable && order.visibleAt > this.clock.now()) this.readLagListener?.();
    if (!order || (readable && order.visibleAt > this.clock.now())) throw ksError.business('订单不存在');
    if (order.openId !== shop.openId) throw ksError.business('order operation reject');
    return order;
  }

  /** open.seller.order.goods.deliver: status 30 only, no holds, a known expressCode, a waybill of ours. */
  deliver(shop: KsShop, oid: string, expressNo: string, expressCode: number): KsOrderRecord {
    const order = this.shopOrder(shop, oid);
    if (order.status !== 30) throw ksError.business(`订单状态[${order.status}]不允许发货`);
    if (order.holds.length || order.validPromise === 0) throw ksError.business('订单当前不可发货');
    if (order.refundIds.some((id) => [50, 60].includes(this.refunds.get(id)?.status ?? 0))) throw ksError.business('订单售后处理中，不允许发货');
    if (!expressNo.trim()) throw ksError.invalid('expressNo 不能为空');
    if (!EXPRESS_CODES.has(expressCode)) throw ksError.waybill(`物流公司编码[${expressCode}]不存在或已停用`);
    const owner = this.waybillOwners.get(`${expressCode}:${expressNo}`);
    if (owner && owner !== shop.openId) throw ksError.waybill('运单号已被其他商家使用');
    this.waybillOwners.set(`${expressCode}:${expressNo}`, shop.openId);
    const next = this.transition(oid, [30], 40);
    next.sendTime = next.updateTime;
    next.logistics.unshift({ logisticsId: String(8_000_000_000 + ++this.seq), expressNo, expressCode });
    next.deliveryNum = next.num;
    this.statusEvent('kwaishop_order_delivering', next);
    return next;
  }

  // ---- refunds ------------------------------------------------------------------------------

  createRefund(input: { oid: string; handlingWay?: number; amountFen?: number; reason?: string; reasonCode?: number; restock?: boolean }): KsRefundRecord {
    const order = this.order(String(input.oid));
    if (![30, 40, 50, 70].includes(order.status)) throw new SandboxError(409, 'not_refundable', `order status ${order.status} cannot be refunded`);
    if (order.refundIds.some((id) => ![60, 70].includes(this.refunds.get(id)?.status ?? 70))) throw new SandboxError(409, 'refund_open', 'the order already has an open refund');
    const paid = order.price * order.num - order.merchantDiscount - order.platformDiscount;
    const amount = input.amountFen ?? paid;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > paid) throw new SandboxError(400, 'invalid', `amountFen must be 1..${paid}`);
    const handlingWay = input.handlingWay ?? 10;
    if (![1, 3, 10].includes(handlingWay)) throw new SandboxError(400, 'invalid', 'handlingWay must be 1 (return+refund), 3 (exchange) or 10 (refund only)');
    const now = this.clock.now();
    const refund: KsRefundRecord = {
      refundId: this.nextRefundId(),
      oid: order.oid,
      openId: order.openId,
      handlingWay,
      refundFee: amount,
      status: 10,
      negotiateStatus: 1,
      reasonCode: input.reasonCode ?? 1,
      reasonDesc: input.reason ?? '不想要了',
      createTime: now,
      updateTime: now,
      endTime: 0,
      expireTime: now + 2 * DAY_MS,
      restock: input.restock,
      shippedAtRequest: order.status !== 30,
    };
    this.refunds.set(refund.refundId, refund);
    this.refundsByShop.get(order.openId)?.push(refund);
    order.refundIds.unshift(refund.refundId);
    order.refundTime = now;
    order.updateTime = now;
    this.emit('kwaishop_aftersales_addRefund', order, {
      orderId: long(order.oid),
      refundId: long(refund.refundId),
      handlingWay,
      specialRefundType: 0,
      status: refund.status,
      createTime: now,
    }, refund.refundId);
    return refund;
  }

  refund(refundId: string): KsRefundRecord {
    const refund = this.refunds.get(refundId);
    if (!refund) throw new SandboxError(404, 'refund_not_found', `no refund ${refundId}`);
    return refund;
  }

  refundsOf(openId: string): KsRefundRecord[] {
    return this.refundsByShop.get(openId) ?? [];
  }

  /** Control API: the refund ends (60 success / 70 closed) or the seller refuses it (12). */
  settleRefund(refundId: string, outcome: 'succeed' | 'close' | 'refuse'): KsRefundRecord {
    const refund = this.refund(refundId);
    if ([60, 70].includes(refund.status)) throw new SandboxError(409, 'refund_final', `refund already ${refund.status}`);
    const now = this.clock.now();
    const order = this.order(refund.oid);
    const eventType = outcome === 'succeed' ? 60 : outcome === 'close' ? 70 : 2;
    refund.status = outcome === 'succeed' ? 60 : outcome === 'close' ? 70 : 12;
    refund.negotiateStatus = outcome === 'refuse' ? 3 : outcome === 'succeed' ? 2 : refund.negotiateStatus;
    refund.updateTime = now;
    if (outcome !== 'refuse') refund.endTime = now;
    order.updateTime = now;
    if (outcome === 'succeed') {
      const restock = refund.restock ?? (this.options.refundRestock === 'always' || (this.options.refundRestock === 'unshipped' && !refund.shippedAtRequest));
      if (restock) this.returnStock(order);
      if (order.status === 30) {
        order.status = 80;
        this.statusEvent('kwaishop_order_orderFail', order);
      }
    }
    this.emit('kwaishop_aftersales_updateRefund', order, {
      orderId: long(order.oid),
      refundId: long(refund.refundId),
      handlingWay: refund.handlingWay,
      specialRefundType: 0,
      status: refund.status,
      eventType,
      updateTime: now,
    }, refund.refundId);
    return refund;
  }

  // ---- coupons ------------------------------------------------------------------------------

  /** open.promotion.coupon.create; the same outerUniqueKey returns the same coupon. */
  createCoupon(shop: KsShop, p: ParamReader): KsCouponRecord {
    const key = p.string('outerUniqueKey');
    if (!key || key.length > 60) throw ksError.invalid('outerUniqueKey 长度必须为1-60');
    const existing = this.couponKeys.get(`${shop.openId}|${key}`);
    if (existing) return this.coupons.get(existing) as KsCouponRecord;
    const name = p.string('name');
    if (!name.trim()) throw ksError.business('优惠券名称不能为空');
    const targetType = p.int('couponTargetType');
    if (targetType !== 0 && targetType !== 1) throw ksError.business('仅支持商品券(0)和店铺券(1)');
    const itemIds = p.longs('itemIds') ?? [];
    if (targetType === 0) {
      if (!itemIds.length) throw ksError.business('商品券必须指定商品');
      for (const id of itemIds) this.item(shop, id);
    }
    const reduceAmount = p.int('reduceAmount');
    const threshold = p.int('threshold');
    if (reduceAmount < 1) throw ksError.business('优惠金额必须大于0');
    if (threshold !== 0 && threshold <= reduceAmount) throw ksError.business('使用门槛必须大于优惠金额');
    const totalStock = p.int('totalStock');
    const receivePerLimit = p.int('receivePerLimit');
    if (totalStock < 1) throw ksError.business('发放数量必须大于0');
    if (receivePerLimit < 1) throw ksError.business('每人限领必须大于0');
    const receiveStartTime = p.int('receiveStartTime');
    const receiveEndTime = p.int('receiveEndTime');
    if (!isDayStart(receiveStartTime)) throw ksError.business('领取开始时间必须为00:00:00');
    if (!isDayEnd(receiveEndTime) || receiveEndTime <= receiveStartTime) throw ksError.business('领取结束时间必须为23:59:59且晚于开始时间');
    const validityType = p.int('validityType');
    let validStartTime = 0;
    let validEndTime = 0;
    let fixedValidityTime = 0;
    if (validityType === 1) {
      validStartTime = p.int('validStartTime');
      validEndTime = p.int('validEndTime');
      if (!isDayStart(validStartTime) || !isDayEnd(validEndTime) || validEndTime <= validStartTime) throw ksError.business('使用有效期必须从00:00:00开始，到23:59:59结束');
    } else if (validityType === 2) {
      fixedValidityTime = p.int('fixedValidityTime');
      if (fixedValidityTime < 1) throw ksError.business('fixedValidityTime 必须大于0');
    } else {
      throw ksError.invalid('validityType 只能为1或2');
    }
    const now = this.clock.now();
    const coupon: KsCouponRecord = {
      couponId: String(60_000_000_000 + ++this.seq * 3),
      openId: shop.openId,
      outerUniqueKey: key,
      name,
      couponTargetType: targetType,
      itemIds,
      reduceAmount,
      threshold,
      totalStock,
      receivePerLimit,
      receiveStartTime,
      receiveEndTime,
      validityType,
      validStartTime,
      validEndTime,
      fixedValidityTime,
      receiveChannel: p.string('receiveChannel', true) ?? '1',
      ended: false,
      deleted: false,
      createTime: now,
      updateTime: now,
      received: 0,
      used: 0,
      usedAmount: 0,
    };
    this.coupons.set(coupon.couponId, coupon);
    this.couponKeys.set(`${shop.openId}|${key}`, coupon.couponId);
    return coupon;
  }

  couponsOf(shop: KsShop): KsCouponRecord[] {
    return [...this.coupons.values()].filter((c) => c.openId === shop.openId);
  }

  /** 1 valid, 2 ended, 3 deleted, 4 expired. */
  couponStatus(coupon: KsCouponRecord): number {
    const now = this.clock.now();
    if (coupon.deleted) return 3;
    if (coupon.ended) return 2;
    if (coupon.validityType === 1 && now > coupon.validEndTime) return 4;
    if (now > coupon.receiveEndTime) return 2;
    return 1;
  }

  // ---- internals ----------------------------------------------------------------------------

  private usableCoupon(couponId: string, item: KsItemRecord, goods: number): KsCouponRecord {
    const coupon = this.coupons.get(couponId);
    const now = this.clock.now();
    const refuse = (why: string) => new SandboxError(409, 'coupon_not_applicable', why);
    if (!coupon || coupon.openId !== item.openId) throw refuse('no such coupon in this shop');
    if (this.couponStatus(coupon) !== 1 || now < coupon.receiveStartTime) throw refuse('the coupon is not claimable now');
    if (coupon.validityType === 1 && (now < coupon.validStartTime || now > coupon.validEndTime)) throw refuse('the coupon is not valid now');
    if (coupon.received >= coupon.totalStock) throw refuse('the coupon is out of stock');
    if (coupon.couponTargetType === 0 && !coupon.itemIds.includes(item.kwaiItemId)) throw refuse('the coupon does not apply to this item');
    if (coupon.threshold > goods) throw refuse(`the order is below the coupon threshold ${coupon.threshold}`);
    return coupon;
  }

  private transition(oid: string, from: number[], to: number): KsOrderRecord {
    const order = this.order(oid);
    if (!from.includes(order.status)) throw new SandboxError(409, 'bad_status', `order ${oid} is in status ${order.status}; needs ${from.join(' or ')}`);
    order.status = to;
    order.updateTime = this.clock.now();
    return order;
  }

  private returnStock(order: KsOrderRecord): void {
    const item = this.items.get(order.kwaiItemId);
    const sku = item?.skus.find((s) => s.kwaiSkuId === order.kwaiSkuId);
    if (!sku) return;
    const before = sku.stock;
    sku.stock = Math.min(KS_MAX_STOCK, sku.stock + order.num);
    sku.updateTime = this.clock.now();
    this.stockChanged(order.kwaiItemId, sku, sku.stock - before, 'restock');
  }

  /** Tells the stock listener (benchmarks measure exposure from it) about a change already made. */
  stockChanged(itemId: string, sku: KsSku, delta: number, cause: StockChangeCause): void {
    if (delta !== 0) this.stockListener?.({ at: this.clock.now(), itemId, skuId: sku.kwaiSkuId, stock: sku.stock, delta, cause });
  }

  private statusEvent(event: KsEventName, order: KsOrderRecord): void {
    this.emit(event, order, { oid: long(order.oid), sellerId: long(this.shop(order.openId).sellerId), status: order.status, updateTime: order.updateTime });
  }

  private emit(event: KsEventName, order: KsOrderRecord, info: Record<string, unknown>, bizId = order.oid): void {
    const shop = this.shop(order.openId);
    const deliver = () => {
      for (const listener of this.listeners) listener({ event, openId: shop.openId, sellerId: shop.sellerId, bizId, info });
    };
    // Pushes about an order are sent no earlier than the order is readable.
    const wait = order.visibleAt - this.clock.now();
    if (wait > 0) setTimeout(deliver, wait).unref();
    else deliver();
  }

  private serviceRule(categoryId: number, rule: ParamReader | undefined): { refundRule: string; promiseSeconds: number; onShelf: boolean } {
    if (!rule) throw ksError.missing('serviceRule');
    const refundRule = rule.string('refundRule');
    if (!this.catalog.refundRulesOf(categoryId).map(String).includes(refundRule)) throw ksError.business(`退货规则[${refundRule}]不在类目允许范围内`);
    if (!rule.object('servicePromise')) throw ksError.missing('serviceRule.servicePromise');
    const mode = rule.string('deliveryTimeMode', true) ?? 'spot';
    const promise = rule.int('promiseDeliveryTime', true);
    const interval = rule.int('deliverGoodsInteralTime', true);
    const given = [promise, interval].filter((v) => v !== undefined && v > 0);
    let promiseSeconds = 172_800;
    if (mode === 'spotPresale') {
      if (given.length) throw ksError.business('spotPresale 模式不能设置发货时间');
    } else {
      if (given.length !== 1) throw ksError.business('promiseDeliveryTime 与 deliverGoodsInteralTime 必须且只能填写一个');
      if (promise !== undefined && promise > 0) {
        if (promise !== 86_400 && promise !== 172_800) throw ksError.business('承诺发货时间只能为86400或172800秒');
        promiseSeconds = promise;
      } else if (interval !== undefined) {
        if (interval < 3 * 86_400 || interval > 15 * 86_400) throw ksError.business('预售发货时间必须为3-15天');
        promiseSeconds = interval;
      }
    }
    const flag = rule.int('immediatelyOnOfflineFlag', true) ?? 0;
    return { refundRule, promiseSeconds, onShelf: flag === 0 };
  }

  private itemProps(categoryId: number, entries: ParamReader[], enforceRequired: boolean): KsItemProp[] {
    const configs = new Map(this.catalog.propsOf(categoryId).map((c) => [c.propId, c]));
    const seen = new Set<number>();
    const props = entries.map((entry) => {
      const propId = Number(entry.long('propId'));
      entry.int('sortNum');
      if (seen.has(propId)) throw ksError.business(`商品属性重复: ${propId}`);
      seen.add(propId);
      const config = configs.get(propId);
      if (!config) throw ksError.business(`类目属性不存在: ${propId}`);
      return readPropValue(config, entry);
    });
    if (enforceRequired) {
      const missing = [...configs.values()].filter((c) => c.required && !seen.has(c.propId));
      if (missing.length) throw ksError.business(`必填属性未填写: ${missing.map((c) => `${c.propName}(${c.propId})`).join('、')}`);
    }
    return props;
  }

  private newSku(s: ParamReader, now: number): KsSku {
    const relSkuId = s.long('relSkuId');
    const stock = s.int('skuStock');
    if (stock < 0 || stock > KS_MAX_STOCK) throw ksError.business(`SKU库存必须在0-${KS_MAX_STOCK}之间`);
    const price = s.int('skuSalePrice');
    if (price < 1 || price > MAX_PRICE_FEN) throw ksError.business(`SKU价格必须在1-${MAX_PRICE_FEN}分之间`);
    const nick = s.string('skuNick', true) ?? '';
    if (nick.length > 30) throw ksError.business('skuNick 长度不能超过30');
    const props = (s.objects('skuProps') ?? []).map((prop) => ({
      propName: prop.string('propName'),
      propValueName: prop.string('propValueName'),
      imageUrl: prop.string('imageUrl', true),
      isMainProp: prop.int('isMainProp', true) ?? 0,
      propVersion: prop.int('propVersion', true) ?? 1,
    }));
    if (!props.length) throw ksError.business('skuProps 不能为空');
    return { kwaiSkuId: this.nextSkuId(), relSkuId, skuNick: nick, stock, price, marketPrice: s.int('skuMarketPrice', true), reserveStock: 0, props, createTime: now, updateTime: now };
  }

  private nextItemId(): string {
    const n = ++this.seq;
    // Half the item ids are beyond 2^53, as real Longs may be: JSON must carry them exactly.
    return n % 2 === 0 ? String(TWO_POW_53 + BigInt(n) * 1_009n) : String(21_000_000_000 + n * 7);
  }

  private nextSkuId(): string {
    return String(TWO_POW_53 + 1_000_000_000n + BigInt(++this.seq) * 13n);
  }

  private nextOrderId(): string {
    return String(2_607_602_240_000_000 + ++this.seq * 17);
  }

  private nextRefundId(): string {
    return String(2_100_000_000_000_000 + ++this.seq * 19);
  }
}

function applyEdit(item: KsItemRecord, edit: NonNullable<KsItemRecord['pendingEdit']>): void {
  if (edit.title !== undefined) item.title = edit.title;
  if (edit.details !== undefined) item.details = edit.details;
  if (edit.imageUrls !== undefined) item.imageUrls = edit.imageUrls;
  if (edit.props !== undefined) item.props = edit.props;
}

function readPropValue(config: KsCatalogProp, entry: ParamReader): KsItemProp {
  const base = { propId: config.propId, propName: config.propName, inputType: config.inputType, valueIds: [] as number[] };
  const known = (id: string) => {
    const value = config.values.find((v) => String(v.id) === id);
    if (!value) throw ksError.business(`属性[${config.propName}]的属性值不合法: ${id}`);
    return value.id;
  };
  switch (config.inputType) {
    case 'RADIO': {
      const radio = entry.object('radioPropValue');
      if (!radio || !radio.has('propValueId')) throw ksError.business(`属性[${config.propName}]必须选择一个属性值`);
      return { ...base, valueIds: [known(radio.long('propValueId'))] };
    }
    case 'CHECKBOX': {
      const list = entry.objects('checkBoxPropValuesList') ?? [];
      if (!list.length) throw ksError.business(`属性[${config.propName}]至少选择一个属性值`);
      if (config.maxValues > 0 && list.length > config.maxValues) throw ksError.business(`属性[${config.propName}]最多选择${config.maxValues}个属性值`);
      return { ...base, valueIds: list.map((v) => known(v.long('propValueId'))) };
    }
    case 'NUMBER': {
      const text = entry.string('textPropValue', true) ?? '';
      if (!/^\d+(\.\d+)?$/.test(text)) throw ksError.business(`属性[${config.propName}]必须填写数字`);
      return { ...base, text };
    }
    case 'DATETIME': {
      const at = entry.int('datetimeTimestamp', true);
      if (!at || at <= 0) throw ksError.business(`属性[${config.propName}]必须填写时间`);
      return { ...base, text: String(at) };
    }
    case 'IMAGE': {
      const images = entry.strings('imagePropValues') ?? [];
      if (!images.length) throw ksError.business(`属性[${config.propName}]必须上传图片`);
      return { ...base, text: images.join(',') };
    }
    default: {
      const text = entry.string('textPropValue', true) ?? '';
      if (!text.trim()) throw ksError.business(`属性[${config.propName}]不能为空`);
      return { ...base, text };
    }
  }
}

/** ≤3 sale-prop levels, the full Cartesian product of their values, main-prop images present. */
function checkSaleProps(skus: KsSku[]): void {
  const names = skus[0].props.map((p) => p.propName).sort();
  if (names.length > 3) throw ksError.business('销售属性最多3级');
  const combos = new Set<string>();
  const values = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const sku of skus) {
    const own = sku.props.map((p) => p.propName).sort();
    if (own.join('|') !== names.join('|')) throw ksError.business('所有SKU的销售属性必须一致');
    for (const prop of sku.props) {
      values.get(prop.propName)?.add(prop.propValueName);
      if (prop.isMainProp === 1 && !prop.imageUrl) throw ksError.business(`主规格[${prop.propName}:${prop.propValueName}]必须上传图片`);
    }
    combos.add(names.map((n) => sku.props.find((p) => p.propName === n)?.propValueName).join('|'));
  }
  if (combos.size !== skus.length) throw ksError.business('SKU销售属性组合重复');
  const product = [...values.values()].reduce((total, set) => total * set.size, 1);
  if (product !== skus.length) throw ksError.business('SKU必须为销售属性值的完整组合(笛卡尔积)');
}

function checkMarketPrices(skus: KsSku[]): void {
  const highest = Math.max(...skus.map((s) => s.price));
  for (const sku of skus) {
    if (sku.marketPrice === undefined) continue;
    if (sku.marketPrice <= highest || sku.marketPrice > sku.price * 10) throw ksError.business('划线价必须大于商品最高售价且不超过售价的10倍');
  }
}

function isDayStart(ms: number): boolean {
  return (ms + CHINA_UTC_OFFSET_MS) % DAY_MS === 0;
}

function isDayEnd(ms: number): boolean {
  const offset = (ms + CHINA_UTC_OFFSET_MS) % DAY_MS;
  return offset === DAY_MS - 1_000 || offset === DAY_MS - 1;
}

