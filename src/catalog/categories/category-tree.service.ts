import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsService } from '@app/accounts/connections.service';
import { CLOCK, Clock } from '@app/common/clock';
import { Db } from '@app/database/db';
import { isPlatformError } from '@app/platforms/platform-error';
import { ChannelRegistry, CHANNELS } from '@app/platforms/ports/channel.registry';
import { CategoryNodeEntity } from './category-node.entity';
import { CategoryTreeReadEntity } from './category-tree-read.entity';
import { CategoryTreeRepository } from './category-tree.repository';
import { leavesOf, SuggestLeaf } from './category-suggest';

/** A tree is read again after this long (the platforms change their trees rarely). */
export const CATEGORY_TREE_MAX_AGE_MS = 24 * 3_600_000;

/** Reads each shop's category tree through the catalog port and keeps it, with the date it was read. */
@Injectable()
export class CategoryTreeService {
  constructor(
    private readonly repo: CategoryTreeRepository,
    private readonly connections: ConnectionsService,
    private readonly db: Db,
    @Inject(CHANNELS) private readonly channels: ChannelRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Reads the tree of one of the merchant's shops now and replaces the stored one (a shop of another merchant is
   * not found); a platform failure is recorded on the read row and rethrown.
   */
  async refresh(merchantId: string, connectionId: string): Promise<CategoryTreeReadEntity> {
    const connection = await this.connections.getOwned(merchantId, connectionId);
    const ref = { platform: connection.platform, connectionId: connection.id, shopId: connection.shopId };
    const attemptedAt = this.clock.now();
    const previous = await this.repo.findRead(connectionId);
    const read: CategoryTreeReadEntity = Object.assign(new CategoryTreeReadEntity(), {
      connectionId,
      merchantId: connection.merchantId,
      platform: connection.platform,
      readAt: previous?.readAt ?? null,
      categoryCount: previous?.categoryCount ?? 0,
      lastError: null,
      attemptedAt,
    });
    try {
      const categories = await this.channels.catalog(connection.platform).getCategories(ref);
      const nodes = dedupe(categories).map((c) =>
        Object.assign(new CategoryNodeEntity(), {
          connectionId,
          categoryId: c.id,
          parentId: c.parentId,
          name: c.name.slice(0, 200),
          leaf: c.leaf,
          open: c.open !== false,
        }),
      );
      read.readAt = attemptedAt;
      read.categoryCount = nodes.length;
      await this.db.transaction(() => this.repo.replaceTree(read, nodes));
      return read;
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      read.lastError = `${error.code}: ${error.message}`.slice(0, 500);
      await this.repo.saveRead(read);
      throw error;
    }
  }

  reads(merchantId: string): Promise<CategoryTreeReadEntity[]> {
    return this.repo.listReadsByMerchant(merchantId);
  }

  async nodes(merchantId: string, connectionId: string): Promise<CategoryNodeEntity[]> {
    await this.connections.getOwned(merchantId, connectionId);
    return this.repo.listNodes(connectionId);
  }

  /** Leaves with full paths and open flags of the merchant's stored Kuaishou tree, or undefined when none is stored. */
  async kuaishouLeaves(merchantId: string): Promise<{ connectionId: string; leaves: SuggestLeaf[] } | undefined> {
    const read = (await this.repo.listReadsByMerchant(merchantId)).find((r) => r.platform === 'kuaishou' && r.readAt);
    if (!read) return undefined;
    const nodes = await this.repo.listNodes(read.connectionId);
    const leaves = leavesOf(
      nodes.map((n) => ({ id: n.categoryId, parentId: n.parentId, name: n.name, leaf: n.leaf, open: n.open })),
    );
    return { connectionId: read.connectionId, leaves };
  }

  /** Shops among `connectionIds` whose tree is due for a scheduled read. */
  due(connectionIds: string[]): Promise<string[]> {
    return this.repo.staleConnectionIds(connectionIds, this.clock.now() - CATEGORY_TREE_MAX_AGE_MS);
  }
}

/** The 2020 Kuaishou data repeats no id, but a platform answer might: keep the first. */
function dedupe<T extends { id: string }>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.id) && seen.add(row.id));
}
