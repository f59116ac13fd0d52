import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { SyncFailuresModule } from '../ops/failures/sync-failures.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { CategoryMappingController } from './category-mapping.controller';
import { CategorySuggestionService } from './categories/category-suggestion.service';
import { CategoryTreeRepository } from './categories/category-tree.repository';
import { CategoryTreeService } from './categories/category-tree.service';
import { CatalogController } from './catalog.controller';
import { CatalogPagesController } from './catalog-pages.controller';
import { CategoryTreeRefreshConsumer } from './consumers/category-tree-refresh.consumer';
import { CategoryTreeRefreshJob } from './jobs/category-tree-refresh.job';
import { ListingPublishConsumer } from './consumers/listing-publish.consumer';
import { ListingPublishJob } from './jobs/listing-publish.job';
import { ListingPriceGuards } from './listings/listing-price-guard';
import { ListingDraftService } from './listings/listing-drafts.service';
import { ListingEditService } from './listings/listing-edits.service';
import { ListingImageHostService } from './listings/listing-image-host.service';
import { ListingImportService } from './listings/listing-import.service';
import { ListingPublishService } from './listings/listing-publish.service';
import { ListingPublisherService } from './listings/listing-publisher.service';
import { ListingScheduleService } from './listings/listing-schedule.service';
import { ListingRepository } from './listings/listing.repository';
import { ListingsController } from './listings.controller';
import { CategoryMappingRepository } from './mapping/category-mapping.repository';
import { CategoryMappingService } from './mapping/category-mapping.service';
import { MerchantSkuRepository } from './merchant-sku.repository';
import { MerchantSkuService } from './merchant-sku.service';
import { SkuBindingRepository } from './sku-binding.repository';
import { SkuBindingService } from './sku-binding.service';

@Module({
  imports: [AccountsModule, PlatformsModule, SyncFailuresModule],
  controllers: [CatalogController, CategoryMappingController, CatalogPagesController, ListingsController],
  providers: [
    MerchantSkuRepository,
    SkuBindingRepository,
    MerchantSkuService,
    SkuBindingService,
    CategoryTreeRepository,
    CategoryTreeService,
    CategoryMappingRepository,
    CategoryMappingService,
    CategorySuggestionService,
    CategoryTreeRefreshJob,
    CategoryTreeRefreshConsumer,
    ListingRepository,
    ListingPriceGuards,
    ListingDraftService,
    ListingImageHostService,
    ListingPublisherService,
    ListingEditService,
    ListingImportService,
    ListingScheduleService,
    ListingPublishService,
    ListingPublishConsumer,
    ListingPublishJob,
  ],
  exports: [MerchantSkuService, SkuBindingService, ListingPriceGuards],
})
export class CatalogModule {}
