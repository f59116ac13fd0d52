import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import type { UserPrincipal } from '../auth/principal';
import { CurrentPrincipal, MerchantAccess, Page } from '../auth/policy.decorator';
import { AppConfig } from '../config/app-config';
import { PriceFormDto } from './dto/price-form.dto';
import { pricesPage } from './pages/prices.pages';
import { PriceChangeService } from './price-change.service';
import { PriceOverviewService } from './price-overview.service';
import { priceAnswerInWords } from './price-words';
import { merchantPageViewer, pageNotice } from '../auth/merchant-page';

/** The merchant's prices page (the JSON API under /api/merchants/:id/prices serves the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId/prices')
export class PricingPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly overview: PriceOverviewService,
    private readonly changes: PriceChangeService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @Page()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query('ok') ok: string | undefined,
    @Query('error') error: string | undefined,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const viewer = merchantPageViewer(principal);
    const notice = pageNotice(ok, error, 500);
    const skus = await this.overview.forMerchant(merchantId);
    res.type('html').send(pricesPage(merchant, skus, this.config.platforms.sandbox, viewer, notice));
  }

  @Post(':skuCode')
  @MerchantAccess('owner')
  async set(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
    @Body() body: PriceFormDto,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    const answer = await priceAnswerInWords(skuCode, () =>
      this.changes.request(merchantId, skuCode, PriceFormDto.toRequest(body)),
    );
    res.redirect(
      303,
      `/merchants/${merchantId}/prices?${answer.ok ? 'ok' : 'error'}=${encodeURIComponent(answer.text)}`,
    );
  }
}
