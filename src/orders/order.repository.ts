import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import type { Platform } from '../platforms/channel.port';
import { ChannelOrderLineEntity } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderSyncStateEntity } from './order-sync-state.entity';
import { PlatformPushEntity } from './platform-push.entity';

@Injectable()
export class OrderRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return this.db.manager;
  }

  lockByPlatformId(platform: Platform, platformOrderId: string): Promise<ChannelOrderEntity | null> {
    return this.db.forUpdate(this.m.getRepository(ChannelOrderEntity).createQueryBuilder('o').where('o.platform = :platform AND o.platform_order_id = :platformOrderId', { platform, platformOrderId })).getOne();
  }

  findByPlatformId(platform: Platform, platformOrderId: string): Promise<ChannelOrderEntity | null> {
    return this.m.getRepository(ChannelOrderEntity).findOneBy({ platform, platformOrderId });
  }

  /** Inserts a new order; false when another writer inserted it first. */
  async insertOrder(order: ChannelOrderEntity): Promise<boolean> {
    try {
      await this.m.getRepository(ChannelOrderEntity).insert(order);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async saveOrder(order: ChannelOrderEntity): Promise<void> {
    await this.m.getRepository(ChannelOrderEntity).save(order);
  }

  lines(orderId: string): Promise<ChannelOrderLineEntity[]> {
    return this.m.getRepository(ChannelOrderLineEntity).find({ where: { orderId }, order: { platformLineId: 'ASC' } });
  }

  async saveLine(line: ChannelOrderLineEntity): Promise<void> {
    await this.m.getRepository(ChannelOrderLineEntity).save(line);
  }

  /** Lines of a shop's platform SKU that arrived before the SKU was bound. */
  async unboundLines(connectionId: string, platformSkuId: string): Promise<{ line: ChannelOrderLineEntity; order: ChannelOrderEntity }[]> {
    const lines = await this.m
      .getRepository(ChannelOrderLineEntity)
      .createQueryBuilder('l')
      .innerJoin(ChannelOrderEntity, 'o', 'o.id = l.order_id')
      .where('o.connection_id = :connectionId AND l.platform_sku_id = :platformSkuId', { connectionId, platformSkuId })
      .andWhere({ merchantSkuId: IsNull() })
      .getMany();
    const result: { line: ChannelOrderLineEntity; order: ChannelOrderEntity }[] = [];
    for (const line of lines) {
      const order = await this.m.getRepository(ChannelOrderEntity).findOneBy({ id: line.orderId });
      if (order) result.push({ line, order });
    }
    return result;
  }

  listByMerchant(merchantId: string, limit: number, offset: number): Promise<[ChannelOrderEntity[], number]> {
    return this.m.getRepository(ChannelOrderEntity).findAndCount({ where: { merchantId }, order: { platformCreatedAt: 'DESC' }, take: limit, skip: offset });
  }

  countByConnection(connectionId: string): Promise<number> {
    return this.m.getRepository(ChannelOrderEntity).countBy({ connectionId });
  }

  /** Stores a push; false when the same message came before. */
  async insertPush(push: PlatformPushEntity): Promise<boolean> {
    try {
      await this.m.getRepository(PlatformPushEntity).insert(push);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  syncState(connectionId: string): Promise<OrderSyncStateEntity | null> {
    return this.m.getRepository(OrderSyncStateEntity).findOneBy({ connectionId });
  }

  async saveSyncState(state: OrderSyncStateEntity): Promise<void> {
    await this.m.getRepository(OrderSyncStateEntity).save(state);
  }
}
