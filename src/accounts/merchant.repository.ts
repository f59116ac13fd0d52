import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { MerchantEntity } from './merchant.entity';

@Injectable()
export class MerchantRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(MerchantEntity);
  }

  findById(id: string): Promise<MerchantEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async lockById(id: string): Promise<void> {
    await this.db.forUpdate(this.repo.createQueryBuilder('m').where('m.id = :id', { id })).getOne();
  }

  listAll(): Promise<MerchantEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  save(merchant: MerchantEntity): Promise<MerchantEntity> {
    return this.repo.save(merchant);
  }
}
