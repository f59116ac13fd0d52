import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { MERCHANT_DIRECTORY, MerchantDirectory } from './merchant-directory.port';
import { opsLandingPage } from './pages/auth.pages';
import { CurrentPrincipal, Page, SignedIn } from './policy.decorator';
import type { UserPrincipal } from './principal';
import { UsersService } from './users.service';

/** The home page: a merchant user lands on their own merchant; operators on the ops page. */
@ApiExcludeController()
@Controller()
export class OpsLandingPageController {
  constructor(
    private readonly users: UsersService,
    @Inject(MERCHANT_DIRECTORY) private readonly merchants: MerchantDirectory,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @SignedIn()
  @Page()
  async home(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    if (principal.merchantId) return res.redirect(303, `/merchants/${principal.merchantId}`);
    const users = principal.role === 'admin' ? { users: await this.users.list() } : undefined;
    res.type('html').send(opsLandingPage(principal, await this.merchants.list(), this.config.platforms.sandbox, users));
  }
}
