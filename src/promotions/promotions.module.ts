import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { CampaignPagesController } from './campaign-pages.controller';
import { CampaignService } from './campaign.service';
import { CampaignsController } from './campaigns.controller';
import { CouponRedemptionConsumer } from './consumers/coupon-redemption.consumer';
import { PromotionsRepository } from './promotions.repository';
import { RedemptionService } from './redemption.service';

/** Coupon campaigns on both platforms: shared budget, per-order discount breakdown, anomalies. */
@Module({
  imports: [AccountsModule, PlatformsModule],
  controllers: [CampaignsController, CampaignPagesController],
  providers: [PromotionsRepository, CampaignService, RedemptionService, CouponRedemptionConsumer],
  exports: [CampaignService, RedemptionService],
})
export class PromotionsModule {}
