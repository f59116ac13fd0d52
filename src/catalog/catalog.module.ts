import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PlatformsModule } from '../platforms/platforms.module';
import { CatalogController } from './catalog.controller';
import { MerchantSkuRepository } from './merchant-sku.repository';
import { MerchantSkuService } from './merchant-sku.service';
import { SkuBindingRepository } from './sku-binding.repository';
import { SkuBindingService } from './sku-binding.service';

@Module({
  imports: [AccountsModule, PlatformsModule],
  controllers: [CatalogController],
  providers: [MerchantSkuRepository, SkuBindingRepository, MerchantSkuService, SkuBindingService],
  exports: [MerchantSkuService, SkuBindingService],
})
export class CatalogModule {}
