import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal, ErpCredential } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';
import { ERP_HEADERS } from '../auth/erp-signature';
import { ErpPriceUpdateDto } from './dto/erp-price-update.dto';
import { ErpPriceResult, ErpPriceService } from './erp-price.service';

/** Signed like the ERP stock webhook; the guard has checked the credential and signature before the body is validated. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpPricesController {
  constructor(private readonly prices: ErpPriceService) {}

  @Post('prices')
  @ErpCredential()
  @HttpCode(200)
  @ApiHeader({
    name: ERP_HEADERS.keyId,
    description: "Key id of one of the merchant's ERP credentials: it names the merchant",
  })
  @ApiHeader({ name: ERP_HEADERS.timestamp, description: 'Unix seconds; must be within the tolerance (5 min)' })
  @ApiHeader({
    name: ERP_HEADERS.delivery,
    description: 'Unique id of this delivery; a repeated id has no second effect',
  })
  @ApiHeader({
    name: ERP_HEADERS.signature,
    description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${delivery id}.${raw body}` with the credential secret>',
  })
  @ApiOkResponse({
    description: 'Per SKU: applied, recorded, stale or refused (with the derived prices, limit and spread).',
  })
  @ApiUnauthorizedResponse({ description: 'Unknown, revoked or expired key; missing, expired or wrong signature.' })
  async receive(
    @CurrentPrincipal() principal: Extract<Principal, { kind: 'erp' }>,
    @Body() body: ErpPriceUpdateDto,
  ): Promise<ErpPriceResult> {
    return this.prices.apply(principal.merchantId, principal.deliveryId, body);
  }
}
