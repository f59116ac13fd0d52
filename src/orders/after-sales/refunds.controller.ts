import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MerchantsService } from '../../accounts/merchants.service';
import type { UserPrincipal } from '../../auth/principal';
import { CurrentPrincipal, MerchantAccess, Page } from '../../auth/policy.decorator';
import { pageNotice } from '../../auth/merchant-page';
import { DomainException } from '../../common/errors/domain.exception';
import { AppConfig } from '../../config/app-config';
import { isPlatformError } from '../../platforms/platform-error';
import { RefundActionDto, RefundActionFormDto } from './refund-action.dto';
import {
  RefundActionOptions,
  RefundActionResult,
  RefundActionsService,
  RefundActionView,
} from './refund-actions.service';
import { ListRefundsQueryDto } from './list-refunds.query.dto';
import { refundsPage } from './refunds.page';
import { RefundPageView, RefundsService, RefundView } from './refunds.service';

@ApiTags('refunds')
@Controller('api/merchants/:merchantId/refunds')
export class RefundsController {
  constructor(
    private readonly refunds: RefundsService,
    private readonly actions: RefundActionsService,
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

  @Post(':refundId/actions')
  @HttpCode(200)
  @MerchantAccess('staff')
  @ApiOkResponse({
    description:
      'Agree, refuse, agree to a return or confirm the returned goods, on the platform. Sent once per state of the refund: a repeat answers `repeated: true` and sends nothing; 422 when the platform does not offer the action now or refuses it.',
  })
  async act(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('refundId', new ParseUUIDPipe()) refundId: string,
    @Body() body: RefundActionDto,
    @CurrentPrincipal() principal: UserPrincipal,
  ): Promise<RefundActionResult> {
    await this.merchants.get(merchantId);
    return this.actions.act(merchantId, refundId, body.toRequest(), principal.userId);
  }

  @Get(':refundId/actions')
  @MerchantAccess('staff')
  @ApiOkResponse({ description: 'The journal of seller actions on this refund, oldest first.' })
  async history(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('refundId', new ParseUUIDPipe()) refundId: string,
  ): Promise<RefundActionView[]> {
    await this.merchants.get(merchantId);
    return this.actions.history(merchantId, refundId);
  }

  @Get(':refundId/action-options')
  @MerchantAccess('staff')
  @ApiOkResponse({
    description:
      "What the platform takes for this refund's actions, read from it now: refusal reason codes (null: reason text only) and the shop's return addresses (null: give one with the return).",
  })
  async options(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('refundId', new ParseUUIDPipe()) refundId: string,
  ): Promise<RefundActionOptions> {
    await this.merchants.get(merchantId);
    return this.actions.options(merchantId, refundId);
  }
}

/** The merchant's refunds page (the JSON API above serves the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId/refunds')
export class RefundsPageController {
  constructor(
    private readonly refunds: RefundsService,
    private readonly actions: RefundActionsService,
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
    const notice = pageNotice(query.ok, query.error);
    const view = await this.refunds.listForMerchant(
      merchantId,
      { status: query.status, platform: query.platform, platformOrderId: query.platformOrderId },
      query.page,
      query.pageSize,
    );
    // The refusal form offers the platform's own reason codes (one read per refund that can be refused there).
    const reasons = new Map<string, { code: number; text: string }[]>();
    for (const r of view.items.filter((i) => i.actions.includes('refuse'))) {
      const listed = await this.actions.refusalReasons(merchantId, r.id).catch(() => null);
      if (listed?.length) reasons.set(r.id, listed);
    }
    res.type('html').send(refundsPage(merchant, view, this.config.platforms.sandbox, principal, notice, reasons));
  }

  /** The page's action buttons; the platform's refusal comes back as a notice. */
  @Post(':refundId/actions')
  @MerchantAccess('staff')
  async act(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('refundId', new ParseUUIDPipe()) refundId: string,
    @Body() body: RefundActionFormDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    const back = `/merchants/${merchantId}/refunds`;
    try {
      const done = await this.actions.act(merchantId, refundId, body.toRequest(), principal.userId);
      const text = `${done.refund.platformRefundId}: ${body.action} ${done.repeated ? 'was already done' : 'sent'} (now ${done.refund.rawStatus})`;
      res.redirect(303, `${back}?ok=${encodeURIComponent(text)}`);
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      const detail = error instanceof DomainException ? error.fields.flatMap((f) => f.messages).join('; ') : '';
      res.redirect(303, `${back}?error=${encodeURIComponent([error.message, detail].filter(Boolean).join(': '))}`);
    }
  }
}
