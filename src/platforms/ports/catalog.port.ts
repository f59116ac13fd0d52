import { PageRequest, Platform, ShopRef } from './platform.types';

export interface ChannelCategory {
  id: string;
  parentId: string | null;
  name: string;
  leaf: boolean;
  /** Whether this shop may list in it (when the platform says). */
  open?: boolean;
}

/** A category the platform itself suggests for an item (Kuaishou `open.item.category.suggested.get`). */
export interface PlatformCategorySuggestion {
  categoryId: string;
  path: string[];
  open: boolean;
}

export interface CategorySuggestRequest {
  title: string;
  description?: string;
  /** The live Kuaishou API takes only Kuaishou-hosted image URLs. */
  imageUrls: string[];
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
  /** Text and number rules (Kuaishou `inputFormatConfig`): patterns, and min/max length or value. */
  format?: { patterns: string[]; min?: number; max?: number; message?: string };
  /** Image-valued property rules (Kuaishou `imageInputConfig`). */
  image?: { minCount?: number; maxCount?: number; minWidth?: number; minHeight?: number };
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
  /** Present when the read carries them (item detail reads do; list reads may not). */
  description?: string;
  imageUrls?: string[];
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
  skus?: {
    skuId: string;
    priceFen?: number;
    marketPriceFen?: number;
    outerSkuId?: string;
    /** New sale-property values of the SKU (absolute), where `editsSkuSpecs`. */
    specs?: SpecValue[];
  }[];
}

/** Catalog: category trees and their properties, listings (with their images) and shelf status. */
export interface CatalogPort {
  readonly platform: Platform;
  /**
   * Whether `editItem` changes a SKU's sale-property values in place (Kuaishou `open.item.edit`
   * `skuProps`). Youzan's documented spec edit replaces every SKU (`sku_stocks`), which is not built.
   */
  readonly editsSkuSpecs?: boolean;
  /** The whole tree, with `open` per category where the platform says (Kuaishou: per merchant). */
  getCategories(shop: ShopRef): Promise<ChannelCategory[]>;
  /** The platform's own suggestions; empty where the platform has none (Youzan). Daily-capped on Kuaishou. */
  suggestCategories(shop: ShopRef, request: CategorySuggestRequest): Promise<PlatformCategorySuggestion[]>;
  getCategoryProperties(shop: ShopRef, categoryId: string): Promise<ChannelCategoryProperty[]>;
  createItem(shop: ShopRef, draft: ChannelItemDraft): Promise<ChannelItemRef>;
  editItem(shop: ShopRef, itemId: string, patch: ItemPatch): Promise<void>;
  getItem(shop: ShopRef, itemId: string): Promise<ChannelItem>;
  /**
   * The item created with this outer id (Kuaishou `relItemId`, Youzan `item_no`), or null: how an
   * item create whose answer was lost is settled, since neither platform's create is idempotent.
   */
  findItemByOuterId(shop: ShopRef, outerItemId: string): Promise<ChannelItem | null>;
  /**
   * Every item holding this outer id. Youzan does not keep `item_no` unique (`youzan.items.custom.get`
   * answers a list), so a shop may hold several; Kuaishou refuses a reused `relItemId`.
   */
  findItemsByOuterId(shop: ShopRef, outerItemId: string): Promise<ChannelItem[]>;
  listItems(shop: ShopRef, page: PageRequest): Promise<{ items: ChannelItem[]; total: number }>;
  setShelfStatus(shop: ShopRef, itemId: string, onShelf: boolean): Promise<void>;
  /**
   * Uploads one image to the platform's own image host and answers the hosted URL (Kuaishou
   * `open.item.image.upload`). Absent where listings take the merchant's URLs as they are.
   */
  uploadImage?(shop: ShopRef, image: ImageUpload): Promise<string>;
  /** Whether a URL is already on the platform's image host (so it needs no upload). */
  isHostedImage?(url: string): boolean;
}

export interface ImageUpload {
  /** The source URL: `http(s)` is handed to the platform to fetch, `data:` is sent as bytes. */
  url: string;
  kind?: 'main' | 'detail' | 'sku' | 'property' | 'white_background' | 'transparent';
}
