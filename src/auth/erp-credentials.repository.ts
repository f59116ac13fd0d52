import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Db } from '../database/db';
import { ErpCredentialEntity } from './erp-credential.entity';

@Injectable()
export class ErpCredentialsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(ErpCredentialEntity);
  }

  async insert(credential: ErpCredentialEntity): Promise<void> {
    await this.repo.insert(credential);
  }

  findByKeyId(keyId: string): Promise<ErpCredentialEntity | null> {
    return this.repo.findOneBy({ keyId });
  }

  listByMerchant(merchantId: string): Promise<ErpCredentialEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { createdAt: 'ASC' } });
  }

  async revoke(keyId: string, now: number): Promise<void> {
    await this.repo.update({ keyId, revokedAt: IsNull() }, { revokedAt: now });
  }

  async expireAt(keyId: string, at: number): Promise<void> {
    await this.repo.update({ keyId, revokedAt: IsNull() }, { expiresAt: at });
  }
}
