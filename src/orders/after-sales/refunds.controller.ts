import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MerchantsService } from '../../accounts/merchants.service';
import type { UserPrincipal } from '../../auth/principal';
import { CurrentPrincipal, MerchantAccess, Page } from '../../auth/policy.decorator';
import { AppConfig } from '../../config/app-config';
import { ListRefundsQueryDto } from './list-refunds.query.dto';
import { refundsPage } from './refunds.page';
import { RefundPageView, RefundsService, RefundView } from './refunds.service';

@ApiTags('refunds')
@Controller('api/merchants/:merchantId/refunds')
export class RefundsController {
  constructor(
    private readonly refunds: RefundsService,
    private readonly merchants: MerchantsService,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @ApiOkResponse({
    description: "The merchant's refunds and returns from both platforms, newest platform update first.",
  })
  async list(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ListRefundsQueryDto,
  ): Promise<RefundPageView> {
    await this.merchants.get(merchantId);
    return this.refunds.listForMerchant(
      merchantId,
      { status: query.status, platform: query.platform, platformOrderId: query.platformOrderId },
      query.page,
      query.pageSize,
    );
  }

  @Get(':refundId')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'One refund; 404 when it is not this merchant’s.' })
  async get(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('refundId', new ParseUUIDPipe()) refundId: string,
  ): Promise<RefundView> {
    await this.merchants.get(merchantId);
    return this.refunds.getForMerchant(merchantId, refundId);
  }
}

/** The merchant's refunds page (the JSON API above serves the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId/refunds')
export class RefundsPageController {
  constructor(
    private readonly refunds: RefundsService,
    private readonly merchants: MerchantsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @Page()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ListRefundsQueryDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const view = await this.refunds.listForMerchant(
      merchantId,
      { status: query.status, platform: query.platform, platformOrderId: query.platformOrderId },
      query.page,
      query.pageSize,
    );
    res.type('html').send(refundsPage(merchant, view, this.config.platforms.sandbox, principal));
  }
}
