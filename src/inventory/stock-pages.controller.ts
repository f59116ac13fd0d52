import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantAccess } from '../auth/policy.decorator';
import { errorWords } from '../common/http/error-words';
import { DomainException } from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { StockSettingsFormDto } from './dto/stock-settings-form.dto';
import { stockPage } from './pages/stock.pages';
import { StockQueryService } from './stock-query.service';
import { MerchantPageContext, MerchantPageRequest, MerchantPages, MerchantPageView } from '../auth/merchant-page';

/** The merchant's stock page (the JSON API under /api/merchants/:id/skus serves the same). */
@MerchantPages('stock')
export class StockPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly stock: StockQueryService,
    private readonly config: AppConfig,
  ) {}

  @MerchantPageView()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @MerchantPageRequest() { viewer, notice }: MerchantPageContext,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const data = await this.stock.workspace(merchantId);
    res.type('html').send(stockPage(merchant, data, this.config.platforms.sandbox, viewer, notice));
  }

  @Post(':skuCode/settings')
  @MerchantAccess('owner')
  async settings(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
    @Body() body: StockSettingsFormDto,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    const back = `/merchants/${merchantId}/stock`;
    try {
      await this.stock.updateSettings(merchantId, skuCode, StockSettingsFormDto.toSettings(body));
      res.redirect(
        303,
        `${back}?ok=${encodeURIComponent(`${skuCode}: 设置已保存，平台随后更新 Settings saved; the platforms follow shortly`)}`,
      );
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const detail = error.fields.flatMap((f) => f.messages).join('; ');
      res.redirect(
        303,
        `${back}?error=${encodeURIComponent(`${skuCode}: ${errorWords(error.code)}${detail ? ` (${detail})` : ''}`)}`,
      );
    }
  }
}
