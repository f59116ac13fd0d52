import { Global, Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller';
import { MerchantSkuRepository } from './merchant-sku.repository';
import { SkuBindingRepository } from './sku-binding.repository';
import { SkuBindingService } from './sku-binding.service';

@Global()
@Module({
  controllers: [CatalogController],
  providers: [MerchantSkuRepository, SkuBindingRepository, SkuBindingService],
  exports: [MerchantSkuRepository, SkuBindingRepository, SkuBindingService],
})
export class CatalogModule {}
