import { imageSize } from 'image-size';
import type { ChannelCategoryProperty, SpecValue } from '../../platforms/ports/catalog.port';
import type { Platform } from '../../platforms/ports/platform.types';

export interface ListingPropertyValue {
  propertyId: string;
  valueIds?: string[];
  text?: string;
  /** Values of an image property (Kuaishou IMAGE input type). */
  imageUrls?: string[];
}

export interface ListingSkuDraft {
  skuCode: string;
  specs: SpecValue[];
  priceFen: number;
  marketPriceFen?: number;
}

/** What the merchant wants listed: the same draft is published to either platform. */
export interface ListingDraft {
  title: string;
  description: string;
  imageUrls: string[];
  properties: ListingPropertyValue[];
  skus: ListingSkuDraft[];
}

/** The target's category as read from the platform (tree flags and `open.item.category.config`). */
export interface ValidationTarget {
  platform: Platform;
  categoryId: string | null;
  /** undefined when the tree was not read: the platform decides. */
  leaf?: boolean;
  open?: boolean;
  properties: ChannelCategoryProperty[];
}

export interface Bilingual {
  zh: string;
  en: string;
}

/** Stable codes: tests, the page and the catalog dry run group findings by them. */
export type FindingCode =
  | 'CATEGORY_MISSING'
  | 'CATEGORY_NOT_LEAF'
  | 'CATEGORY_NOT_OPEN'
  | 'TITLE_MISSING'
  | 'TITLE_TOO_LONG'
  | 'DESCRIPTION_LENGTH'
  | 'IMAGE_COUNT'
  | 'IMAGE_UNREADABLE'
  | 'IMAGE_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_TOO_SMALL'
  | 'IMAGE_NOT_HOSTED'
  | 'PROPERTY_UNKNOWN'
  | 'PROPERTY_DUPLICATE'
  | 'PROPERTY_REQUIRED'
  | 'PROPERTY_VALUE_UNKNOWN'
  | 'PROPERTY_TOO_MANY_VALUES'
  | 'PROPERTY_PATTERN'
  | 'PROPERTY_LENGTH'
  | 'PROPERTY_NUMBER'
  | 'PROPERTY_IMAGE_COUNT'
  | 'PROPERTY_IMAGE_SIZE'
  | 'SKU_COUNT'
  | 'SKU_CODE_DUPLICATE'
  | 'SKU_PRICE'
  | 'SKU_MARKET_PRICE'
  | 'SALE_PROP_LEVELS'
  | 'SALE_PROP_CARTESIAN'
  /** The pricing policy's parity limit (or floor and ceiling) against the SKU's other listings. */
  | 'PRICE_PARITY'
  /** Not a rule of this validator: the target shop holds several items with the listing's merchant code. */
  | 'OUTER_ID_NOT_UNIQUE'
  /** Not a rule of this validator: the platform refused the listing (create or audit) for a reason no rule covers. */
  | 'PLATFORM_REFUSED';

/** The seed's failure groups (类目不匹配 / 属性缺失 / 图片违规 / other). */
export type FindingGroup = 'category' | 'property' | 'image' | 'other';

export interface ListingFinding {
  code: FindingCode;
  group: FindingGroup;
  severity: 'error' | 'warning';
  /** Path into the draft, e.g. `properties[102]`, `imageUrls[0]`, `skus[1].priceFen`. */
  field: string;
  message: Bilingual;
  hint: Bilingual;
}

interface PlatformRules {
  titleMax: number;
  descriptionMin: number;
  descriptionMax: number;
  imagesMax: number;
  imageMaxBytes: number;
  imageFormats: string[];
  /** Below this edge a main image is warned about (the live minimum is unconfirmed). */
  imageMinEdge: number;
  skusMax: number;
  priceMaxFen: number;
  saleLevelsMax: number;
}

/** Limits from the fact sheets (Kuaishou §3.2/§6.2, Youzan §3.2); Kuaishou's title limit is unconfirmed. */
export const PLATFORM_RULES: Record<Platform, PlatformRules> = {
  kuaishou: {
    titleMax: 60,
    descriptionMin: 1,
    descriptionMax: 1000,
    imagesMax: 9,
    imageMaxBytes: 2 * 1024 * 1024,
    imageFormats: ['png', 'jpg', 'webp', 'bmp'],
    imageMinEdge: 480,
    skusMax: 600,
    priceMaxFen: 9_999_999,
    saleLevelsMax: 3,
  },
  youzan: {
    titleMax: 100,
    descriptionMin: 6,
    descriptionMax: 24_999,
    imagesMax: 15,
    imageMaxBytes: 1024 * 1024,
    imageFormats: ['png', 'jpg', 'gif', 'webp', 'bmp'],
    imageMinEdge: 480,
    skusMax: 600,
    priceMaxFen: 99_999_999,
    saleLevelsMax: 3,
  },
};

