import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConsumerRegistry } from '@app/messaging/consumer/consumer.registry';
import { orderChangedTopic } from '@app/messaging/contracts/order-changed/order-changed.contract';
import { RedemptionService } from '../redemption.service';

/**
 * Every new order (and every order that becomes paid) is read from its platform once more for its
 * discounts; the service counts campaign redemptions and records anomalies, repeat-safe.
 */
@Injectable()
export class CouponRedemptionConsumer implements OnModuleInit {
  constructor(
    private readonly consumers: ConsumerRegistry,
    private readonly redemptions: RedemptionService,
  ) {}

  onModuleInit(): void {
    this.consumers.register(
      orderChangedTopic,
      'promotions.coupon-redemption',
      async (p) => {
        if (p.previousStatus !== undefined && !(p.previousStatus === 'unpaid' && p.status === 'paid')) return;
        await this.redemptions.recordOrder(p.merchantId, p.platform, p.platformOrderId);
      },
      { transactional: false },
    );
  }
}
