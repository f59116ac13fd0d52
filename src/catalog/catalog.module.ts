import { Global, Module } from '@nestjs/common';
import { CategoryMappingController } from './category-mapping.controller';
import { CategorySuggestionService } from './categories/category-suggestion.service';
import { CategoryTreeRepository } from './categories/category-tree.repository';
import { CategoryTreeService } from './categories/category-tree.service';
import { CatalogController } from './catalog.controller';
import { CatalogPagesController } from './catalog-pages.controller';
import { CategoryTreeRefreshConsumer } from './consumers/category-tree-refresh.consumer';
import { CategoryTreeRefreshJob } from './jobs/category-tree-refresh.job';
import { CategoryMappingRepository } from './mapping/category-mapping.repository';
import { CategoryMappingService } from './mapping/category-mapping.service';
import { MerchantSkuRepository } from './merchant-sku.repository';
import { SkuBindingRepository } from './sku-binding.repository';
import { SkuBindingService } from './sku-binding.service';

@Global()
@Module({
  controllers: [CatalogController, CategoryMappingController, CatalogPagesController],
  providers: [
    MerchantSkuRepository,
    SkuBindingRepository,
    SkuBindingService,
    CategoryTreeRepository,
    CategoryTreeService,
    CategoryMappingRepository,
    CategoryMappingService,
    CategorySuggestionService,
    CategoryTreeRefreshJob,
    CategoryTreeRefreshConsumer,
  ],
  exports: [MerchantSkuRepository, SkuBindingRepository, SkuBindingService],
})
export class CatalogModule {}
