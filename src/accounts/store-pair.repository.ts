import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { StorePairEntity } from './store-pair.entity';

@Injectable()
export class StorePairRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(StorePairEntity);
  }

  findById(id: string): Promise<StorePairEntity | null> {
    return this.repo.findOneBy({ id });
  }

  listByMerchant(merchantId: string): Promise<StorePairEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  listActive(): Promise<StorePairEntity[]> {
    return this.repo.find({ where: { status: 'active' } });
  }

  findByConnection(connectionId: string): Promise<StorePairEntity | null> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.kuaishou_connection_id = :id OR p.youzan_connection_id = :id', { id: connectionId })
      .getOne();
  }

  save(pair: StorePairEntity): Promise<StorePairEntity> {
    return this.repo.save(pair);
  }
}
