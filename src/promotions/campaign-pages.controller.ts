import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MerchantsService } from '../accounts/merchants.service';
import { MerchantAccess } from '../auth/policy.decorator';
import { DomainException } from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { isPlatformError } from '../platforms/platform-error';
import type { Platform } from '../platforms/ports/platform.types';
import { CampaignChangeService } from './campaign-changes.service';
import { CampaignService } from './campaign.service';
import { CampaignEditFormDto, CampaignFormDto } from './dto/campaign.dto';
import { campaignsPage } from './pages/campaigns.pages';
import { MerchantPageContext, MerchantPageRequest, MerchantPages, MerchantPageView } from '../auth/merchant-page';

const DAY_MS = 86_400_000;
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
/** A YYYY-MM-DD day in China time, as epoch ms at its start. */
const chinaDay = (date: string) => Date.parse(`${date}T00:00:00Z`) - CHINA_UTC_OFFSET_MS;

/** The merchant's coupon campaign page (the JSON API under /api/merchants/:id/campaigns serves the same). */
@MerchantPages('campaigns')
export class CampaignPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly campaigns: CampaignService,
    private readonly changes: CampaignChangeService,
    private readonly config: AppConfig,
  ) {}

  @MerchantPageView()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @MerchantPageRequest() { viewer, notice }: MerchantPageContext,
    @Res() res: Response,
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const reports = [];
    for (const c of await this.campaigns.list(merchantId)) reports.push(await this.campaigns.report(merchantId, c.id));
    res.type('html').send(campaignsPage(merchant, reports, this.config.platforms.sandbox, viewer, notice));
  }

  @Post()
  @MerchantAccess('owner')
  async create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CampaignFormDto,
    @Res() res: Response,
  ): Promise<void> {
    const back = `/merchants/${merchantId}/campaigns`;
    try {
      const created = await this.campaigns.create(merchantId, {
        name: body.name,
        ...(body.discountFen ? { discountFen: Number(body.discountFen) } : {}),
        ...(body.payPercent ? { payPercent: Number(body.payPercent) } : {}),
        ...(body.maxMerchantDiscountFen ? { maxMerchantDiscountFen: Number(body.maxMerchantDiscountFen) } : {}),
        ...(body.platform ? { platforms: [body.platform as Platform] } : {}),
        thresholdFen: Number(body.thresholdFen),
        budget: Number(body.budget),
        perBuyerLimit: Number(body.perBuyerLimit),
        startsAt: chinaDay(body.startDate),
        endsAt: chinaDay(body.endDate) + DAY_MS - 1_000,
      });
      res.redirect(303, `${back}?ok=${encodeURIComponent(`Campaign ${created.name}: ${created.status}`)}`);
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      const detail = error instanceof DomainException ? error.fields.flatMap((f) => f.messages).join('; ') : '';
      res.redirect(303, `${back}?error=${encodeURIComponent([error.message, detail].filter(Boolean).join(': '))}`);
    }
  }

  @Post(':campaignId/end')
  @MerchantAccess('owner')
  async end(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(res, merchantId, async () => {
      const ended = await this.changes.end(merchantId, campaignId);
      const open = ended.channels.filter((c) => c.status !== 'ended').map((c) => c.platform);
      return `Campaign ${ended.name}: ended${open.length ? ` (not confirmed on ${open.join(', ')}: see failures)` : ''}`;
    });
  }

  @Post(':campaignId/edit')
  @MerchantAccess('owner')
  async edit(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('campaignId', new ParseUUIDPipe()) campaignId: string,
    @Body() body: CampaignEditFormDto,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(res, merchantId, async () => {
      const edited = await this.changes.edit(merchantId, campaignId, {
        ...(body.budget ? { budget: Number(body.budget) } : {}),
        ...(body.endDate ? { endsAt: chinaDay(body.endDate) + DAY_MS - 1_000 } : {}),
        ...(body.perBuyerLimit ? { perBuyerLimit: Number(body.perBuyerLimit) } : {}),
      });
      return `Campaign ${edited.name}: budget ${edited.budget}, per-buyer limit ${edited.perBuyerLimit}`;
    });
  }

  /** Back to the page with the outcome, or with the refusal and its field messages. */
  private async answer(res: Response, merchantId: string, work: () => Promise<string>): Promise<void> {
    const back = `/merchants/${merchantId}/campaigns`;
    try {
      res.redirect(303, `${back}?ok=${encodeURIComponent(await work())}`);
    } catch (error) {
      if (!(error instanceof DomainException) && !isPlatformError(error)) throw error;
      const detail = error instanceof DomainException ? error.fields.flatMap((f) => f.messages).join('; ') : '';
      res.redirect(303, `${back}?error=${encodeURIComponent([error.message, detail].filter(Boolean).join(': '))}`);
    }
  }
}
