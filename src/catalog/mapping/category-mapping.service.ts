import { Inject, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CLOCK, Clock } from '../../common/clock';
import { FieldError } from '../../common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '../../common/ids';
import { Db } from '../../database/db';
import { SuggestLeaf } from '../categories/category-suggest';
import { CategoryTreeService } from '../categories/category-tree.service';
import { CategoryMappingEntity, MAPPING_SCOPES, MappingScope } from './category-mapping.entity';
import { CategoryTreeMissingException, InvalidMappingException } from './category-mapping.errors';
import { CategoryMappingRepository } from './category-mapping.repository';
import defaultsFile from './default-category-mapping.json';

export interface DefaultMapping {
  youzanCid: string;
  youzanName: string;
  kuaishouCategoryId: string | null;
}

export const DEFAULT_CATEGORY_MAPPINGS: readonly DefaultMapping[] = (defaultsFile as { mappings: DefaultMapping[] }).mappings;

export interface EffectiveMapping {
  scope: MappingScope;
  youzanId: string;
  youzanName: string | null;
  kuaishouCategoryId: string | null;
  kuaishouPath: string[] | null;
  /** merchant: the merchant's own row; default: the shipped global default; none: neither. */
  source: 'merchant' | 'default' | 'none';
  /** False when the leaf is not (or no longer) open for the merchant's Kuaishou shop. */
  open: boolean | null;
}

export interface MappingInput {
  scope: MappingScope;
  youzanId: string;
  kuaishouCategoryId: string;
}

export const CSV_COLUMNS = ['scope', 'youzan_id', 'youzan_name', 'kuaishou_category_id', 'kuaishou_path', 'source'] as const;
const MAX_IMPORT_ROWS = 5_000;

/**
 * Youzan category (or single item) → Kuaishou leaf. A merchant's row wins over the shipped default; an
 * item row wins over its category. Only leaves open for the merchant's Kuaishou shop may be chosen.
 */
