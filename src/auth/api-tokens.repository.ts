import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Db } from '../database/db';
import { ApiTokenEntity } from './api-token.entity';

@Injectable()
export class ApiTokensRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(ApiTokenEntity);
  }

  async insert(token: ApiTokenEntity): Promise<void> {
    await this.repo.insert(token);
  }

  findActiveByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ tokenHash, revokedAt: IsNull() });
  }

  listByMerchant(merchantId: string): Promise<ApiTokenEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async revoke(id: string, now: number): Promise<void> {
    await this.repo.update({ id, revokedAt: IsNull() }, { revokedAt: now });
  }

  async revokeByUser(userId: string, now: number): Promise<void> {
    await this.repo.update({ userId, revokedAt: IsNull() }, { revokedAt: now });
  }
}
