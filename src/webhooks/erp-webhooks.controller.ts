import { Body, Controller, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErpSignedWebhook } from '../auth/erp-webhook.decorator';
import { CurrentPrincipal } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';
import { ErpStockUpdateDto } from './dto/erp-stock-update.dto';
import { ErpStockResult, ErpWebhookService } from './erp-webhook.service';

/** The guard has checked the credential and signature before the body is validated. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpWebhooksController {
  constructor(private readonly erp: ErpWebhookService) {}

  @Post('stock')
  @ErpSignedWebhook()
  @ApiOkResponse({ description: 'Per SKU: applied, or stale (sequence not newer than the last one; ignored).' })
  async stock(
    @CurrentPrincipal() principal: Extract<Principal, { kind: 'erp' }>,
    @Body() body: ErpStockUpdateDto,
  ): Promise<ErpStockResult> {
    return this.erp.applyStock(principal.merchantId, principal.deliveryId, body);
  }
}