const GROUP: Record<FindingCode, FindingGroup> = {
  CATEGORY_MISSING: 'category',
  CATEGORY_NOT_LEAF: 'category',
  CATEGORY_NOT_OPEN: 'category',
  PROPERTY_UNKNOWN: 'property',
  PROPERTY_DUPLICATE: 'property',
  PROPERTY_REQUIRED: 'property',
  PROPERTY_VALUE_UNKNOWN: 'property',
  PROPERTY_TOO_MANY_VALUES: 'property',
  PROPERTY_PATTERN: 'property',
  PROPERTY_LENGTH: 'property',
  PROPERTY_NUMBER: 'property',
  PROPERTY_IMAGE_COUNT: 'image',
  PROPERTY_IMAGE_SIZE: 'image',
  IMAGE_COUNT: 'image',
  IMAGE_UNREADABLE: 'image',
  IMAGE_FORMAT: 'image',
  IMAGE_TOO_LARGE: 'image',
  IMAGE_TOO_SMALL: 'image',
  IMAGE_NOT_HOSTED: 'image',
  TITLE_MISSING: 'other',
  TITLE_TOO_LONG: 'other',
  DESCRIPTION_LENGTH: 'other',
  SKU_COUNT: 'other',
  SKU_CODE_DUPLICATE: 'other',
  SKU_PRICE: 'other',
  SKU_MARKET_PRICE: 'other',
  SALE_PROP_LEVELS: 'other',
  SALE_PROP_CARTESIAN: 'other',
  PRICE_PARITY: 'other',
  OUTER_ID_NOT_UNIQUE: 'other',
  PLATFORM_REFUSED: 'other',
};

export const groupOf = (code: FindingCode): FindingGroup => GROUP[code];

/** Image bytes by URL, fetched by the caller; an image absent here is not checked for size or format. */
export type ImageBytes = ReadonlyMap<string, Uint8Array>;

const chars = (text: string) => [...text].length;
const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Checks a draft against the target platform's rules and the category's property config, before
 * any platform call. Pure: images are passed in as bytes (dimensions read with `image-size`).
 */
export function validateListing(draft: ListingDraft, target: ValidationTarget, images: ImageBytes = new Map()) {
  const rules = PLATFORM_RULES[target.platform];
  const out: ListingFinding[] = [];
  const add = (
    code: FindingCode,
    field: string,
    message: Bilingual,
    hint: Bilingual,
    severity: 'error' | 'warning' = 'error',
  ) => out.push({ code, group: GROUP[code], severity, field, message, hint });

  checkCategory(target, add);
  checkText(draft, rules, add);
  checkImages(draft.imageUrls, rules, images, add);
  if (target.categoryId) checkProperties(draft.properties, target.properties, images, add);
  checkSkus(draft.skus, rules, add);
  return out;
}

type Add = (
  code: FindingCode,
  field: string,
  message: Bilingual,
  hint: Bilingual,
  severity?: 'error' | 'warning',
) => void;

function checkCategory(target: ValidationTarget, add: Add): void {
  if (!target.categoryId) {
    // Youzan takes items without a category; Kuaishou needs a leaf.
    if (target.platform === 'kuaishou')
      add(
        'CATEGORY_MISSING',
        'categoryId',
        { zh: '未选择快手类目', en: 'No Kuaishou category chosen' },
        { zh: '在类目映射中为该商品选择一个快手叶子类目', en: 'Map the item to a Kuaishou leaf category' },
      );
    return;
  }
  if (target.leaf === false)
    add(
      'CATEGORY_NOT_LEAF',
      'categoryId',
      { zh: `类目 ${target.categoryId} 不是叶子类目`, en: `Category ${target.categoryId} is not a leaf` },
      { zh: '选择该类目下最末一级的类目', en: 'Pick the most specific category beneath it' },
    );
  if (target.open === false)
    add(
      'CATEGORY_NOT_OPEN',
      'categoryId',
      { zh: `类目 ${target.categoryId} 未对本店开放`, en: `Category ${target.categoryId} is not open for this shop` },
      {
        zh: '换一个已开放的类目，或在快手后台申请类目资质',
        en: 'Choose an open category, or apply for it in the Kuaishou back office',
      },
    );
}

