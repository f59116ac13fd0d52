import realData from '../data/kuaishou-categories.json';
import syntheticData from '../data/kuaishou-categories-synthetic.json';

interface DataValue {
  id: number;
  name: string;
}

interface DataProperty {
  propId: number;
  name: string | null;
  required: boolean | null;
  inputType: string | null;
  propValueMaximum?: number;
  values: DataValue[];
}

interface DataFile {
  categories: { id: number; name: string; parentId: number | null }[];
  properties: Record<string, DataProperty[]>;
  categoryConfigs?: Record<string, { refundRuleList?: number[] }>;
}

export interface KsCatalogCategory {
  id: number;
  name: string;
  pid: number;
  leaf: boolean;
}

export interface KsCatalogProp {
  propId: number;
  propName: string;
  required: boolean;
  inputType: string;
  maxValues: number;
  values: DataValue[];
  sortNum: number;
}

const BRAND_PROP_ID = 102;
const DEFAULT_REFUND_RULES = [1, 4];

/**
 * The category tree (real 2020 open.item.category snapshot) and category properties: the
 * synthetic set for 13 real leaves, the real 单鞋 (1715) config, and an optional brand (102)
 * everywhere else. Rows with an unknown parent are left out, as the API would not list them.
 */
export class KuaishouCatalog {
  readonly categories: KsCatalogCategory[];
  private readonly byId = new Map<number, KsCatalogCategory>();
  private readonly props = new Map<number, KsCatalogProp[]>();
  private readonly refundRules = new Map<number, number[]>();
  private readonly brandValues: DataValue[];

  constructor() {
    const real = realData as unknown as DataFile;
    const synthetic = syntheticData as unknown as DataFile;
    const rows = real.categories.filter((row) => row.parentId !== null);
    const parents = new Set(rows.map((row) => row.parentId));
    this.categories = rows.map((row) => ({
      id: row.id,
      name: row.name,
      pid: row.parentId ?? 0,
      leaf: !parents.has(row.id),
    }));
    for (const category of this.categories) this.byId.set(category.id, category);

    const load = (file: DataFile) => {
      for (const [key, list] of Object.entries(file.properties)) {
        const id = Number(key);
        if (!Number.isInteger(id) || !this.byId.has(id) || list.some((p) => p.name === null || p.inputType === null))
          continue;
        this.props.set(
          id,
          list.map((p, index) => ({
            propId: p.propId,
            propName: p.name ?? '',
            required: p.required === true,
            inputType: p.inputType ?? 'TEXT',
            maxValues: p.propValueMaximum ?? 0,
            values: p.values.map((v) => ({ id: v.id, name: v.name })),
            sortNum: index + 1,
          })),
        );
      }
    };
    load(real);
    load(synthetic);
    for (const [key, config] of Object.entries(real.categoryConfigs ?? {})) {
      if (config.refundRuleList) this.refundRules.set(Number(key), config.refundRuleList);
    }
    const brands = new Map<number, DataValue>();
    for (const list of [...Object.values(real.properties), ...Object.values(synthetic.properties)]) {
      for (const p of list)
        if (p.propId === BRAND_PROP_ID) for (const v of p.values) brands.set(v.id, { id: v.id, name: v.name });
    }
    this.brandValues = [...brands.values()];
  }

  get(id: number): KsCatalogCategory | undefined {
    return this.byId.get(id);
  }

  isLeaf(id: number): boolean {
    return this.byId.get(id)?.leaf === true;
  }

  /** Path from the root to this category. */
  path(id: number): KsCatalogCategory[] {
    const path: KsCatalogCategory[] = [];
    for (let node = this.byId.get(id); node; node = node.pid ? this.byId.get(node.pid) : undefined) path.unshift(node);
    return path;
  }

  propsOf(id: number): KsCatalogProp[] {
    const known = this.props.get(id);
    if (known) return known;
    return [
      {
        propId: BRAND_PROP_ID,
        propName: '品牌',
        required: false,
        inputType: 'RADIO',
        maxValues: 0,
        values: this.brandValues,
        sortNum: 1,
      },
    ];
  }

  refundRulesOf(id: number): number[] {
    return this.refundRules.get(id) ?? DEFAULT_REFUND_RULES;
  }
}
