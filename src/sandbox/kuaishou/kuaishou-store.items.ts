import { SandboxError } from '../shared/control.errors';
import { PriceLog } from '../shared/price-log';
import { ksError } from './kuaishou-emulator.errors';
import { ParamReader } from './kuaishou-emulator.json';
import { CHINA_UTC_OFFSET_MS, DAY_MS, KS_MAX_STOCK, KsItemRecord, KsShop, KsSku } from './kuaishou-emulator.model';
import { KsStoreBase } from './kuaishou-store.base';
import {
  applyEdit,
  checkMarketPrices,
  checkSaleProps,
  itemProps,
  MAX_PRICE_FEN,
  readSkuProps,
  serviceRule,
} from './kuaishou-store.listing-rules';

/** Listings and stock: open.item.new / edit validation, the audit, incremental stock with a reserve floor, prices. */
export abstract class KsItemsStore extends KsStoreBase {
  /** Prices applied by the item APIs and back-office edits (tests check parity at every step from it). */
  readonly prices = new PriceLog();

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

  /**
   * Images must be on Kuaishou's own host, i.e. answered by open.item.image.upload (sheet §3.2: detail
   * images "must be Kuaishou-hosted"; §3.6: convert every image first). For main, white-background,
   * transparent and SKU images the sheet leaves it unconfirmed; the emulator is strict on all of them.
   * The sheet names no result code for it: the documented business-rejection 21 is used.
   */
  private requireHosted(kind: string, urls: string[]): void {
    const foreign = urls.find((url) => !this.hostedImages.has(url));
    if (foreign !== undefined)
      throw ksError.business(
        `${kind}[${foreign.slice(0, 120)}]不是快手图片地址，请先通过open.item.image.upload上传图片`,
      );
  }

