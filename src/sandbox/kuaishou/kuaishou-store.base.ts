import { SandboxError } from '../shared/control.errors';
import { EmulatorClock } from '../shared/emulator-clock';
import { SeededRandom } from '../shared/random';
import type { StockChangeCause, StockListener } from '../shared/stock-listener';
import { KuaishouCatalog } from './kuaishou-emulator.catalog';
import { long } from './kuaishou-emulator.json';
import {
  KsCouponRecord,
  KsEventName,
  KsItemRecord,
  KsOrderRecord,
  KsRefundRecord,
  KsShop,
  KsSku,
  KsStoreEvent,
  KsStoreOptions,
} from './kuaishou-emulator.model';

const TWO_POW_53 = 9_007_199_254_740_992n;

/** The store's state, shops, ids and events; the layers below add items, coupons, orders and refunds. */
export abstract class KsStoreBase {
  /** Told of every visible-stock change (benchmarks observe exposure from it). */
  stockListener?: StockListener;
  /** Told each time an order API misses an order that took stock but is not readable yet. */
  readLagListener?: () => void;
  readonly shops = new Map<string, KsShop>();
  readonly items = new Map<string, KsItemRecord>();
  readonly orders = new Map<string, KsOrderRecord>();
  readonly refunds = new Map<string, KsRefundRecord>();
  readonly coupons = new Map<string, KsCouponRecord>();
  /** Image URLs handed out by open.item.image.upload (Kuaishou-hosted). */
  readonly hostedImages = new Set<string>();
  protected readonly ordersByShop = new Map<string, KsOrderRecord[]>();
  protected readonly refundsByShop = new Map<string, KsRefundRecord[]>();
  protected readonly couponKeys = new Map<string, string>();
  protected readonly waybillOwners = new Map<string, string>();
  private readonly listeners: ((event: KsStoreEvent) => void)[] = [];
  protected seq = 0;

  constructor(
    readonly catalog: KuaishouCatalog,
    protected readonly clock: EmulatorClock,
    protected readonly random: SeededRandom,
    protected readonly options: KsStoreOptions,
  ) {}

  onEvent(listener: (event: KsStoreEvent) => void): void {
    this.listeners.push(listener);
  }

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

  /** Tells the stock listener (benchmarks measure exposure from it) about a change already made. */
  stockChanged(itemId: string, sku: KsSku, delta: number, cause: StockChangeCause): void {
    if (delta !== 0)
      this.stockListener?.({ at: this.clock.now(), itemId, skuId: sku.kwaiSkuId, stock: sku.stock, delta, cause });
  }

  protected statusEvent(event: KsEventName, order: KsOrderRecord): void {
    this.emit(event, order, {
      oid: long(order.oid),
      sellerId: long(this.shop(order.openId).sellerId),
      status: order.status,
      updateTime: order.updateTime,
    });
  }

  protected emit(event: KsEventName, order: KsOrderRecord, info: Record<string, unknown>, bizId = order.oid): void {
    const shop = this.shop(order.openId);
    const deliver = () => {
      for (const listener of this.listeners)
        listener({ event, openId: shop.openId, sellerId: shop.sellerId, bizId, info });
    };
    // Pushes about an order are sent no earlier than the order is readable.
    const wait = order.visibleAt - this.clock.now();
    if (wait > 0) setTimeout(deliver, wait).unref();
    else deliver();
  }

  protected nextItemId(): string {
    const n = ++this.seq;
    // Half the item ids are beyond 2^53, as real Longs may be: JSON must carry them exactly.
    return n % 2 === 0 ? String(TWO_POW_53 + BigInt(n) * 1_009n) : String(21_000_000_000 + n * 7);
  }

  protected nextSkuId(): string {
    return String(TWO_POW_53 + 1_000_000_000n + BigInt(++this.seq) * 13n);
  }

  protected nextOrderId(): string {
    return String(2_607_602_240_000_000 + ++this.seq * 17);
  }

  protected nextRefundId(): string {
    return String(2_100_000_000_000_000 + ++this.seq * 19);
  }
}
