import { Body, Controller, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErpSignedWebhook } from '../auth/erp-webhook.decorator';
import { CurrentPrincipal } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';
import { ErpOrderLinksDto } from './dto/orders.dto';
import { ErpLinkResult, OrdersService } from './orders.service';

/** Signed like the ERP stock webhook; the guard has checked the credential and signature before the body is validated. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpOrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post('orders')
  @ErpSignedWebhook()
  @ApiOkResponse({
    description:
      "Links the ERP's order ids to orders (found by any id). Per order: linked, unchanged, not_found, ambiguous or conflict (the ERP id is on another order).",
  })
  async receive(
    @CurrentPrincipal() principal: Extract<Principal, { kind: 'erp' }>,
    @Body() body: ErpOrderLinksDto,
  ): Promise<ErpLinkResult> {
    return this.orders.applyErpLinks(principal.merchantId, principal.deliveryId, body);
  }
}
