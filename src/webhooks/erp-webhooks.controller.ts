import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentPrincipal, ErpCredential } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';
import { ErpStockUpdateDto } from './dto/erp-stock-update.dto';
import { ERP_HEADERS } from '../auth/erp-signature';
import { ErpStockResult, ErpWebhookService } from './erp-webhook.service';

/** The guard has checked the credential and signature before the body is validated. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpWebhooksController {
  constructor(private readonly erp: ErpWebhookService) {}

  @Post('stock')
  @ErpCredential()
  @HttpCode(200)
  @ApiHeader({
    name: ERP_HEADERS.keyId,
    description: "Key id of one of the merchant's ERP credentials: it names the merchant",
  })
  @ApiHeader({ name: ERP_HEADERS.timestamp, description: 'Unix seconds; must be within the tolerance (5 min)' })
  @ApiHeader({
    name: ERP_HEADERS.delivery,
    description: 'Unique id of this delivery (1–100 of A-Z a-z 0-9 ._:-); a repeated id has no second effect',
  })
  @ApiHeader({
    name: ERP_HEADERS.signature,
    description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${delivery id}.${raw body}` with the credential secret>',
  })
  @ApiOkResponse({ description: 'Per SKU: applied, or stale (sequence not newer than the last one; ignored).' })
  @ApiUnauthorizedResponse({ description: 'Unknown, revoked or expired key; missing, expired or wrong signature.' })
  async stock(
    @CurrentPrincipal() principal: Extract<Principal, { kind: 'erp' }>,
    @Body() body: ErpStockUpdateDto,
  ): Promise<ErpStockResult> {
    return this.erp.applyStock(principal.merchantId, principal.deliveryId, body);
  }
}
