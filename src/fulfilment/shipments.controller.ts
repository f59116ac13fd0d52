import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { MerchantAccess } from '../auth/policy.decorator';
import { CreateShipmentDto, ShipmentListQueryDto } from './dto/shipment.dto';
import { ShipmentAcceptedView, ShipmentView } from './dto/shipment.view';
import { ShipmentService } from './shipment.service';

@ApiTags('fulfilment')
@Controller('api/merchants/:merchantId/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentService) {}

  @Post()
  @MerchantAccess('staff')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: ShipmentAcceptedView,
    description: 'Journaled and handed to the shipment writer; poll the shipment for its outcome.',
  })
  @ApiBadRequestResponse({ description: 'Unknown carrier, bad waybill, or lines the order does not have.' })
  @ApiNotFoundResponse({ description: 'No such order for this merchant.' })
  @ApiConflictResponse({ description: 'The waybill is already recorded for this order with another carrier or lines.' })
  async create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateShipmentDto,
  ): Promise<ShipmentAcceptedView> {
    const accepted = await this.shipments.request(merchantId, body, 'api');
    return { shipment: ShipmentView.of(accepted.shipment), duplicate: accepted.duplicate };
  }

  @Get()
  @MerchantAccess('staff')
  @ApiOkResponse({ type: [ShipmentView], description: 'Newest first; filter by status or order (any of its ids).' })
  async list(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ShipmentListQueryDto,
  ): Promise<ShipmentView[]> {
    return (await this.shipments.listForMerchant(merchantId, query)).map(ShipmentView.of);
  }

  @Get(':shipmentId')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: ShipmentView })
  async get(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('shipmentId', new ParseUUIDPipe()) shipmentId: string,
  ): Promise<ShipmentView> {
    return ShipmentView.of(await this.shipments.getForMerchant(merchantId, shipmentId));
  }
}
