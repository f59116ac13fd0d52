import { SandboxError } from '../shared/control.errors';
import { EmulatorClock } from '../shared/emulator-clock';
import type { StockListener } from '../shared/stock-listener';
import {
  AccessToken,
  AuthCode,
  Coupon,
  Item,
  Order,
  PushEvent,
  RefreshToken,
  Refund,
  Shop,
  Sku,
  StoreOptions,
} from './youzan-emulator.model';

/** The store's state, shops and their authorization; the layers below add tokens, items, coupons, orders and refunds. */
export abstract class YzStoreBase {
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
  protected readonly ordersByShop = new Map<number, Order[]>();
  protected readonly skus = new Map<number, Sku>();
  protected readonly accessTokens = new Map<string, AccessToken>();
  protected readonly refreshTokens = new Map<string, RefreshToken>();
  protected readonly codes = new Map<string, AuthCode>();
  /** Live silent-grant token per shop (refresh=false hands it out again while valid). */
  protected readonly silentTokens = new Map<number, string>();
  protected readonly specIds = new Map<string, number>();
  private seq = 0;
  protected itemSeq = 0;

  constructor(
    readonly options: StoreOptions,
    readonly clock: EmulatorClock,
    protected readonly push: (event: PushEvent) => void,
    /** Whether anyone would receive a push for this shop (building messages costs time in benchmarks). */
    protected readonly pushWanted: (kdtId: number) => boolean = () => true,
  ) {}

  protected next(): number {
    return ++this.seq;
  }

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

  /** Set by the API layer so push messages carry the same order structure as trade.get. */
  fullOrderInfoHook?: (order: Order) => unknown;
  orderPromotionHook?: (order: Order) => unknown;
}
