import { Module, OnModuleInit } from '@nestjs/common';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { OrdersModule } from '../orders/orders.module';
import { AccountsModule } from '../accounts/accounts.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { CampaignPagesController } from './campaign-pages.controller';
import { CampaignService, COUPON_CREATE_REPLAY } from './campaign.service';
import { CampaignsController } from './campaigns.controller';
import { CouponRedemptionConsumer } from './consumers/coupon-redemption.consumer';
import { PromotionsRepository } from './promotions.repository';
import { RedemptionService } from './redemption.service';

/** Coupon campaigns on both platforms: shared budget, per-order discount breakdown, anomalies. */
@Module({
  imports: [AccountsModule, OrdersModule, PlatformsModule, SyncFailuresModule],
  controllers: [CampaignsController, CampaignPagesController],
  providers: [PromotionsRepository, CampaignService, RedemptionService, CouponRedemptionConsumer],
  exports: [CampaignService, RedemptionService],
})
export class PromotionsModule implements OnModuleInit {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly campaigns: CampaignService,
  ) {}

  /** Retrying a refused coupon creates what is still missing (repeat-safe by the idempotency key). */
  onModuleInit(): void {
    this.failures.registerReplayHandler(COUPON_CREATE_REPLAY, async (data) => {
      const { merchantId, campaignId } = data as { merchantId: string; campaignId: string };
      const view = await this.campaigns.sync(merchantId, campaignId);
      const missing = view.channels.filter((c) => c.status !== 'created');
      return missing.length
        ? {
            confirmed: false,
            errorCode: 'COUPON_NOT_CREATED',
            reason: missing.map((c) => `${c.platform}: ${c.error}`).join('; '),
          }
        : { confirmed: true };
    });
  }
}
