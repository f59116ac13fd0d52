import { Body, Controller, Headers, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { CLOCK, Clock } from '../common/clock';
import { InvalidInputException } from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { ErpStockUpdateDto } from './dto/erp-stock-update.dto';
import { ERP_HEADERS, verifyErpSignature } from './erp-signature';
import { ErpStockResult, ErpWebhookService } from './erp-webhook.service';

@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpWebhooksController {
  constructor(
    private readonly erp: ErpWebhookService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('stock')
  @HttpCode(200)
  @ApiHeader({ name: ERP_HEADERS.timestamp, description: 'Unix seconds; must be within the tolerance (5 min)' })
  @ApiHeader({ name: ERP_HEADERS.signature, description: 'sha256=<hex HMAC-SHA256 of `${timestamp}.${raw body}` with the shared secret>' })
  @ApiHeader({ name: ERP_HEADERS.delivery, description: 'Unique id of this delivery; a repeated id has no second effect' })
  @ApiOkResponse({ description: 'Per SKU: applied, or stale (sequence not newer than the last one; ignored).' })
  @ApiUnauthorizedResponse({ description: 'Missing, expired or wrong signature.' })
  async stock(@Req() req: RawBodyRequest<Request>, @Headers() headers: Record<string, string | undefined>, @Body() body: ErpStockUpdateDto): Promise<ErpStockResult> {
    const problem = verifyErpSignature({
      secret: this.config.erp.webhookSecret,
      timestamp: headers[ERP_HEADERS.timestamp],
      signature: headers[ERP_HEADERS.signature],
      rawBody: req.rawBody ?? Buffer.alloc(0),
      nowMs: this.clock.now(),
      toleranceSeconds: this.config.erp.toleranceSeconds,
    });
    if (problem) throw new UnauthorizedException(`ERP webhook rejected: ${problem}`);
    const deliveryId = headers[ERP_HEADERS.delivery];
    if (!deliveryId || !/^[A-Za-z0-9._:-]{1,100}$/.test(deliveryId)) {
      throw new InvalidInputException('DELIVERY_ID_REQUIRED', `the ${ERP_HEADERS.delivery} header must be 1–100 letters, digits or ._:-`, [{ field: ERP_HEADERS.delivery, messages: ['required'] }]);
    }
    return this.erp.applyStock(deliveryId, body);
  }
}
