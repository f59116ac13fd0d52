import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import type { UserPrincipal } from '../auth/principal';
import { CurrentPrincipal, MerchantAccess, Page } from '../auth/policy.decorator';
import { AppConfig } from '../config/app-config';
import { shipmentsPage } from './pages/shipments.pages';
import { ShipmentService } from './shipment.service';

/** The merchant's shipments page (the JSON API under /api/merchants/:id/shipments serves the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId/shipments')
export class ShipmentPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly shipments: ShipmentService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @Page()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const shipments = await this.shipments.listForMerchant(merchantId, { limit: 200 });
    res.type('html').send(shipmentsPage(merchant, shipments, this.config.platforms.sandbox, principal));
  }
}
