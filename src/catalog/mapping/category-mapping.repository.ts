import { Injectable } from '@nestjs/common';
import { Db } from '@app/database/db';
import { CategoryMappingEntity, MappingScope } from './category-mapping.entity';

@Injectable()
export class CategoryMappingRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(CategoryMappingEntity);
  }

  listByMerchant(merchantId: string): Promise<CategoryMappingEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { scope: 'ASC', youzanId: 'ASC' } });
  }

  find(merchantId: string, scope: MappingScope, youzanId: string): Promise<CategoryMappingEntity | null> {
    return this.repo.findOneBy({ merchantId, scope, youzanId });
  }

  /** Insert or replace the row for (merchant, scope, Youzan id); the unique index keeps one. */
  async upsert(row: CategoryMappingEntity): Promise<void> {
    await this.repo.upsert(row, {
      conflictPaths: ['merchantId', 'scope', 'youzanId'],
      skipUpdateIfNoValuesChanged: true,
    });
  }

  async delete(merchantId: string, scope: MappingScope, youzanId: string): Promise<number> {
    return (await this.repo.delete({ merchantId, scope, youzanId })).affected ?? 0;
  }
}