function checkText(draft: ListingDraft, rules: PlatformRules, add: Add): void {
  const title = draft.title.trim();
  if (!title)
    add(
      'TITLE_MISSING',
      'title',
      { zh: '商品标题为空', en: 'The title is empty' },
      { zh: '填写商品标题', en: 'Enter a title' },
    );
  else if (chars(title) > rules.titleMax)
    add(
      'TITLE_TOO_LONG',
      'title',
      {
        zh: `标题 ${chars(title)} 字，超过 ${rules.titleMax} 字`,
        en: `Title has ${chars(title)} characters, over ${rules.titleMax}`,
      },
      { zh: `删减到 ${rules.titleMax} 字以内`, en: `Shorten it to ${rules.titleMax} characters or fewer` },
    );
  const length = chars(draft.description.trim());
  if (length < rules.descriptionMin || length > rules.descriptionMax)
    add(
      'DESCRIPTION_LENGTH',
      'description',
      {
        zh: `商品详情 ${length} 字，需在 ${rules.descriptionMin}-${rules.descriptionMax} 字之间`,
        en: `Description has ${length} characters; it needs ${rules.descriptionMin}-${rules.descriptionMax}`,
      },
      {
        zh: length < rules.descriptionMin ? '补充商品详情描述' : '精简商品详情描述',
        en: length < rules.descriptionMin ? 'Describe the item in more words' : 'Shorten the description',
      },
    );
}

function checkImages(urls: string[], rules: PlatformRules, images: ImageBytes, add: Add): void {
  if (urls.length < 1 || urls.length > rules.imagesMax)
    add(
      'IMAGE_COUNT',
      'imageUrls',
      {
        zh: `主图 ${urls.length} 张，需 1-${rules.imagesMax} 张`,
        en: `${urls.length} main images; 1-${rules.imagesMax} are needed`,
      },
      {
        zh: urls.length < 1 ? '至少上传一张主图' : `删除多余的图片，保留 ${rules.imagesMax} 张以内`,
        en: urls.length < 1 ? 'Add at least one main image' : `Keep at most ${rules.imagesMax} images`,
      },
    );
  urls.forEach((url, index) => {
    const bytes = images.get(url);
    if (!bytes) return;
    const field = `imageUrls[${index}]`;
    const size = readSize(bytes);
    if (!size) {
      add(
        'IMAGE_UNREADABLE',
        field,
        { zh: `第 ${index + 1} 张图片无法识别`, en: `Image ${index + 1} cannot be read as an image` },
        { zh: '重新上传 JPG 或 PNG 格式的图片', en: 'Upload it again as JPG or PNG' },
      );
      return;
    }
    if (!rules.imageFormats.includes(size.type))
      add(
        'IMAGE_FORMAT',
        field,
        {
          zh: `第 ${index + 1} 张图片格式 ${size.type} 不受支持`,
          en: `Image ${index + 1} is ${size.type}, which is not accepted`,
        },
        { zh: `转换为 ${rules.imageFormats.join('/')} 格式`, en: `Convert it to ${rules.imageFormats.join('/')}` },
      );
    if (bytes.byteLength > rules.imageMaxBytes) {
      const mb = (rules.imageMaxBytes / 1024 / 1024).toFixed(0);
      add(
        'IMAGE_TOO_LARGE',
        field,
        {
          zh: `第 ${index + 1} 张图片 ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB，超过 ${mb} MB`,
          en: `Image ${index + 1} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB, over ${mb} MB`,
        },
        { zh: `压缩到 ${mb} MB 以内`, en: `Compress it below ${mb} MB` },
      );
    }
    if (Math.min(size.width, size.height) < rules.imageMinEdge)
      add(
        'IMAGE_TOO_SMALL',
        field,
        {
          zh: `第 ${index + 1} 张图片 ${size.width}×${size.height}，小于 ${rules.imageMinEdge}×${rules.imageMinEdge}`,
          en: `Image ${index + 1} is ${size.width}×${size.height}, below ${rules.imageMinEdge}×${rules.imageMinEdge}`,
        },
        { zh: '换一张更清晰的大图（建议 800×800 正方形）', en: 'Use a larger image (800×800 square is safe)' },
        index === 0 ? 'error' : 'warning',
      );
  });
}

