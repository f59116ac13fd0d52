import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '@app/database/db';
import { CategoryNodeEntity } from './category-node.entity';
import { CategoryTreeReadEntity } from './category-tree-read.entity';

@Injectable()
export class CategoryTreeRepository {
  constructor(private readonly db: Db) {}

  private get nodes() {
    return this.db.manager.getRepository(CategoryNodeEntity);
  }

  private get reads() {
    return this.db.manager.getRepository(CategoryTreeReadEntity);
  }

  /** Replaces the shop's whole tree (call inside a transaction). */
  async replaceTree(read: CategoryTreeReadEntity, nodes: CategoryNodeEntity[]): Promise<void> {
    await this.nodes.delete({ connectionId: read.connectionId });
    for (let i = 0; i < nodes.length; i += 200) await this.nodes.insert(nodes.slice(i, i + 200));
    await this.reads.save(read);
  }

  async saveRead(read: CategoryTreeReadEntity): Promise<void> {
    await this.reads.save(read);
  }

  findRead(connectionId: string): Promise<CategoryTreeReadEntity | null> {
    return this.reads.findOneBy({ connectionId });
  }

  listReadsByMerchant(merchantId: string): Promise<CategoryTreeReadEntity[]> {
    return this.reads.find({ where: { merchantId }, order: { platform: 'ASC' } });
  }

  /** Of these shops, those not read (nor tried) since `before`. */
  async staleConnectionIds(connectionIds: string[], before: number): Promise<string[]> {
    if (!connectionIds.length) return [];
    const reads = new Map(
      (await this.reads.findBy({ connectionId: In(connectionIds) })).map((r) => [r.connectionId, r]),
    );
    return connectionIds.filter((id) => {
      const read = reads.get(id);
      return !read || ((read.readAt ?? 0) < before && read.attemptedAt < before);
    });
  }

  listNodes(connectionId: string): Promise<CategoryNodeEntity[]> {
    return this.nodes.find({ where: { connectionId }, order: { categoryId: 'ASC' } });
  }

  findNode(connectionId: string, categoryId: string): Promise<CategoryNodeEntity | null> {
    return this.nodes.findOneBy({ connectionId, categoryId });
  }
}
