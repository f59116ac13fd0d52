import { Module, OnModuleInit } from '@nestjs/common';
import { SyncFailureService } from '../ops/failures/sync-failure.service';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { OrdersModule } from '../orders/orders.module';
import { AccountsModule } from '../accounts/accounts.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { CampaignPagesController } from './campaign-pages.controller';
import { CampaignChangeService, COUPON_CHANGE_REPLAY } from './campaign-changes.service';
import { CampaignService, COUPON_CREATE_REPLAY } from './campaign.service';
import { CampaignsController } from './campaigns.controller';
import { CouponRedemptionConsumer } from './consumers/coupon-redemption.consumer';
import { CampaignRebalanceConsumer } from './consumers/campaign-rebalance.consumer';
import { DiscountGuardRegistry } from './discount-guard';
import { CampaignRebalanceJob } from './jobs/campaign-rebalance.job';
import { PromotionsRepository } from './promotions.repository';
import { RedemptionService } from './redemption.service';

/** Coupon campaigns on both platforms: shared budget, per-order discount breakdown, anomalies. */
@Module({
  imports: [AccountsModule, OrdersModule, PlatformsModule, SyncFailuresModule],
  controllers: [CampaignsController, CampaignPagesController],
  providers: [
    PromotionsRepository,
    CampaignService,
    CampaignChangeService,
    RedemptionService,
    CouponRedemptionConsumer,
    DiscountGuardRegistry,
    CampaignRebalanceJob,
    CampaignRebalanceConsumer,
  ],
  exports: [CampaignService, CampaignChangeService, RedemptionService, DiscountGuardRegistry],
})
export class PromotionsModule implements OnModuleInit {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly campaigns: CampaignService,
    private readonly changes: CampaignChangeService,
  ) {}

  /** Retrying a refused coupon creates what is still missing (repeat-safe by the idempotency key). */
  onModuleInit(): void {
    this.failures.registerReplayHandler(COUPON_CREATE_REPLAY, async (data) => {
      const { merchantId, campaignId } = data as { merchantId: string; campaignId: string };
      const view = await this.campaigns.sync(merchantId, campaignId);
      // An ended channel needs no coupon any more (the campaign was ended before it was created).
      const missing = view.channels.filter((c) => c.status !== 'created' && c.status !== 'ended');
      return missing.length
        ? {
            confirmed: false,
            errorCode: 'COUPON_NOT_CREATED',
            reason: missing.map((c) => `${c.platform}: ${c.error}`).join('; '),
          }
        : { confirmed: true };
    });
    // Retrying an unconfirmed end or change re-sends each platform's latest target (absolute, repeat-safe).
    this.failures.registerReplayHandler(COUPON_CHANGE_REPLAY, async (data) => {
      const { merchantId, campaignId } = data as { merchantId: string; campaignId: string };
      const { unsettled } = await this.changes.settle(merchantId, campaignId);
      return unsettled.length
        ? { confirmed: false, errorCode: 'COUPON_CHANGE_NOT_CONFIRMED', reason: unsettled.join('; ') }
        : { confirmed: true };
    });
  }
}
