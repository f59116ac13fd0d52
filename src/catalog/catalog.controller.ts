import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MerchantsService } from '../accounts/merchants.service';
import { BindSkuDto } from './dto/bind-sku.dto';
import { DiscoverResultView, SkuBindingView } from './dto/sku-binding.view';
import { SkuBindingService } from './sku-binding.service';
import { MerchantAccess } from '../auth/policy.decorator';

@ApiTags('catalog')
@Controller('api/merchants/:merchantId')
export class CatalogController {
  constructor(
    private readonly bindings: SkuBindingService,
    private readonly merchants: MerchantsService,
  ) {}

  @Get('sku-bindings')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: [SkuBindingView] })
  async list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<SkuBindingView[]> {
    await this.merchants.get(merchantId);
    return (await this.bindings.listByMerchant(merchantId)).map(SkuBindingView.of);
  }

  @Post('sku-bindings')
  @MerchantAccess('owner')
  @ApiCreatedResponse({
    type: SkuBindingView,
    description: 'Binds a platform SKU to a merchant SKU by hand (for listings without the outer code).',
  })
  async bind(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: BindSkuDto,
  ): Promise<SkuBindingView> {
    await this.merchants.get(merchantId);
    const sku = { platformItemId: body.platformItemId, platformSkuId: body.platformSkuId };
    return SkuBindingView.of(await this.bindings.bindManually(merchantId, body.connectionId, body.skuCode, sku));
  }

  @Delete('sku-bindings/:bindingId')
  @MerchantAccess('owner')
  @HttpCode(204)
  @ApiNoContentResponse()
  async unbind(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('bindingId', new ParseUUIDPipe()) bindingId: string,
  ): Promise<void> {
    await this.bindings.unbind(merchantId, bindingId);
  }

  @Post('connections/:connectionId/discover-skus')
  @MerchantAccess('staff')
  @HttpCode(200)
  @ApiOkResponse({
    type: DiscoverResultView,
    description: "Reads the shop's listings and binds every SKU whose outer code is a merchant SKU code.",
  })
  async discover(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('connectionId', new ParseUUIDPipe()) connectionId: string,
  ): Promise<DiscoverResultView> {
    await this.merchants.get(merchantId);
    return this.bindings.discover(merchantId, connectionId);
  }
}
