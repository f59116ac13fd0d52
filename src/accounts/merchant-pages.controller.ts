import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ConnectionsService } from './connections.service';
import { CreateMerchantDto } from './dto/create-merchant.dto';
import { MerchantsService } from './merchants.service';
import { merchantPage } from './pages/accounts.pages';
import type { UserPrincipal } from '../auth/principal';
import { Admin, CurrentPrincipal, MerchantAccess, Page, Public } from '../auth/policy.decorator';

const NOTICES: Record<string, { ok: boolean; text: string }> = {
  unbound: { ok: true, text: 'The shop is unbound: syncing stopped, its history is kept.' },
};

/** Server-rendered pages for merchants (the JSON API under /api/merchants serves the same data). */
@ApiExcludeController()
@Controller()
export class MerchantPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('favicon.ico')
  @Public()
  favicon(@Res() res: Response): void {
    res.status(204).end();
  }

  @Post('merchants')
  @Admin()
  async create(@Body() body: CreateMerchantDto, @Res() res: Response): Promise<void> {
    const merchant = await this.merchants.create(body.name);
    res.redirect(303, `/merchants/${merchant.id}`);
  }

  @Get('merchants/:merchantId')
  @MerchantAccess('staff')
  @Page()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query('notice') notice: string | undefined,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const overview = await this.merchants.overview(merchantId);
    const viewer = {
      principal,
      csrfToken: principal.kind === 'session' ? principal.csrfToken : '',
      mayManage: principal.role === 'owner',
    };
    res
      .type('html')
      .send(
        merchantPage(
          overview,
          this.config.platforms.sandbox,
          this.clock.now(),
          viewer,
          notice ? NOTICES[notice] : undefined,
        ),
      );
  }

  @Post('merchants/:merchantId/connections/:connectionId/unbind')
  @MerchantAccess('owner')
  async unbind(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('connectionId', new ParseUUIDPipe()) connectionId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.connections.unbind(merchantId, connectionId);
    res.redirect(303, `/merchants/${merchantId}?notice=unbound`);
  }
}
