import { Injectable } from '@nestjs/common';
import type { ChannelOrderStatus } from '../platforms/ports/orders.port';
import type { Platform } from '../platforms/ports/platform.types';
import { ChannelOrderLineEntity } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';
import { resolveOrder } from './order-lookup';
import { OrderNotFoundException } from './orders.errors';
import { OrderRepository } from './order.repository';

export interface RegisteredOrder {
  order: ChannelOrderEntity;
  lines: ChannelOrderLineEntity[];
}

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

/**
 * Read side of the order registry for other contexts, on the same repository queries as
 * OrdersService (no query of its own).
 */
@Injectable()
export class OrderQueryService {
  constructor(private readonly orders: OrderRepository) {}

  /**
   * By any id the registry knows (ours, the ERP's, the platform's order id, a platform line id), the
   * same lookup as the orders API; undefined when the merchant has none, a 409 when two orders carry it.
   */
  async findForMerchant(merchantId: string, anyId: string): Promise<RegisteredOrder | undefined> {
    try {
      const { order } = await resolveOrder(this.orders, merchantId, anyId);
      return { order, lines: await this.orders.lines(order.id) };
    } catch (error) {
      if (error instanceof OrderNotFoundException) return undefined;
      throw error;
    }
  }

  /** Orders still to ship that reached a deadline risk level, per shop connection and level (ops console). */
  async deadlineRisksByConnection(): Promise<{ connectionId: string; risk: string; orders: number }[]> {
    return this.orders.deadlineRisksByConnection();
  }

  /** Null when the registry does not know the order or it is another merchant's. */
  async summaryForMerchant(
    merchantId: string,
    platform: Platform,
    platformOrderId: string,
  ): Promise<OrderSummary | null> {
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