  /** open.item.new with the listing rules of sheet §3.2 / §6.2. */
  createItem(shop: KsShop, p: ParamReader): KsItemRecord {
    const now = this.clock.now();
    const day = Math.floor((now + CHINA_UTC_OFFSET_MS) / DAY_MS);
    if (shop.createdToday.day !== day) shop.createdToday = { day, count: 0 };
    if (shop.createdToday.count >= this.options.dailyItemCreateLimit)
      throw ksError.business(`每个商家每天最多发布${this.options.dailyItemCreateLimit}个商品`);

    const title = p.string('title');
    if (!title.trim()) throw ksError.business('商品标题不能为空');
    const relItemId = p.long('relItemId');
    if (shop.usedRelItemIds.has(relItemId)) throw ksError.business(`relItemId ${relItemId} 已被使用，不能重复`);
    const categoryId = Number(p.long('categoryId'));
    if (!this.catalog.isLeaf(categoryId) || shop.closedCategoryIds.has(categoryId))
      throw ksError.business('商品来源不可售卖：类目不是可发布的叶子类目，或未对商家开放');
    const imageUrls = p.strings('imageUrls') ?? [];
    if (imageUrls.length < 1 || imageUrls.length > 9) throw ksError.business('商品主图数量必须为1-9张');
    const details = p.string('details');
    if (details.length < 1 || details.length > 1000) throw ksError.business('商品详情描述长度必须为1-1000个字符');
    const detailImageUrls = p.strings('detailImageUrls') ?? [];
    if (detailImageUrls.length < 1 || detailImageUrls.length > 50) throw ksError.business('商品详情图数量必须为1-50张');
    this.requireHosted('主图', imageUrls);
    this.requireHosted('详情图', detailImageUrls);
    for (const field of ['whiteBaseImageUrl', 'transparentImageUrl'] as const) {
      const url = p.string(field, true);
      if (url) this.requireHosted(field === 'whiteBaseImageUrl' ? '白底图' : '透明图', [url]);
    }
    const payWay = p.int('payWay', true);
    if (payWay !== undefined && payWay !== 2) throw ksError.business('仅支持在线支付(payWay=2)');
    const expressTemplateId = p.long('expressTemplateId');
    if (expressTemplateId !== shop.expressTemplateId) throw ksError.business('运费模板无效');
    const rule = serviceRule(this.catalog, categoryId, p.object('serviceRule'));
    const props = itemProps(this.catalog, categoryId, p.objects('itemPropValues') ?? [], true);
    const skuList = p.objects('skuList') ?? [];
    if (skuList.length < 1 || skuList.length > 600) throw ksError.business('SKU数量必须为1-600个');
    const skus = skuList.map((s) => this.newSku(s, now));
    for (const sku of skus)
      this.requireHosted(
        'SKU规格图',
        sku.props.map((prop) => prop.imageUrl).filter((url): url is string => !!url),
      );
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
    input: {
      title?: string;
      categoryId?: number;
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
    },
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
        if (!Number.isSafeInteger(s.stock) || s.stock < 0 || !Number.isSafeInteger(s.price) || s.price < 1)
          throw new SandboxError(400, 'invalid', 'each SKU needs an integer stock ≥ 0 and price ≥ 1 (fen)');
        return {
          kwaiSkuId: this.nextSkuId(),
          relSkuId: s.relSkuId ?? String(800_000_000 + this.seq * 10 + index),
          skuNick: s.skuNick ?? `SKU-${index + 1}`,
          stock: s.stock,
          price: s.price,
          reserveStock: s.reserveStock ?? 0,
          props: (s.specs?.length ? s.specs : [{ name: '规格', value: `款式${index + 1}` }]).map((spec, i) => ({
            propName: spec.name,
            propValueName: spec.value,
            isMainProp: i === 0 ? 1 : 0,
            propVersion: 1,
          })),
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
      this.requireHosted('主图', urls);
      audited.imageUrls = urls;
    }
    if (p.bool('updateItemPropValues'))
      audited.props = itemProps(this.catalog, item.categoryId, p.objects('itemPropValues') ?? [], true);
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
      const props = s.has('skuProps') ? readSkuProps(s) : undefined;
      if (props)
        this.requireHosted(
          'SKU规格图',
          props.map((prop) => prop.imageUrl).filter((u): u is string => !!u),
        );
      return { sku, price, stock, market: s.int('skuMarketPrice', true), nick, props };
    });
    // New sale-property values must leave the item a full Cartesian product (checked before anything changes).
    if (changes.some((c) => c.props))
      checkSaleProps(
        item.skus.map((sku) => ({ ...sku, props: changes.find((c) => c.sku === sku)?.props ?? sku.props })),
      );
    for (const { sku, price, stock, market, nick, props } of changes) {
      if (props) sku.props = props;
      if (sku.price !== price)
        this.prices.record({ itemId: item.kwaiItemId, skuId: sku.kwaiSkuId, priceFen: price, source: 'api' });
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
    this.prices.record({ itemId: item.kwaiItemId, skuId: sku.kwaiSkuId, priceFen: price, source: 'api' });
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

  private newSku(s: ParamReader, now: number): KsSku {
    const relSkuId = s.long('relSkuId');
    const stock = s.int('skuStock');
    if (stock < 0 || stock > KS_MAX_STOCK) throw ksError.business(`SKU库存必须在0-${KS_MAX_STOCK}之间`);
    const price = s.int('skuSalePrice');
    if (price < 1 || price > MAX_PRICE_FEN) throw ksError.business(`SKU价格必须在1-${MAX_PRICE_FEN}分之间`);
    const nick = s.string('skuNick', true) ?? '';
    if (nick.length > 30) throw ksError.business('skuNick 长度不能超过30');
    const props = readSkuProps(s);
    return {
      kwaiSkuId: this.nextSkuId(),
      relSkuId,
      skuNick: nick,
      stock,
      price,
      marketPrice: s.int('skuMarketPrice', true),
      reserveStock: 0,
      props,
      createTime: now,
      updateTime: now,
    };
  }
}
