import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantAccess } from '../auth/policy.decorator';
import { AppConfig } from '../config/app-config';
import { PriceFormDto } from './dto/price-form.dto';
import { pricesPage } from './pages/prices.pages';
import { PriceChangeService } from './price-change.service';
import { PriceOverviewService } from './price-overview.service';
import { priceAnswerInWords } from './price-words';
import { MerchantPageContext, MerchantPageRequest, MerchantPages, MerchantPageView } from '../auth/merchant-page';

/** The merchant's prices page (the JSON API under /api/merchants/:id/prices serves the same). */
@MerchantPages('prices')
export class PricingPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly overview: PriceOverviewService,
    private readonly changes: PriceChangeService,
    private readonly config: AppConfig,
  ) {}

  @MerchantPageView()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @MerchantPageRequest(500) { viewer, notice }: MerchantPageContext,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
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
