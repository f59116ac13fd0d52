import { Body, Controller, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErpSignedWebhook } from '../auth/erp-webhook.decorator';
import { CurrentPrincipal } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';
import { ErpPriceUpdateDto } from './dto/erp-price-update.dto';
import { ErpPriceResult, ErpPriceService } from './erp-price.service';

/** Signed like the ERP stock webhook; the guard has checked the credential and signature before the body is validated. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpPricesController {
  constructor(private readonly prices: ErpPriceService) {}

  @Post('prices')
  @ErpSignedWebhook()
  @ApiOkResponse({
    description: 'Per SKU: applied, recorded, stale or refused (with the derived prices, limit and spread).',
  })
  async receive(
    @CurrentPrincipal() principal: Extract<Principal, { kind: 'erp' }>,
    @Body() body: ErpPriceUpdateDto,
  ): Promise<ErpPriceResult> {
    return this.prices.apply(principal.merchantId, principal.deliveryId, body);
  }
}