@Injectable()
export class CategoryMappingService {
  constructor(
    private readonly repo: CategoryMappingRepository,
    private readonly trees: CategoryTreeService,
    private readonly db: Db,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every Youzan category with its effective leaf, then the merchant's item overrides. */
  async list(merchantId: string): Promise<EffectiveMapping[]> {
    const rows = await this.repo.listByMerchant(merchantId);
    const leaves = await this.leafIndex(merchantId);
    const own = new Map(rows.map((r) => [`${r.scope}:${r.youzanId}`, r]));
    const describe = (leafId: string | null) => {
      const leaf = leafId ? leaves?.get(leafId) : undefined;
      return { kuaishouPath: leaf?.path ?? null, open: leafId && leaves ? leaf?.open !== false && !!leaf : null };
    };
    const categories: EffectiveMapping[] = DEFAULT_CATEGORY_MAPPINGS.map((d) => {
      const mine = own.get(`category:${d.youzanCid}`);
      const leafId = mine?.kuaishouCategoryId ?? d.kuaishouCategoryId;
      const source = mine ? 'merchant' : d.kuaishouCategoryId ? 'default' : 'none';
      return { scope: 'category', youzanId: d.youzanCid, youzanName: d.youzanName, kuaishouCategoryId: leafId, source, ...describe(leafId) };
    });
    const items: EffectiveMapping[] = rows
      .filter((r) => r.scope === 'item')
      .map((r) => ({ scope: 'item', youzanId: r.youzanId, youzanName: null, kuaishouCategoryId: r.kuaishouCategoryId, source: 'merchant', ...describe(r.kuaishouCategoryId) }));
    return [...categories, ...items];
  }

  /** The Kuaishou leaf for one Youzan item: its own row, else its category's row, else the default. */
  async resolve(merchantId: string, youzanCid: string | null, youzanItemId?: string): Promise<EffectiveMapping | null> {
    if (youzanItemId) {
      const item = await this.repo.find(merchantId, 'item', youzanItemId);
      if (item) return (await this.list(merchantId)).find((m) => m.scope === 'item' && m.youzanId === youzanItemId) ?? null;
    }
    return (await this.list(merchantId)).find((m) => m.scope === 'category' && m.youzanId === youzanCid) ?? null;
  }

  async set(merchantId: string, input: MappingInput): Promise<EffectiveMapping> {
    await this.apply(merchantId, [input], (i) => `${i}`);
    return (await this.list(merchantId)).find((m) => m.scope === input.scope && m.youzanId === input.youzanId.trim())!;
  }

  /** Drops the merchant's row: a category falls back to the default. */
  async clear(merchantId: string, scope: MappingScope, youzanId: string): Promise<number> {
    return this.repo.delete(merchantId, scope, youzanId);
  }

  async exportCsv(merchantId: string): Promise<string> {
    const rows = (await this.list(merchantId)).map((m) => [
      m.scope,
      m.youzanId,
      m.youzanName ?? '',
      m.kuaishouCategoryId ?? '',
      m.kuaishouPath?.join(' > ') ?? '',
      m.source,
    ]);
    return stringify([CSV_COLUMNS as unknown as string[], ...rows]);
  }

  /**
   * Applies every row that names a Kuaishou leaf, all or nothing. Rows left blank, and rows still at the
   * shipped default (source "default", same leaf), change nothing, so an exported file imports back as is.
   */
  async importCsv(merchantId: string, csv: string): Promise<{ applied: number; unchanged: number }> {
    let records: Record<string, string>[];
    try {
      records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (error) {
      throw new InvalidMappingException([{ field: 'csv', messages: [(error as Error).message] }]);
    }
    if (!records.length) throw new InvalidMappingException([{ field: 'csv', messages: ['no rows after the header'] }]);
    if (records.length > MAX_IMPORT_ROWS) {
      throw new InvalidMappingException([{ field: 'csv', messages: [`at most ${MAX_IMPORT_ROWS} rows per import`] }]);
    }
    const missing = ['scope', 'youzan_id', 'kuaishou_category_id'].filter((c) => !(c in records[0]));
    if (missing.length) throw new InvalidMappingException([{ field: 'csv', messages: [`missing columns: ${missing.join(', ')}`] }]);
    const defaults = new Map(DEFAULT_CATEGORY_MAPPINGS.map((d) => [d.youzanCid, d.kuaishouCategoryId]));
    const inputs: { input: MappingInput; line: number }[] = [];
    let unchanged = 0;
    records.forEach((record, index) => {
      const leaf = record.kuaishou_category_id ?? '';
      const atDefault = record.source === 'default' && record.scope === 'category' && defaults.get(record.youzan_id) === leaf;
      if (!leaf || atDefault) {
        unchanged++;
        return;
      }
      // Line numbers as a spreadsheet shows them: the header is line 1.
      inputs.push({ input: { scope: record.scope as MappingScope, youzanId: record.youzan_id ?? '', kuaishouCategoryId: leaf }, line: index + 2 });
    });
    await this.apply(
      merchantId,
      inputs.map((i) => i.input),
      (i) => `row ${inputs[i].line}`,
    );
    return { applied: inputs.length, unchanged };
  }

  private async apply(merchantId: string, inputs: MappingInput[], label: (index: number) => string): Promise<void> {
    const leaves = await this.leafIndex(merchantId);
    if (!leaves) throw new CategoryTreeMissingException();
    const knownCids = new Set(DEFAULT_CATEGORY_MAPPINGS.map((d) => d.youzanCid));
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    inputs.forEach((input, index) => {
      const at = label(index);
      const youzanId = input.youzanId.trim();
      if (!MAPPING_SCOPES.includes(input.scope)) errors.push({ field: `${at}.scope`, messages: [`must be one of ${MAPPING_SCOPES.join(', ')}`] });
      if (!/^\d{1,40}$/.test(youzanId)) errors.push({ field: `${at}.youzan_id`, messages: ['must be a Youzan numeric id'] });
      else if (input.scope === 'category' && !knownCids.has(youzanId)) {
        errors.push({ field: `${at}.youzan_id`, messages: [`${youzanId} is not a Youzan category`] });
      }
      const key = `${input.scope}:${youzanId}`;
      if (seen.has(key)) errors.push({ field: `${at}.youzan_id`, messages: ['appears twice in this import'] });
      seen.add(key);
      const leaf = leaves.get(input.kuaishouCategoryId.trim());
      if (!leaf) errors.push({ field: `${at}.kuaishou_category_id`, messages: [`${input.kuaishouCategoryId} is not a Kuaishou leaf category`] });
      else if (leaf.open === false) {
        errors.push({ field: `${at}.kuaishou_category_id`, messages: [`${leaf.path.join(' > ')} is not open for this shop`] });
      }
    });
    if (errors.length) throw new InvalidMappingException(errors);
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const input of inputs) {
        const existing = await this.repo.find(merchantId, input.scope, input.youzanId.trim());
        await this.repo.upsert(
          Object.assign(new CategoryMappingEntity(), {
            id: existing?.id ?? this.ids.uuid(),
            merchantId,
            scope: input.scope,
            youzanId: input.youzanId.trim(),
            kuaishouCategoryId: input.kuaishouCategoryId.trim(),
            updatedAt: now,
          }),
        );
      }
    });
  }

  private async leafIndex(merchantId: string): Promise<Map<string, SuggestLeaf> | undefined> {
    const tree = await this.trees.kuaishouLeaves(merchantId);
    return tree ? new Map(tree.leaves.map((l) => [l.id, l])) : undefined;
  }
}
