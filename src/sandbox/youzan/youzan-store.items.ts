import { PriceChange, PriceLog } from '../shared/price-log';
import type { StockChangeCause } from '../shared/stock-listener';
import { BusinessError } from './youzan-emulator.errors';
import { Item, ItemSeed, Sku } from './youzan-emulator.model';
import { YzTokensStore } from './youzan-store.tokens';
import { randomBytes } from 'node:crypto';

const BIG_ITEM_ID_BASE = 1436413407076030200n;

/** Listings and stock: images, items with specs, absolute and incremental quantity, prices. */
export abstract class YzItemsStore extends YzTokensStore {
  /** Prices applied by the item APIs and back-office edits (tests check parity at every step from it). */
  readonly prices = new PriceLog();

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
      specs: (s.specs?.length ? s.specs : [{ k: '规格', v: s.itemNo || '默认' }]).map((p) => ({
        k: p.k,
        kid: this.specId(`k:${p.k}`),
        v: p.v,
        vid: this.specId(`v:${p.k}:${p.v}`),
      })),
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
    if (type === 1 && quantity < 0 && this.options.refuseNegativeIncrement)
      throw new BusinessError(123000106, '增量库存不能为负数');
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
    if (stock !== before)
      this.stockListener?.({
        at: now,
        itemId: item.itemId,
        skuId: sku ? String(sku.skuId) : '0',
        stock,
        delta: stock - before,
        cause,
      });
  }

  setPrice(item: Item, sku: Sku | undefined, priceFen: number, source: PriceChange['source'] = 'api'): void {
    const now = this.clock.now();
    this.prices.record({ itemId: item.itemId, skuId: sku ? String(sku.skuId) : '0', priceFen, source });
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
}