function checkProperties(
  given: ListingPropertyValue[],
  config: ChannelCategoryProperty[],
  images: ImageBytes,
  add: Add,
): void {
  const byId = new Map(config.map((p) => [p.id, p]));
  const seen = new Set<string>();
  for (const value of given) {
    const field = `properties[${value.propertyId}]`;
    const prop = byId.get(value.propertyId);
    if (!prop) {
      add(
        'PROPERTY_UNKNOWN',
        field,
        {
          zh: `属性 ${value.propertyId} 不属于该类目`,
          en: `Property ${value.propertyId} is not a property of this category`,
        },
        { zh: '删除该属性，或换回原类目', en: 'Remove it, or choose the category it belongs to' },
      );
      continue;
    }
    if (seen.has(prop.id))
      add(
        'PROPERTY_DUPLICATE',
        field,
        { zh: `属性「${prop.name}」重复填写`, en: `Property "${prop.name}" is given twice` },
        { zh: '只保留一条', en: 'Keep one entry' },
      );
    seen.add(prop.id);
    checkValue(prop, value, field, images, add);
  }
  for (const prop of config) {
    if (!prop.required || seen.has(prop.id)) continue;
    const choices = prop.values.slice(0, 3).map((v) => v.name);
    add(
      'PROPERTY_REQUIRED',
      `properties[${prop.id}]`,
      { zh: `缺少必填属性「${prop.name}」`, en: `Required property "${prop.name}" is missing` },
      choices.length
        ? { zh: `从可选值中选择，例如：${choices.join('、')}`, en: `Choose a value, e.g. ${choices.join(', ')}` }
        : { zh: `填写「${prop.name}」`, en: `Fill in "${prop.name}"` },
    );
  }
}

function isEmpty(value: ListingPropertyValue): boolean {
  return !value.valueIds?.length && !value.text?.trim() && !value.imageUrls?.length;
}

function checkValue(
  prop: ChannelCategoryProperty,
  value: ListingPropertyValue,
  field: string,
  images: ImageBytes,
  add: Add,
): void {
  if (isEmpty(value)) {
    if (prop.required)
      add(
        'PROPERTY_REQUIRED',
        field,
        { zh: `必填属性「${prop.name}」没有值`, en: `Required property "${prop.name}" has no value` },
        { zh: `填写「${prop.name}」`, en: `Fill in "${prop.name}"` },
      );
    return;
  }
  if (prop.inputType === 'single' || prop.inputType === 'multi') {
    const known = new Set(prop.values.map((v) => v.id));
    const unknown = (value.valueIds ?? []).filter((id) => !known.has(id));
    if (unknown.length || (!value.valueIds?.length && !prop.customInput))
      add(
        'PROPERTY_VALUE_UNKNOWN',
        field,
        {
          zh: `属性「${prop.name}」的值 ${unknown.join(',') || value.text} 不在可选值中`,
          en: `"${prop.name}" value ${unknown.join(',') || value.text} is not one of its values`,
        },
        { zh: '从可选值列表中选择（品牌可搜索）', en: 'Pick from the listed values (brands can be searched)' },
      );
    const count = value.valueIds?.length ?? 0;
    const max = prop.inputType === 'single' ? 1 : prop.maxValues;
    if (max && count > max)
      add(
        'PROPERTY_TOO_MANY_VALUES',
        field,
        {
          zh: `属性「${prop.name}」最多选 ${max} 个，已选 ${count} 个`,
          en: `"${prop.name}" takes at most ${max} values; ${count} given`,
        },
        { zh: `保留最主要的 ${max} 个`, en: `Keep the ${max} most relevant` },
      );
  }
  const text = value.text?.trim() ?? '';
  if (prop.inputType === 'text' && text) checkTextFormat(prop, text, field, add);
  if (prop.inputType === 'number' && text) checkNumber(prop, text, field, add);
  if (prop.inputType === 'image') checkPropertyImages(prop, value.imageUrls ?? [], field, images, add);
}

function checkTextFormat(prop: ChannelCategoryProperty, text: string, field: string, add: Add): void {
  const format = prop.format;
  if (!format) return;
  const length = chars(text);
  if ((format.min !== undefined && length < format.min) || (format.max !== undefined && length > format.max))
    add(
      'PROPERTY_LENGTH',
      field,
      {
        zh: `属性「${prop.name}」长度 ${length}，需在 ${format.min ?? 0}-${format.max ?? '∞'} 之间`,
        en: `"${prop.name}" has ${length} characters; ${format.min ?? 0}-${format.max ?? '∞'} are allowed`,
      },
      { zh: format.message ?? `按要求调整「${prop.name}」的长度`, en: `Adjust the length of "${prop.name}"` },
    );
  const failed = format.patterns.find((pattern) => !safeTest(pattern, text));
  if (failed !== undefined)
    add(
      'PROPERTY_PATTERN',
      field,
      { zh: `属性「${prop.name}」格式不正确`, en: `"${prop.name}" is not in the required format` },
      { zh: format.message ?? `格式需匹配 ${failed}`, en: `It must match ${failed}` },
    );
}

