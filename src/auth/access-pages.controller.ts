import { Body, Controller, Get, Header, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ApiTokensService } from './api-tokens.service';
import { ChangeRoleDto, CreateCredentialDto } from './dto/auth.dto';
import { ErpCredentialsService } from './erp-credentials.service';
import { erpCredentialsPage, Notice } from './pages/auth.pages';
import { setDisabledInWords, userActionNotice } from './pages/user-actions';
import { CurrentPrincipal, MerchantAccess, Page } from './policy.decorator';
import { UserPrincipal } from './principal';
import { UsersService } from './users.service';

/** The merchant owner's page for ERP credentials, API tokens and users (the JSON API under /api/merchants/:id does the same). */
@ApiExcludeController()
@Controller('merchants/:merchantId')
export class AccessPagesController {
  constructor(
    private readonly erp: ErpCredentialsService,
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('erp-credentials')
  @MerchantAccess('owner', { sessionOnly: true, operators: 'none' })
  @Page()
  async list(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(res, principal, merchantId);
  }

  @Post('erp-credentials')
  @MerchantAccess('owner', { sessionOnly: true })
  @Header('Cache-Control', 'no-store')
  async create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: CreateCredentialDto,
    @Res() res: Response,
  ): Promise<void> {
    const issued = await this.erp.create(merchantId, body.name);
    await this.render(res, principal, merchantId, {
      issued: { keyId: issued.credential.keyId, secret: issued.secret },
    });
  }

  @Post('erp-credentials/:keyId/revoke')
  @MerchantAccess('owner', { sessionOnly: true })
  async revoke(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('keyId') keyId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.erp.revoke(merchantId, keyId);
    res.redirect(303, `/merchants/${merchantId}/erp-credentials`);
  }

  @Post('api-tokens')
  @MerchantAccess('owner', { sessionOnly: true })
  @Header('Cache-Control', 'no-store')
  async createToken(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: CreateCredentialDto,
    @Res() res: Response,
  ): Promise<void> {
    const { token } = await this.tokens.create(principal.userId, merchantId, body.name);
    await this.render(res, principal, merchantId, { issuedToken: token });
  }

  @Post('api-tokens/:tokenId/revoke')
  @MerchantAccess('owner', { sessionOnly: true })
  async revokeToken(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('tokenId', new ParseUUIDPipe()) tokenId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.tokens.revoke(merchantId, tokenId);
    res.redirect(303, `/merchants/${merchantId}/erp-credentials`);
  }

  @Post('users/:userId/disable')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(200)
  async disableUser(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.userAction(res, principal, merchantId, () =>
      setDisabledInWords(this.users, principal.userId, userId, true, merchantId),
    );
  }

  @Post('users/:userId/enable')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(200)
  async enableUser(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.userAction(res, principal, merchantId, () =>
      setDisabledInWords(this.users, principal.userId, userId, false, merchantId),
    );
  }

  @Post('users/:userId/role')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(200)
  async changeRole(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ChangeRoleDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.userAction(res, principal, merchantId, async () => {
      const user = await this.users.changeRole(principal.userId, userId, body.role, merchantId);
      return `${user.email}: ${user.role === 'owner' ? '现为店主 now an owner' : '现为店员 now staff'}`;
    });
  }

  /** A refused change is shown on the page with its reason rather than as a JSON error. */
  private async userAction(
    res: Response,
    principal: UserPrincipal,
    merchantId: string,
    action: () => Promise<string>,
  ): Promise<void> {
    await this.render(res, principal, merchantId, { usersNotice: await userActionNotice(res, action) });
  }

  private async render(
    res: Response,
    principal: UserPrincipal,
    merchantId: string,
    extra: { issued?: { keyId: string; secret: string }; issuedToken?: string; usersNotice?: Notice } = {},
  ): Promise<void> {
    const [credentials, tokens, users] = await Promise.all([
      this.erp.listByMerchant(merchantId),
      this.tokens.listByMerchant(merchantId),
      this.users.listByMerchant(merchantId),
    ]);
    res.type('html').send(
      erpCredentialsPage({
        principal,
        merchantId,
        credentials,
        tokens,
        users,
        ...extra,
        now: this.clock.now(),
        sandbox: this.config.platforms.sandbox,
      }),
    );
  }
}
