/** The listing rules of open.item.new / edit that need no store state (sheet §3.2 / §6.2). */
import { KsCatalogProp, KuaishouCatalog } from './kuaishou-emulator.catalog';
import { ksError } from './kuaishou-emulator.errors';
import { ParamReader } from './kuaishou-emulator.json';
import { KsItemProp, KsItemRecord, KsSku } from './kuaishou-emulator.model';

export const MAX_PRICE_FEN = 9_999_999;

/** serviceRule of open.item.new: a refund rule the category allows, one delivery promise (sheet §3.2). */
export function serviceRule(
  catalog: KuaishouCatalog,
  categoryId: number,
  rule: ParamReader | undefined,
): { refundRule: string; promiseSeconds: number; onShelf: boolean } {
  if (!rule) throw ksError.missing('serviceRule');
  const refundRule = rule.string('refundRule');
  if (!catalog.refundRulesOf(categoryId).map(String).includes(refundRule))
    throw ksError.business(`退货规则[${refundRule}]不在类目允许范围内`);
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

/** itemPropValues against the category's property configs: known, not repeated, the required ones present. */
export function itemProps(
  catalog: KuaishouCatalog,
  categoryId: number,
  entries: ParamReader[],
  enforceRequired: boolean,
): KsItemProp[] {
  const configs = new Map(catalog.propsOf(categoryId).map((c) => [c.propId, c]));
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
    if (missing.length)
      throw ksError.business(`必填属性未填写: ${missing.map((c) => `${c.propName}(${c.propId})`).join('、')}`);
  }
  return props;
}

export function readSkuProps(s: ParamReader): KsSku['props'] {
  const props = (s.objects('skuProps') ?? []).map((prop) => ({
    propName: prop.string('propName'),
    propValueName: prop.string('propValueName'),
    imageUrl: prop.string('imageUrl', true),
    isMainProp: prop.int('isMainProp', true) ?? 0,
    propVersion: prop.int('propVersion', true) ?? 1,
  }));
  if (!props.length) throw ksError.business('skuProps 不能为空');
  return props;
}

export function applyEdit(item: KsItemRecord, edit: NonNullable<KsItemRecord['pendingEdit']>): void {
  if (edit.title !== undefined) item.title = edit.title;
  if (edit.details !== undefined) item.details = edit.details;
  if (edit.imageUrls !== undefined) item.imageUrls = edit.imageUrls;
  if (edit.props !== undefined) item.props = edit.props;
}

function readPropValue(config: KsCatalogProp, entry: ParamReader): KsItemProp {
  const base = {
    propId: config.propId,
    propName: config.propName,
    inputType: config.inputType,
    valueIds: [] as number[],
  };
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
      if (config.maxValues > 0 && list.length > config.maxValues)
        throw ksError.business(`属性[${config.propName}]最多选择${config.maxValues}个属性值`);
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
export function checkSaleProps(skus: KsSku[]): void {
  const names = skus[0].props.map((p) => p.propName).sort();
  if (names.length > 3) throw ksError.business('销售属性最多3级');
  const combos = new Set<string>();
  const values = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const sku of skus) {
    const own = sku.props.map((p) => p.propName).sort();
    if (own.join('|') !== names.join('|')) throw ksError.business('所有SKU的销售属性必须一致');
    for (const prop of sku.props) {
      values.get(prop.propName)?.add(prop.propValueName);
      if (prop.isMainProp === 1 && !prop.imageUrl)
        throw ksError.business(`主规格[${prop.propName}:${prop.propValueName}]必须上传图片`);
    }
    combos.add(names.map((n) => sku.props.find((p) => p.propName === n)?.propValueName).join('|'));
  }
  if (combos.size !== skus.length) throw ksError.business('SKU销售属性组合重复');
  const product = [...values.values()].reduce((total, set) => total * set.size, 1);
  if (product !== skus.length) throw ksError.business('SKU必须为销售属性值的完整组合(笛卡尔积)');
}

export function checkMarketPrices(skus: KsSku[]): void {
  const highest = Math.max(...skus.map((s) => s.price));
  for (const sku of skus) {
    if (sku.marketPrice === undefined) continue;
    if (sku.marketPrice <= highest || sku.marketPrice > sku.price * 10)
      throw ksError.business('划线价必须大于商品最高售价且不超过售价的10倍');
  }
}
