import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  ExceptionFilter,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseFilters,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import { Admin, MerchantAccess } from '../auth/policy.decorator';
import { Correlation } from '../common/context/correlation';
import { ParityAllowanceDto, PricePolicyDto, SetPriceDto } from './dto/price-policy.dto';
import { PricesQueryDto } from './dto/prices-query.dto';
import { ParityAuditJob } from './jobs/parity-audit.job';
import { PriceChangeAccepted, PriceChangeService, PriceRefusedException } from './price-change.service';
import { PriceOverviewService, SkuPriceOverview } from './price-overview.service';
import { DEFAULT_SCOPE } from './price-policy.entity';
import { EffectivePolicy, PolicyPatch, PricePolicyService } from './price-policy.service';

/** A refused price change answers with its numbers (current, proposed, limit, allowed). */
@Catch(PriceRefusedException)
class PriceRefusalFilter implements ExceptionFilter {
  catch(exception: PriceRefusedException, host: ArgumentsHost): void {
    const status = exception.kind === 'conflict' ? 409 : 422;
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({ statusCode: status, ...exception.refusal, correlationId: Correlation.id() });
  }
}

@ApiTags('pricing')
@Controller('api/merchants/:merchantId')
@UseFilters(PriceRefusalFilter)
export class PricingController {
  constructor(
    private readonly policies: PricePolicyService,
    private readonly changes: PriceChangeService,
    private readonly merchants: MerchantsService,
    private readonly audits: ParityAuditJob,
    private readonly overview: PriceOverviewService,
  ) {}

  @Get('prices')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description:
      'Per bound SKU (a page of them by SKU code, `?page=&pageSize=` up to 200): the price each platform showed the service last, the spread against the limit, audit findings, writes in flight.',
  })
  async prices(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: PricesQueryDto,
  ): Promise<SkuPriceOverview[]> {
    await this.merchants.get(merchantId);
    return this.overview.forMerchant(merchantId, { page: query.page, pageSize: query.pageSize });
  }

  @Get('price-policy')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'The merchant defaults, with built-in values where none was set.' })
  async getDefaults(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<EffectivePolicy> {
    await this.merchants.get(merchantId);
    return this.policies.effective(merchantId);
  }

  @Put('price-policy')
  @MerchantAccess('owner')
  @ApiOkResponse({ description: 'Sets the merchant defaults; answers the effective defaults.' })
  async putDefaults(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: PricePolicyDto,
  ): Promise<EffectivePolicy> {
    await this.merchants.get(merchantId);
    return this.policies.put(merchantId, DEFAULT_SCOPE, body as PolicyPatch);
  }

  @Put('price-policy/allowance')
  @Admin()
  @ApiOkResponse({ description: 'Admin only: the highest parity limit this merchant may set (above 10 %).' })
  async putAllowance(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: ParityAllowanceDto,
  ): Promise<EffectivePolicy> {
    await this.merchants.get(merchantId);
    return this.policies.setAllowance(merchantId, body.parityAllowanceBp);
  }

  @Get('skus/:skuCode/price-policy')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: "The SKU's effective policy (its overrides over the merchant defaults)." })
  async getSkuPolicy(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
  ): Promise<EffectivePolicy> {
    await this.merchants.get(merchantId);
    return this.policies.effectiveForSku(merchantId, skuCode);
  }

  @Put('skus/:skuCode/price-policy')
  @MerchantAccess('owner')
  @ApiOkResponse({ description: 'Sets per-SKU overrides (null clears one); answers the effective policy.' })
  async putSkuPolicy(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
    @Body() body: PricePolicyDto,
  ): Promise<EffectivePolicy> {
    await this.merchants.get(merchantId);
    return this.policies.putForSku(merchantId, skuCode, body as PolicyPatch);
  }

  @Put('skus/:skuCode/price')
  @MerchantAccess('owner')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Guarded and handed to the SKU price writer, with the planned steps.' })
  @ApiConflictResponse({
    description: 'Beyond the parity limit: current prices, proposed, limit and the allowed price.',
  })
  @ApiUnprocessableEntityResponse({ description: "Outside the policy's floor and ceiling." })
  async setPrice(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('skuCode') skuCode: string,
    @Body() body: SetPriceDto,
  ): Promise<PriceChangeAccepted> {
    await this.merchants.get(merchantId);
    return this.changes.request(merchantId, skuCode, body);
  }

  @Get('skus/:skuCode/price-history')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'Journaled price writes and audit findings of the SKU, newest first.' })
  async history(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Param('skuCode') skuCode: string) {
    await this.merchants.get(merchantId);
    return this.changes.history(merchantId, skuCode);
  }

  @Post('price-audit')
  @MerchantAccess('staff', { operators: 'write' })
  @HttpCode(202)
  @ApiAcceptedResponse({
    description: "Enqueues a parity audit of the merchant's connected shops now (otherwise hourly).",
  })
  async audit(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<{ shops: number }> {
    await this.merchants.get(merchantId);
    return { shops: await this.audits.enqueueForMerchant(merchantId) };
  }
}
