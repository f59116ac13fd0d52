import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../common/errors/db-errors';
import { Db } from '../../database/db';
import type { Platform } from '../../platforms/ports/platform.types';
import { ChannelOrderLineEntity } from '../channel-order-line.entity';
import { ChannelOrderEntity } from '../channel-order.entity';
import { ChannelRefundEntity } from './channel-refund.entity';

export interface RefundFilter {
  status?: string;
  platform?: string;
  platformOrderId?: string;
  limit: number;
  offset: number;
}

/** The after-sales registry's rows, and the order lines they refer to (same context: orders). */
@Injectable()
export class RefundRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return this.db.manager;
  }

  findByPlatformId(platform: Platform, platformRefundId: string): Promise<ChannelRefundEntity | null> {
    return this.m.getRepository(ChannelRefundEntity).findOneBy({ platform, platformRefundId });
  }

  lockByPlatformId(platform: Platform, platformRefundId: string): Promise<ChannelRefundEntity | null> {
    return this.db
      .forUpdate(
        this.m
          .getRepository(ChannelRefundEntity)
          .createQueryBuilder('r')
          .where('r.platform = :platform AND r.platform_refund_id = :platformRefundId', { platform, platformRefundId }),
      )
      .getOne();
  }

  /** Inserts a new refund; false when another writer inserted it first. */
  async insert(refund: ChannelRefundEntity): Promise<boolean> {
    try {
      await this.m.getRepository(ChannelRefundEntity).insert(refund);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async save(refund: ChannelRefundEntity): Promise<void> {
    await this.m.getRepository(ChannelRefundEntity).save(refund);
  }

  refundsOfOrder(platform: Platform, platformOrderId: string): Promise<ChannelRefundEntity[]> {
    return this.m.getRepository(ChannelRefundEntity).findBy({ platform, platformOrderId });
  }

  order(platform: Platform, platformOrderId: string): Promise<ChannelOrderEntity | null> {
    return this.m.getRepository(ChannelOrderEntity).findOneBy({ platform, platformOrderId });
  }

  /** The order row locked: refunds of one order apply their stock effects one at a time, as its ingest does. */
  lockOrder(orderId: string): Promise<ChannelOrderEntity | null> {
    return this.db
      .forUpdate(this.m.getRepository(ChannelOrderEntity).createQueryBuilder('o').where('o.id = :orderId', { orderId }))
      .getOne();
  }

  lines(orderId: string): Promise<ChannelOrderLineEntity[]> {
    return this.m.getRepository(ChannelOrderLineEntity).find({ where: { orderId }, order: { platformLineId: 'ASC' } });
  }

  /** Orders of the binding's shop with a line of its platform SKU and a refund that put units back on sale. */
  async ordersWithRestockingRefunds(binding: {
    connectionId: string;
    platformItemId: string;
    platformSkuId: string;
  }): Promise<string[]> {
    const rows: { id: string }[] = await this.m
      .getRepository(ChannelOrderEntity)
      .createQueryBuilder('o')
      .select('DISTINCT o.id', 'id')
      .innerJoin(ChannelOrderLineEntity, 'l', 'l.order_id = o.id')
      .innerJoin(
        ChannelRefundEntity,
        'r',
        'r.platform = o.platform AND r.platform_order_id = o.platform_order_id AND r.restock_units > 0',
      )
      .where('o.connection_id = :connectionId', { connectionId: binding.connectionId })
      .andWhere('l.platform_item_id = :itemId AND l.platform_sku_id = :skuId', {
        itemId: binding.platformItemId,
        skuId: binding.platformSkuId,
      })
      .getRawMany();
    return rows.map((r) => r.id);
  }

  findForMerchant(merchantId: string, id: string): Promise<ChannelRefundEntity | null> {
    return this.m.getRepository(ChannelRefundEntity).findOneBy({ merchantId, id });
  }

  list(merchantId: string, filter: RefundFilter): Promise<[ChannelRefundEntity[], number]> {
    const qb = this.m
      .getRepository(ChannelRefundEntity)
      .createQueryBuilder('r')
      .where('r.merchant_id = :merchantId', { merchantId });
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.platform) qb.andWhere('r.platform = :platform', { platform: filter.platform });
    if (filter.platformOrderId)
      qb.andWhere('r.platform_order_id = :platformOrderId', { platformOrderId: filter.platformOrderId });
    return qb
      .orderBy('r.platform_updated_at', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
  }
}
