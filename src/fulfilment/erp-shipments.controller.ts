import { Body, Controller, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErpSignedWebhook } from '../auth/erp-webhook.decorator';
import { CurrentPrincipal } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';
import { CreateShipmentDto } from './dto/shipment.dto';
import { ShipmentAcceptedView, ShipmentView } from './dto/shipment.view';
import { ShipmentService } from './shipment.service';

/** Signed like the ERP stock webhook; the guard has checked the credential and signature before the body is validated. */
@ApiTags('webhooks')
@Controller('webhooks/erp')
export class ErpShipmentsController {
  constructor(private readonly shipments: ShipmentService) {}

  @Post('shipments')
  @ErpSignedWebhook()
  @ApiOkResponse({
    type: ShipmentAcceptedView,
    description: 'The shipment, journaled and on its way to the platform (duplicate: recorded before, not sent again).',
  })
  async receive(
    @CurrentPrincipal() principal: Extract<Principal, { kind: 'erp' }>,
    @Body() body: CreateShipmentDto,
  ): Promise<ShipmentAcceptedView> {
    const accepted = await this.shipments.requestFromErp(principal.merchantId, principal.deliveryId, body);
    return { shipment: ShipmentView.of(accepted.shipment), duplicate: accepted.duplicate };
  }
}
