import { Body, Controller, Get, Header, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiTokensService } from './api-tokens.service';
import { CreateCredentialDto } from './dto/auth.dto';
import { ErpCredentialsService } from './erp-credentials.service';
import { erpCredentialsPage } from './pages/auth.pages';
import { CurrentPrincipal, MerchantAccess, Page } from './policy.decorator';
import { UserPrincipal } from './principal';

/** The merchant owner's page for ERP credentials (the JSON API under /api/merchants/:id/erp-credentials does the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId')
export class AccessPagesController {
  constructor(
    private readonly erp: ErpCredentialsService,
    private readonly tokens: ApiTokensService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('erp-credentials')
  @MerchantAccess('owner', { sessionOnly: true, operators: 'none' })
  @Page()
  async list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    await this.render(res, principal, merchantId);
  }

  @Post('erp-credentials')
  @MerchantAccess('owner', { sessionOnly: true })
  @Header('Cache-Control', 'no-store')
  async create(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @CurrentPrincipal() principal: UserPrincipal, @Body() body: CreateCredentialDto, @Res() res: Response): Promise<void> {
    const issued = await this.erp.create(merchantId, body.name);
    await this.render(res, principal, merchantId, { keyId: issued.credential.keyId, secret: issued.secret });
  }

  @Post('erp-credentials/:keyId/revoke')
  @MerchantAccess('owner', { sessionOnly: true })
  async revoke(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Param('keyId') keyId: string, @Res() res: Response): Promise<void> {
    await this.erp.revoke(merchantId, keyId);
    res.redirect(303, `/merchants/${merchantId}/erp-credentials`);
  }

  @Post('api-tokens')
  @MerchantAccess('owner', { sessionOnly: true })
  @Header('Cache-Control', 'no-store')
  async createToken(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @CurrentPrincipal() principal: UserPrincipal, @Body() body: CreateCredentialDto, @Res() res: Response): Promise<void> {
    const { token } = await this.tokens.create(principal.userId, merchantId, body.name);
    await this.render(res, principal, merchantId, undefined, token);
  }

  @Post('api-tokens/:tokenId/revoke')
  @MerchantAccess('owner', { sessionOnly: true })
  async revokeToken(@Param('merchantId', new ParseUUIDPipe()) merchantId: string, @Param('tokenId', new ParseUUIDPipe()) tokenId: string, @Res() res: Response): Promise<void> {
    await this.tokens.revoke(merchantId, tokenId);
    res.redirect(303, `/merchants/${merchantId}/erp-credentials`);
  }

  private async render(res: Response, principal: UserPrincipal, merchantId: string, issued?: { keyId: string; secret: string }, issuedToken?: string): Promise<void> {
    const [credentials, tokens] = await Promise.all([this.erp.listByMerchant(merchantId), this.tokens.listByMerchant(merchantId)]);
    res.type('html').send(erpCredentialsPage({ principal, merchantId, credentials, tokens, issued, issuedToken, now: this.clock.now(), sandbox: this.config.platforms.sandbox }));
  }
}
