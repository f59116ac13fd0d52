import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpCode,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  UseFilters,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Correlation } from '../common/context/correlation';
import { MerchantAccess } from '../auth/policy.decorator';
import type { Platform } from '../platforms/ports/platform.types';
import { BudgetMove, CampaignChangeService } from './campaign-changes.service';
import { CampaignReport, CampaignService, CampaignView } from './campaign.service';
import { CouponAnomalyEntity } from './coupon-anomaly.entity';
import { DiscountBreakdown } from './discount-breakdown';
import { DiscountRefusedException } from './discount-guard';
import { CreateCampaignDto, EditCampaignDto } from './dto/campaign.dto';
import { OrderCouponResult, RedemptionService } from './redemption.service';

enum PlatformParam {
  kuaishou = 'kuaishou',
  youzan = 'youzan',
}

/** A campaign refused for price parity answers with its numbers (prices, effective prices, limit, allowed discount). */
@Catch(DiscountRefusedException)
class DiscountRefusalFilter implements ExceptionFilter {
  catch(exception: DiscountRefusedException, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(422)
      .json({ statusCode: 422, ...exception.refusal, correlationId: Correlation.id() });
  }
}

@ApiTags('promotions')
@Controller('api/merchants/:merchantId/campaigns')
@UseFilters(DiscountRefusalFilter)
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly changes: CampaignChangeService,
    private readonly redemptions: RedemptionService,
  ) {}

  @Get()
  @MerchantAccess('staff')
  @ApiOkResponse({ description: "The merchant's coupon campaigns, newest first, with their coupon on each platform." })
  list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<CampaignView[]> {
    return this.campaigns.list(merchantId);
  }

  @Post()
  @MerchantAccess('owner')
  @ApiCreatedResponse({ description: 'Created on every connected platform, the budget split between them.' })
  @ApiUnprocessableEntityResponse({
    description:
      "Its discount would take a SKU's effective price spread beyond the parity limit (with the numbers); clamped instead when the price policy says so.",
  })
  create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateCampaignDto,
  ): Promise<CampaignView> {
    return this.campaigns.create(merchantId, body);
  }

  @Get('anomalies')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'Every coupon anomaly found on the merchant’s orders, with its evidence.' })
  allAnomalies(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<CouponAnomalyEntity[]> {
    return this.redemptions.anomaliesForMerchant(merchantId);
  }

  @Get('orders/:platform/:orderId/breakdown')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description: "The order's discounts by funder, reconciled with its totals (read from the platform).",
  })
  breakdown(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('platform', new ParseEnumPipe(PlatformParam)) platform: Platform,
    @Param('orderId') orderId: string,
  ): Promise<DiscountBreakdown> {
    return this.redemptions.breakdownForMerchant(merchantId, platform, orderId);
  }

  @Post('orders/:platform/:orderId/record')
  @MerchantAccess('owner')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Reads the order again and counts what it used (repeat-safe).' })
  record(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('platform', new ParseEnumPipe(PlatformParam)) platform: Platform,
    @Param('orderId') orderId: string,
  ): Promise<OrderCouponResult> {
    return this.redemptions.recordOrder(merchantId, platform, orderId);
  }

  @Get(':campaignId/report')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description: 'Claimed and used per platform (as the platforms count), cost by funder, budget left.',
  })
  report(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
  ): Promise<CampaignReport> {
    return this.campaigns.report(merchantId, campaignId);
  }

  @Get(':campaignId/anomalies')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: "The campaign's anomalies with their evidence." })
  async anomalies(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
  ): Promise<CouponAnomalyEntity[]> {
    await this.campaigns.getForMerchant(merchantId, campaignId);
    return this.redemptions.anomaliesForMerchant(merchantId, campaignId);
  }

  @Post(':campaignId/sync')
  @MerchantAccess('owner')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Creates the coupons a platform refused or left unsettled (repeat-safe).' })
  sync(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
  ): Promise<CampaignView> {
    return this.campaigns.sync(merchantId, campaignId);
  }

  @Post(':campaignId/end')
  @MerchantAccess('owner')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Ends the coupon on every platform (repeat-safe; each confirmed by read-back).' })
  end(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
  ): Promise<CampaignView> {
    return this.changes.end(merchantId, campaignId);
  }

  @Patch(':campaignId')
  @MerchantAccess('owner')
  @ApiOkResponse({
    description:
      'Budget, end and per-buyer limit on every platform, where each allows it (400 with the reason otherwise).',
  })
  edit(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
    @Body() body: EditCampaignDto,
  ): Promise<CampaignView> {
    return this.changes.edit(merchantId, campaignId, body);
  }

  @Post(':campaignId/rebalance')
  @MerchantAccess('owner')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Moves unclaimed coupons toward the platform running out (lower first).' })
  rebalance(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
  ): Promise<BudgetMove> {
    return this.changes.rebalance(merchantId, campaignId);
  }
}
