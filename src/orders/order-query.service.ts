import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { ChannelOrderLineEntity } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';

export interface RegisteredOrder {
  order: ChannelOrderEntity;
  lines: ChannelOrderLineEntity[];
}

/** Read side of the order registry for other contexts: an order of a merchant by any of its ids. */
@Injectable()
export class OrderQueryService {
  constructor(private readonly db: Db) {}

  /** By our order id or the platform's order id (Kuaishou oid, Youzan tid); undefined when the merchant has none. */
  async findForMerchant(merchantId: string, anyId: string): Promise<RegisteredOrder | undefined> {
    const repo = this.db.manager.getRepository(ChannelOrderEntity);
    const order =
      (await repo.findOneBy({ merchantId, id: anyId })) ??
      (await repo.findOneBy({ merchantId, platformOrderId: anyId }));
    if (!order) return undefined;
    const lines = await this.db.manager
      .getRepository(ChannelOrderLineEntity)
      .find({ where: { orderId: order.id }, order: { platformLineId: 'ASC' } });
    return { order, lines };
  }
}
