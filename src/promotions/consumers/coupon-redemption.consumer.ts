import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { orderChangedTopic } from '@app/messaging/contracts/order-changed/order-changed.contract';
import { OrderQueryService } from '@app/orders/order-query.service';
import { RedemptionService } from '../redemption.service';

/**
 * Every new order with a discount (and every such order that becomes paid) is read from its
 * platform once more for its discounts (fee detail / order_promotion); the service counts campaign
 * redemptions and records anomalies, repeat-safe.
 */
@Injectable()
export class CouponRedemptionConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly redemptions: RedemptionService,
    private readonly orders: OrderQueryService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      orderChangedTopic,
      'promotions.coupon-redemption',
      async (p) => {
        if (p.previousStatus !== undefined && !(p.previousStatus === 'unpaid' && p.status === 'paid')) return;
        // Only an order with a discount can carry a coupon: the others cost no platform read.
        const known = await this.orders.summaryForMerchant(p.merchantId, p.platform, p.platformOrderId);
        if (!known || known.discountFen === 0) return;
        await this.redemptions.recordOrder(p.merchantId, p.platform, p.platformOrderId);
      },
      { transactional: false },
    );
  }
}
