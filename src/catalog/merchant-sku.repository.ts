import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import { MerchantSkuEntity } from './merchant-sku.entity';

@Injectable()
export class MerchantSkuRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(MerchantSkuEntity);
  }

  findById(id: string): Promise<MerchantSkuEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByCode(merchantId: string, skuCode: string): Promise<MerchantSkuEntity | null> {
    return this.repo.findOneBy({ merchantId, skuCode });
  }

  listByMerchant(merchantId: string): Promise<MerchantSkuEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { skuCode: 'ASC' } });
  }

  /** Returns the SKU with this code, creating it (a concurrent creator wins the unique key). */
  async findOrCreate(candidate: MerchantSkuEntity): Promise<MerchantSkuEntity> {
    const existing = await this.findByCode(candidate.merchantId, candidate.skuCode);
    if (existing) return existing;
    try {
      await this.repo.insert(candidate);
      return candidate;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await this.findByCode(candidate.merchantId, candidate.skuCode))!;
    }
  }
}