function checkNumber(prop: ChannelCategoryProperty, text: string, field: string, add: Add): void {
  const number = Number(text);
  const { min, max } = prop.format ?? {};
  if (!Number.isFinite(number) || (min !== undefined && number < min) || (max !== undefined && number > max))
    add(
      'PROPERTY_NUMBER',
      field,
      {
        zh: `属性「${prop.name}」的值 ${text} 不是 ${min ?? '-∞'}-${max ?? '∞'} 之间的数字`,
        en: `"${prop.name}" value ${text} is not a number within ${min ?? '-∞'}-${max ?? '∞'}`,
      },
      { zh: '填写范围内的数字，不带单位', en: 'Enter a number within the range, without a unit' },
    );
}

function checkPropertyImages(
  prop: ChannelCategoryProperty,
  urls: string[],
  field: string,
  images: ImageBytes,
  add: Add,
): void {
  const rule = prop.image ?? {};
  const min = rule.minCount ?? 0;
  const max = rule.maxCount ?? Infinity;
  if (urls.length < min || urls.length > max)
    add(
      'PROPERTY_IMAGE_COUNT',
      field,
      {
        zh: `属性「${prop.name}」图片 ${urls.length} 张，需 ${min}-${max} 张`,
        en: `"${prop.name}" has ${urls.length} images; ${min}-${max} are needed`,
      },
      { zh: `上传 ${min}-${max} 张图片`, en: `Upload ${min}-${max} images` },
    );
  urls.forEach((url, index) => {
    const bytes = images.get(url);
    const size = bytes ? readSize(bytes) : undefined;
    if (!size) return;
    if ((rule.minWidth && size.width < rule.minWidth) || (rule.minHeight && size.height < rule.minHeight))
      add(
        'PROPERTY_IMAGE_SIZE',
        `${field}.imageUrls[${index}]`,
        {
          zh: `属性「${prop.name}」第 ${index + 1} 张图片 ${size.width}×${size.height}，小于 ${rule.minWidth ?? 0}×${rule.minHeight ?? 0}`,
          en: `"${prop.name}" image ${index + 1} is ${size.width}×${size.height}, below ${rule.minWidth ?? 0}×${rule.minHeight ?? 0}`,
        },
        { zh: '换一张尺寸足够的图片', en: 'Use a larger image' },
      );
  });
}

function checkSkus(skus: ListingSkuDraft[], rules: PlatformRules, add: Add): void {
  if (skus.length < 1 || skus.length > rules.skusMax)
    add(
      'SKU_COUNT',
      'skus',
      {
        zh: `SKU ${skus.length} 个，需 1-${rules.skusMax} 个`,
        en: `${skus.length} SKUs; 1-${rules.skusMax} are needed`,
      },
      {
        zh: skus.length < 1 ? '至少添加一个 SKU' : '拆分为多个商品',
        en: skus.length < 1 ? 'Add a SKU' : 'Split the item',
      },
    );
  const codes = new Set<string>();
  skus.forEach((sku, index) => {
    if (codes.has(sku.skuCode))
      add(
        'SKU_CODE_DUPLICATE',
        `skus[${index}].skuCode`,
        { zh: `SKU 编码 ${sku.skuCode} 重复`, en: `SKU code ${sku.skuCode} is used twice` },
        { zh: '每个 SKU 用不同的商家编码', en: 'Give each SKU its own merchant code' },
      );
    codes.add(sku.skuCode);
    if (!Number.isInteger(sku.priceFen) || sku.priceFen < 1 || sku.priceFen > rules.priceMaxFen)
      add(
        'SKU_PRICE',
        `skus[${index}].priceFen`,
        {
          zh: `SKU ${sku.skuCode} 价格 ${yuan(sku.priceFen)} 元不在 0.01-${yuan(rules.priceMaxFen)} 元之间`,
          en: `SKU ${sku.skuCode} price ¥${yuan(sku.priceFen)} is outside ¥0.01-${yuan(rules.priceMaxFen)}`,
        },
        { zh: '价格以分为单位，至少 1 分', en: 'Prices are in fen, at least 1' },
      );
  });
  const highest = Math.max(...skus.map((s) => s.priceFen));
  skus.forEach((sku, index) => {
    const market = sku.marketPriceFen;
    if (market === undefined) return;
    // Kuaishou: strike-through price above the item's highest sale price and at most 10× the price.
    if (market <= highest || market > sku.priceFen * 10)
      add(
        'SKU_MARKET_PRICE',
        `skus[${index}].marketPriceFen`,
        {
          zh: `SKU ${sku.skuCode} 划线价 ${yuan(market)} 元需高于最高售价 ${yuan(highest)} 元且不超过售价 10 倍`,
          en: `SKU ${sku.skuCode} strike-through ¥${yuan(market)} must exceed the highest price ¥${yuan(highest)} and be at most 10× the price`,
        },
        { zh: '调整划线价或删除划线价', en: 'Change or remove the strike-through price' },
      );
  });
  checkSaleProps(skus, rules, add);
}

