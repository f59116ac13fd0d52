import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Db } from '../database/db';
import { SkuBindingEntity } from './sku-binding.entity';

@Injectable()
export class SkuBindingRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(SkuBindingEntity);
  }

  findById(id: string): Promise<SkuBindingEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async connectionIdsOf(ids: string[]): Promise<{ id: string; connectionId: string }[]> {
    if (!ids.length) return [];
    return this.repo.find({ select: { id: true, connectionId: true }, where: { id: In(ids) } });
  }

  findByPlatformSku(
    connectionId: string,
    platformItemId: string,
    platformSkuId: string,
  ): Promise<SkuBindingEntity | null> {
    return this.repo.findOneBy({ connectionId, platformItemId, platformSkuId });
  }

  findForShop(merchantSkuId: string, connectionId: string): Promise<SkuBindingEntity | null> {
    return this.repo.findOneBy({ merchantSkuId, connectionId });
  }

  listByMerchantSku(merchantSkuId: string): Promise<SkuBindingEntity[]> {
    return this.repo.find({ where: { merchantSkuId }, order: { platform: 'ASC' } });
  }

  listByConnection(connectionId: string): Promise<SkuBindingEntity[]> {
    return this.repo.find({ where: { connectionId } });
  }

  listByMerchant(merchantId: string): Promise<SkuBindingEntity[]> {
    return this.repo.find({ where: { merchantId } });
  }

  async insert(binding: SkuBindingEntity): Promise<void> {
    await this.repo.insert(binding);
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
