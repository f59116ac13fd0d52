import { Injectable } from '@nestjs/common';
import type { ChannelOrderStatus } from '../platforms/ports/orders.port';
import type { Platform } from '../platforms/ports/platform.types';
import { OrderRepository } from './order.repository';

/** An order as the registry knows it, for other contexts (they never read the order tables). */
export interface OrderSummary {
  orderId: string;
  platform: Platform;
  platformOrderId: string;
  status: ChannelOrderStatus;
  platformCreatedAt: number;
  goodsTotalFen: number;
  discountFen: number;
  shippingFeeFen: number;
  paidFen: number;
}

@Injectable()
export class OrderQueryService {
  constructor(private readonly orders: OrderRepository) {}

  /** Null when the registry does not know the order or it is another merchant's. */
  async findForMerchant(merchantId: string, platform: Platform, platformOrderId: string): Promise<OrderSummary | null> {
    const order = await this.orders.findByPlatformId(platform, platformOrderId);
    if (!order || order.merchantId !== merchantId) return null;
    return {
      orderId: order.id,
      platform: order.platform,
      platformOrderId: order.platformOrderId,
      status: order.status,
      platformCreatedAt: order.platformCreatedAt,
      goodsTotalFen: order.goodsTotalFen,
      discountFen: order.discountFen,
      shippingFeeFen: order.shippingFeeFen,
      paidFen: order.paidFen,
    };
  }
}