function checkSaleProps(skus: ListingSkuDraft[], rules: PlatformRules, add: Add): void {
  if (skus.length < 1) return;
  const names = [...new Set(skus.flatMap((s) => s.specs.map((spec) => spec.name)))];
  if (names.length > rules.saleLevelsMax) {
    add(
      'SALE_PROP_LEVELS',
      'skus[].specs',
      {
        zh: `规格有 ${names.length} 级，最多 ${rules.saleLevelsMax} 级`,
        en: `${names.length} spec levels; at most ${rules.saleLevelsMax}`,
      },
      { zh: '合并规格，例如把「尺码+长度」合为一级', en: 'Merge spec levels (e.g. size and length into one)' },
    );
    return;
  }
  const values = names.map((name) => new Set(skus.map((s) => s.specs.find((spec) => spec.name === name)?.value)));
  const combos = new Set(
    skus.map((s) => names.map((n) => s.specs.find((spec) => spec.name === n)?.value).join('\u0000')),
  );
  const expected = values.reduce((product, set) => product * set.size, 1);
  if (values.some((set) => set.has(undefined)) || combos.size !== expected || combos.size !== skus.length)
    add(
      'SALE_PROP_CARTESIAN',
      'skus[].specs',
      {
        zh: `规格组合 ${combos.size} 个，完整组合应为 ${expected} 个（每个 SKU 各级规格都要有值且不重复）`,
        en: `${combos.size} spec combinations; the full set is ${expected} (every SKU needs a value per level, no repeats)`,
      },
      {
        zh: '补齐缺少的规格组合，或删掉不卖的规格值',
        en: 'Add the missing combinations, or drop spec values not sold',
      },
    );
}

function readSize(bytes: Uint8Array): { width: number; height: number; type: string } | undefined {
  try {
    const size = imageSize(bytes);
    if (!size.width || !size.height || !size.type) return undefined;
    return { width: size.width, height: size.height, type: size.type };
  } catch {
    return undefined;
  }
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    // A pattern the platform writes for Java that JS cannot compile is not held against the merchant.
    return true;
  }
}

/**
 * The images about to be sent to Kuaishou, after `open.item.image.upload`: every one must be on
 * Kuaishou's image host (detail images and category-suggest inputs must be; sheet §3.6).
 */
export function checkHostedImages(urls: string[], isHosted: (url: string) => boolean): ListingFinding[] {
  return urls.flatMap((url, index): ListingFinding[] =>
    isHosted(url)
      ? []
      : [
          {
            code: 'IMAGE_NOT_HOSTED',
            group: GROUP.IMAGE_NOT_HOSTED,
            severity: 'error',
            field: `imageUrls[${index}]`,
            message: {
              zh: `第 ${index + 1} 张图片不是快手图片空间地址`,
              en: `Image ${index + 1} is not a Kuaishou-hosted URL`,
            },
            hint: {
              zh: '通过 open.item.image.upload 上传后使用返回的快手地址',
              en: 'Upload it with open.item.image.upload and use the URL it answers',
            },
          },
        ],
  );
}

/** Counts by the seed's groups, errors only. */
export function countByGroup(findings: ListingFinding[]): Record<FindingGroup, number> {
  const counts: Record<FindingGroup, number> = { category: 0, property: 0, image: 0, other: 0 };
  for (const f of findings) if (f.severity === 'error') counts[f.group]++;
  return counts;
}
