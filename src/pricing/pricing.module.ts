import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CatalogModule } from '../catalog/catalog.module';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { PromotionsModule } from '../promotions/promotions.module';
import { WebhookDeliveriesModule } from '../webhooks/deliveries/webhook-deliveries.module';
import { PriceAuditConsumer } from './consumers/price-audit.consumer';
import { PriceChangedConsumer } from './consumers/price-changed.consumer';
import { SkuBoundPriceConsumer } from './consumers/sku-bound-price.consumer';
import { DiscountParityService } from './discount-parity.service';
import { ErpPriceService } from './erp-price.service';
import { ErpPricesController } from './erp-prices.controller';
import { ParityAuditJob } from './jobs/parity-audit.job';
import { ListingPriceGuardService } from './listing-price-guard.service';
import { LISTING_SKU_PRICE_WRITER } from '../catalog/listings/listing-sku-price-writer';
import { PriceChangeService } from './price-change.service';
import { PriceListingsService } from './price-listings.service';
import { PricePolicyService } from './price-policy.service';
import { PriceWriterService } from './price-writer.service';
import { PricingController } from './pricing.controller';
import { PricingPagesController } from './pricing-pages.controller';
import { PriceOverviewService } from './price-overview.service';
import { PricingRepository } from './pricing.repository';

@Module({
  imports: [
    AccountsModule,
    CatalogModule,
    PlatformsModule,
    PromotionsModule,
    SyncFailuresModule,
    WebhookDeliveriesModule,
  ],
  controllers: [PricingController, ErpPricesController, PricingPagesController],
  providers: [
    PricingRepository,
    PricePolicyService,
    PriceListingsService,
    PriceWriterService,
    PriceChangeService,
    // The catalog's SKU price edits go through the same guard (looked up by token: catalog cannot import pricing).
    { provide: LISTING_SKU_PRICE_WRITER, useExisting: PriceChangeService },
    ErpPriceService,
    PriceChangedConsumer,
    PriceAuditConsumer,
    ParityAuditJob,
    PriceOverviewService,
    SkuBoundPriceConsumer,
    DiscountParityService,
    ListingPriceGuardService,
  ],
  exports: [PricePolicyService, PriceWriterService],
})
export class PricingModule {}
