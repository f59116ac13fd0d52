import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import type { UserPrincipal } from '../auth/principal';
import { CurrentPrincipal, MerchantAccess, Page } from '../auth/policy.decorator';
import { AppConfig } from '../config/app-config';
import { ListOrdersQueryDto } from './dto/orders.dto';
import { OrdersService } from './orders.service';
import { ordersPage } from './pages/orders.pages';

/** The merchant's orders page (the JSON API under /api/merchants/:id/orders serves the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId/orders')
export class OrdersPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly orders: OrdersService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @Page()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ListOrdersQueryDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const [list, onTime] = [await this.orders.list(merchantId, query), await this.orders.onTimeRates(merchantId, 30)];
    res
      .type('html')
      .send(
        ordersPage(
          merchant,
          list,
          onTime,
          principal,
          { id: query.id, status: query.status?.join(',') },
          this.config.platforms.sandbox,
        ),
      );
  }
}
