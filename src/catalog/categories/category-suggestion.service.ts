import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { InvalidInputException } from '@app/common/errors/domain.exception';
import { isPlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { DEFAULT_CATEGORY_MAPPINGS } from '../mapping/category-mapping.service';
import { bundledSuggester, leafKeywords } from './bundled-kuaishou-tree';
import { CategorySuggester, SuggestInput, SuggestLeaf } from './category-suggest';
import { CategoryTreeService } from './category-tree.service';

export interface SuggestRequest extends SuggestInput {
  /** Kuaishou-hosted image URLs; with at least one, Kuaishou's own suggestion API is asked too (daily-capped). */
  imageUrls?: string[];
  limit?: number;
}

export interface RankedLeaf {
  categoryId: string;
  path: string[];
  confidence: number;
  /** local: this service's matcher; kuaishou: Kuaishou's open.item.category.suggested.get. */
  sources: ('local' | 'kuaishou')[];
}

export interface SuggestAnswer {
  suggestions: RankedLeaf[];
  /** shop: the merchant's stored Kuaishou tree (open leaves only); bundled: the 2020 tree, no shop read yet. */
  tree: 'shop' | 'bundled';
  /** used, capped (daily cap reached: asked again after it resets), skipped (no images or no Kuaishou shop), failed. */
  kuaishou: 'used' | 'capped' | 'skipped' | 'failed';
}

/** How much a leaf Kuaishou itself proposes adds to the confidence. */
const PLATFORM_WEIGHT = 0.35;

@Injectable()
export class CategorySuggestionService {
  private readonly logger = new Logger(CategorySuggestionService.name);
  private readonly bundled = bundledSuggester();
  private readonly byConnection = new Map<string, { readAt: number; suggester: CategorySuggester }>();
  /** Until when each shop's daily suggestion cap is spent (in memory: at worst one refused call per instance). */
  private readonly cappedUntil = new Map<string, number>();

  constructor(
    private readonly trees: CategoryTreeService,
    private readonly connections: ConnectionsService,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async suggest(merchantId: string, request: SuggestRequest): Promise<SuggestAnswer> {
    const limit = request.limit ?? 5;
    const youzanCategory = request.youzanCategory?.trim();
    // A cid or a name of the shipped Youzan category list (the names and cids the matcher's hints know).
    const known = DEFAULT_CATEGORY_MAPPINGS.some(
      (d) => d.youzanCid === youzanCategory || d.youzanName === youzanCategory,
    );
    if (youzanCategory && !known) {
      throw new InvalidInputException('unknown_youzan_category', 'not a Youzan category', [
        { field: 'youzanCategory', messages: [`${youzanCategory} is not a Youzan category name or cid`] },
      ]);
    }
    const tree = await this.trees.kuaishouLeaves(merchantId);
    const suggester = tree ? await this.suggesterFor(merchantId, tree) : this.bundled;
    const local: RankedLeaf[] = suggester
      .suggest(request, limit)
      .map((s) => ({ ...s, sources: ['local'] as RankedLeaf['sources'] }));
    const { status, leaves } = await this.askKuaishou(merchantId, tree?.connectionId, request);
    if (!leaves.length) return { suggestions: local, tree: tree ? 'shop' : 'bundled', kuaishou: status };

    const openIds = tree ? new Set(tree.leaves.filter((l) => l.open !== false).map((l) => l.id)) : undefined;
    const merged = new Map(local.map((s) => [s.categoryId, { ...s }]));
    leaves
      .filter((leaf) => leaf.open && (!openIds || openIds.has(leaf.categoryId)))
      .forEach((leaf, rank) => {
        const boost = PLATFORM_WEIGHT / (rank + 1);
        const known = merged.get(leaf.categoryId);
        if (known) {
          known.confidence = Math.min(1, known.confidence + boost);
          known.sources.push('kuaishou');
        } else {
          merged.set(leaf.categoryId, {
            categoryId: leaf.categoryId,
            path: leaf.path,
            confidence: boost,
            sources: ['kuaishou'],
          });
        }
      });
    const suggestions = [...merged.values()]
      .map((s) => ({ ...s, confidence: Math.round(s.confidence * 1000) / 1000 }))
      .sort((a, b) => b.confidence - a.confidence)
      .slice(0, limit);
    return { suggestions, tree: tree ? 'shop' : 'bundled', kuaishou: status };
  }

  private async suggesterFor(
    merchantId: string,
    tree: { connectionId: string; leaves: SuggestLeaf[] },
  ): Promise<CategorySuggester> {
    const read = (await this.trees.reads(merchantId)).find((r) => r.connectionId === tree.connectionId);
    const readAt = read?.readAt ?? 0;
    const cached = this.byConnection.get(tree.connectionId);
    if (cached && cached.readAt === readAt) return cached.suggester;
    const suggester = new CategorySuggester(tree.leaves, leafKeywords());
    this.byConnection.set(tree.connectionId, { readAt, suggester });
    return suggester;
  }

  private async askKuaishou(merchantId: string, connectionId: string | undefined, request: SuggestRequest) {
    const none = { leaves: [] as { categoryId: string; path: string[]; open: boolean }[] };
    if (!request.imageUrls?.length) return { status: 'skipped' as const, ...none };
    const shopId =
      connectionId ??
      (await this.connections.listByMerchant(merchantId)).find(
        (c) => c.platform === 'kuaishou' && c.status === 'active',
      )?.id;
    if (!shopId) return { status: 'skipped' as const, ...none };
    if ((this.cappedUntil.get(shopId) ?? 0) > this.clock.now()) return { status: 'capped' as const, ...none };
    const connection = await this.connections.get(shopId);
    const ref = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    try {
      const leaves = await this.channels.catalog('kuaishou').suggestCategories(ref, {
        title: request.title,
        description: request.description,
        imageUrls: request.imageUrls,
      });
      return { status: 'used' as const, leaves };
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      if (error.code === 'RATE_LIMITED') {
        this.cappedUntil.set(shopId, this.clock.now() + (error.retryAfterMs ?? 3_600_000));
        return { status: 'capped' as const, ...none };
      }
      this.logger.warn(`Kuaishou category suggestion failed for ${shopId}: ${error.code}`);
      return { status: 'failed' as const, ...none };
    }
  }
}
