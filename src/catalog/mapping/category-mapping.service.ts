import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CLOCK, Clock } from '@app/common/clock';
import { FieldError } from '@app/common/errors/domain.exception';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { Db } from '@app/database/db';
import { isPlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { SuggestLeaf } from '../categories/category-suggest';
import { CategoryTreeService } from '../categories/category-tree.service';
import { CategoryMappingEntity, MAPPING_SCOPES, MappingScope } from './category-mapping.entity';
import {
  CategoryTreeMissingException,
  InvalidMappingException,
  MappingNotFoundException,
} from './category-mapping.errors';
import { CategoryMappingRepository } from './category-mapping.repository';
import { SkuBindingService } from '../sku-binding.service';
import defaultsFile from './default-category-mapping.json';

export interface DefaultMapping {
  youzanCid: string;
  youzanName: string;
  kuaishouCategoryId: string | null;
}

export const DEFAULT_CATEGORY_MAPPINGS: readonly DefaultMapping[] = (defaultsFile as { mappings: DefaultMapping[] })
  .mappings;

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

/** Where a refused cell is named: the JSON API uses the request's names, the CSV import `row N.column`. */
type FieldNamer = (index: number, field: keyof MappingInput) => string;
const CSV_NAMES: Record<keyof MappingInput, string> = {
  scope: 'scope',
  youzanId: 'youzan_id',
  kuaishouCategoryId: 'kuaishou_category_id',
};
/** One row to check; `write` false for rows that change nothing (blank leaf, still at the default). */
interface MappingRow {
  input: MappingInput;
  write: boolean;
}

export const CSV_COLUMNS = [
  'scope',
  'youzan_id',
  'youzan_name',
  'kuaishou_category_id',
  'kuaishou_path',
  'source',
] as const;
const MAX_IMPORT_ROWS = 5_000;
const INT64_MAX = 9_223_372_036_854_775_807n;

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
    private readonly bindings: SkuBindingService,
    private readonly connections: ConnectionsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
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
      return {
        scope: 'category',
        youzanId: d.youzanCid,
        youzanName: d.youzanName,
        kuaishouCategoryId: leafId,
        source,
        ...describe(leafId),
      };
    });
    const items: EffectiveMapping[] = rows
      .filter((r) => r.scope === 'item')
      .map((r) => ({
        scope: 'item',
        youzanId: r.youzanId,
        youzanName: null,
        kuaishouCategoryId: r.kuaishouCategoryId,
        source: 'merchant',
        ...describe(r.kuaishouCategoryId),
      }));
    return [...categories, ...items];
  }

  /** The Kuaishou leaf for one Youzan item: its own row, else its category's row, else the default. */
  async resolve(merchantId: string, youzanCid: string | null, youzanItemId?: string): Promise<EffectiveMapping | null> {
    if (youzanItemId) {
      const item = await this.repo.find(merchantId, 'item', youzanItemId);
      if (item)
        return (await this.list(merchantId)).find((m) => m.scope === 'item' && m.youzanId === youzanItemId) ?? null;
    }
    return (await this.list(merchantId)).find((m) => m.scope === 'category' && m.youzanId === youzanCid) ?? null;
  }

  async set(merchantId: string, input: MappingInput): Promise<EffectiveMapping> {
    await this.apply(merchantId, [{ input, write: true }], (_, field) => field);
    return (await this.list(merchantId)).find((m) => m.scope === input.scope && m.youzanId === input.youzanId.trim())!;
  }

  /** Drops the merchant's row: a category falls back to the default. */
  async clear(merchantId: string, scope: MappingScope, youzanId: string): Promise<number> {
    if (!/^\d{1,40}$/.test(youzanId)) {
      throw new InvalidMappingException([{ field: 'youzanId', messages: ['must be a Youzan numeric id'] }]);
    }
    if (scope === 'category' && !DEFAULT_CATEGORY_MAPPINGS.some((d) => d.youzanCid === youzanId)) {
      throw new MappingNotFoundException(`${youzanId} is not a Youzan category`);
    }
    const deleted = await this.repo.delete(merchantId, scope, youzanId);
    // A category without the merchant's row is already at its default; an item without a row has no mapping.
    if (scope === 'item' && !deleted) throw new MappingNotFoundException(`no mapping for Youzan item ${youzanId}`);
    return deleted;
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
    if (missing.length)
      throw new InvalidMappingException([{ field: 'csv', messages: [`missing columns: ${missing.join(', ')}`] }]);
    const defaults = new Map(DEFAULT_CATEGORY_MAPPINGS.map((d) => [d.youzanCid, d.kuaishouCategoryId]));
    // Every row is checked, blank leaves too (a blank leaf hides no other bad cell); only rows naming a
    // new leaf are written.
    const rows: MappingRow[] = records.map((record) => {
      const leaf = record.kuaishou_category_id ?? '';
      const atDefault =
        record.source === 'default' && record.scope === 'category' && defaults.get(record.youzan_id) === leaf;
      const input = { scope: record.scope as MappingScope, youzanId: record.youzan_id ?? '', kuaishouCategoryId: leaf };
      return { input, write: !!leaf && !atDefault };
    });
    // Line numbers as a spreadsheet shows them: the header is line 1.
    await this.apply(merchantId, rows, (index, field) => `row ${index + 2}.${CSV_NAMES[field]}`);
    const applied = rows.filter((r) => r.write).length;
    return { applied, unchanged: rows.length - applied };
  }

  private async apply(merchantId: string, rows: MappingRow[], name: FieldNamer): Promise<void> {
    const leaves = await this.leafIndex(merchantId);
    if (!leaves) throw new CategoryTreeMissingException();
    const knownCids = new Set(DEFAULT_CATEGORY_MAPPINGS.map((d) => d.youzanCid));
    const isId = (id: string) => /^\d{1,40}$/.test(id);
    const itemIds = rows
      .filter((r) => r.input.scope === 'item' && isId(r.input.youzanId.trim()))
      .map((r) => r.input.youzanId.trim());
    const missingItems = await this.missingYouzanItems(merchantId, itemIds);
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    rows.forEach(({ input, write }, index) => {
      const at = (field: keyof MappingInput, message: string) =>
        errors.push({ field: name(index, field), messages: [message] });
      const youzanId = input.youzanId.trim();
      if (!MAPPING_SCOPES.includes(input.scope)) at('scope', `must be one of ${MAPPING_SCOPES.join(', ')}`);
      if (!isId(youzanId)) at('youzanId', 'must be a Youzan numeric id');
      else if (input.scope === 'category' && !knownCids.has(youzanId)) {
        at('youzanId', `${youzanId} is not a Youzan category`);
      } else if (input.scope === 'item' && missingItems.has(youzanId)) at('youzanId', missingItems.get(youzanId)!);
      const key = `${input.scope}:${youzanId}`;
      if (seen.has(key)) at('youzanId', 'appears twice in this import');
      seen.add(key);
      if (!write) return;
      const leaf = leaves.get(input.kuaishouCategoryId.trim());
      if (!leaf) at('kuaishouCategoryId', `${input.kuaishouCategoryId} is not a Kuaishou leaf category`);
      else if (leaf.open === false) at('kuaishouCategoryId', `${leaf.path.join(' > ')} is not open for this shop`);
    });
    if (errors.length) throw new InvalidMappingException(errors);
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const { input } of rows.filter((r) => r.write)) {
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

  /**
   * Item ids that are not items of the merchant's Youzan shop(s), with the reason. An item bound to a
   * merchant SKU (the stored sku_binding rows from discovery) is known; any other is read from Youzan
   * through the catalog port (`getItem`), so an item not yet discovered can still be mapped.
   */
  private async missingYouzanItems(merchantId: string, itemIds: string[]): Promise<Map<string, string>> {
    const missing = new Map<string, string>();
    if (!itemIds.length) return missing;
    const bound = new Set(
      (await this.bindings.listByMerchant(merchantId))
        .filter((b) => b.platform === 'youzan')
        .map((b) => b.platformItemId),
    );
    const unknown = [...new Set(itemIds)].filter((id) => !bound.has(id));
    if (!unknown.length) return missing;
    const shops = (await this.connections.listByMerchant(merchantId)).filter(
      (c) => c.platform === 'youzan' && c.status === 'active',
    );
    const catalog = this.channels.catalog('youzan');
    for (const id of unknown) {
      // Youzan item ids are int64: a longer number names no item, and is not sent.
      let found = false;
      const notAnItem = `${id} is not an item of the merchant's Youzan shop`;
      if (BigInt(id) > INT64_MAX) {
        missing.set(id, notAnItem);
        continue;
      }
      for (const shop of shops) {
        try {
          await catalog.getItem({ platform: shop.platform, connectionId: shop.id, shopId: shop.shopId }, id);
          found = true;
          break;
        } catch (error) {
          // NOT_FOUND: no such item in this shop; INVALID_REQUEST: Youzan refuses the id itself.
          if (!isPlatformError(error) || !['NOT_FOUND', 'INVALID_REQUEST'].includes(error.code)) throw error;
        }
      }
      if (!found) missing.set(id, shops.length ? notAnItem : 'no active Youzan shop to find the item in');
    }
    return missing;
  }

  private async leafIndex(merchantId: string): Promise<Map<string, SuggestLeaf> | undefined> {
    const tree = await this.trees.kuaishouLeaves(merchantId);
    return tree ? new Map(tree.leaves.map((l) => [l.id, l])) : undefined;
  }
}
