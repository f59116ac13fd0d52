import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MerchantsService } from '../accounts/merchants.service';
import { SkuStockDetailView, SkuStockView } from './dto/stock.views';
import { StockSettingsDto } from './dto/stock-settings.dto';
import { StockQueryService } from './stock-query.service';
import { MerchantAccess } from '../auth/policy.decorator';

@ApiTags('inventory')
@Controller('api/merchants/:merchantId/skus')
export class InventoryController {
  constructor(
    private readonly stock: StockQueryService,
    private readonly merchants: MerchantsService,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @ApiOkResponse({ type: [SkuStockView] })
  async list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<SkuStockView[]> {
    await this.merchants.get(merchantId);
    return this.stock.list(merchantId);
  }

  @Get(':skuCode')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: SkuStockDetailView })
  async detail(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
  ): Promise<SkuStockDetailView> {
    return this.stock.detail(merchantId, skuCode);
  }

  @Put(':skuCode/settings')
  @MerchantAccess('owner')
  @ApiOkResponse({ type: SkuStockView })
  async settings(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
    @Body() body: StockSettingsDto,
  ): Promise<SkuStockView> {
    return this.stock.updateSettings(merchantId, skuCode, body);
  }

  @Post(':skuCode/reconcile')
  @MerchantAccess('staff', { operators: 'write' })
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'The platforms are read back and corrected shortly.' })
  async reconcile(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
  ): Promise<void> {
    await this.stock.requestReconcile(merchantId, skuCode);
  }
}
