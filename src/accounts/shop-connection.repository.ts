import { Injectable } from '@nestjs/common';
import { Not } from 'typeorm';
import { Db } from '../database/db';
import type { Platform } from '../platforms/ports/platform.types';
import { ShopConnectionEntity } from './shop-connection.entity';

@Injectable()
export class ShopConnectionRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(ShopConnectionEntity);
  }

  findById(id: string): Promise<ShopConnectionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  lockById(id: string): Promise<ShopConnectionEntity | null> {
    return this.db.forUpdate(this.repo.createQueryBuilder('c').where('c.id = :id', { id })).getOne();
  }

  lockByShop(platform: Platform, shopId: string): Promise<ShopConnectionEntity | null> {
    return this.db
      .forUpdate(
        this.repo.createQueryBuilder('c').where('c.platform = :platform AND c.shop_id = :shopId', { platform, shopId }),
      )
      .getOne();
  }

  findByShop(platform: Platform, shopId: string): Promise<ShopConnectionEntity | null> {
    return this.repo.findOneBy({ platform, shopId });
  }

  /** Every shop the service may read and write now. */
  listActive(): Promise<ShopConnectionEntity[]> {
    return this.repo.find({ where: { status: 'active' }, order: { createdAt: 'ASC' } });
  }

  /** Every connection not unbound by its merchant (active, needing re-authorization or revoked). */
  listBound(): Promise<ShopConnectionEntity[]> {
    return this.repo.find({
      where: { status: Not('unbound') },
      order: { platform: 'ASC', createdAt: 'ASC' },
    });
  }

  listByMerchant(merchantId: string): Promise<ShopConnectionEntity[]> {
    return this.repo.find({ where: { merchantId }, order: { platform: 'ASC', createdAt: 'ASC' } });
  }

  /** Active connections whose access token expires before `before`. */
  expiringBefore(before: number, limit: number): Promise<ShopConnectionEntity[]> {
    return this.repo
      .createQueryBuilder('c')
      .where('c.status = :status', { status: 'active' })
      .andWhere('c.access_token_expires_at < :before', { before })
      .orderBy('c.access_token_expires_at', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Active connections whose grant ends before `before` and that were not flagged yet. */
  grantEndingBefore(before: number, limit: number): Promise<ShopConnectionEntity[]> {
    return this.repo
      .createQueryBuilder('c')
      .where('c.status = :status', { status: 'active' })
      .andWhere('c.refresh_token_expires_at IS NOT NULL AND c.refresh_token_expires_at < :before', { before })
      .andWhere('c.reauth_due_at IS NULL')
      .take(limit)
      .getMany();
  }

  save(connection: ShopConnectionEntity): Promise<ShopConnectionEntity> {
    return this.repo.save(connection);
  }
}
