import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AdminChangeRoleDto, ResetPasswordDto } from './dto/auth.dto';
import { MERCHANT_DIRECTORY, MerchantDirectory } from './merchant-directory.port';
import { opsLandingPage, ROLE_LABELS } from './pages/auth.pages';
import { setDisabledInWords, userActionNotice } from './pages/user-actions';
import { Admin, CurrentPrincipal } from './policy.decorator';
import { UserPrincipal } from './principal';
import { UsersService } from './users.service';

/** The admin's user forms on the ops landing page (the JSON API under /api/users does the same). */
@ApiExcludeController()
@Controller('users/:userId')
export class UsersPagesController {
  constructor(
    private readonly users: UsersService,
    @Inject(MERCHANT_DIRECTORY) private readonly merchants: MerchantDirectory,
    private readonly config: AppConfig,
  ) {}

  @Post('disable')
  @Admin()
  @HttpCode(200)
  async disable(
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, principal, () => setDisabledInWords(this.users, principal.userId, userId, true, null));
  }

  @Post('enable')
  @Admin()
  @HttpCode(200)
  async enable(
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, principal, () => setDisabledInWords(this.users, principal.userId, userId, false, null));
  }

  @Post('role')
  @Admin()
  @HttpCode(200)
  async role(
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: AdminChangeRoleDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, principal, async () => {
      const user = await this.users.changeRole(principal.userId, userId, body.role, null);
      return `${user.email}: 现为 now ${ROLE_LABELS[user.role]}`;
    });
  }

  @Post('password')
  @Admin()
  @HttpCode(200)
  async password(
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: ResetPasswordDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, principal, async () => {
      await this.users.resetPassword(userId, body.password);
      return `密码已重置 Password reset for ${(await this.users.get(userId)).email}; their sessions were signed out.`;
    });
  }

  private async act(res: Response, principal: UserPrincipal, action: () => Promise<string>): Promise<void> {
    const notice = await userActionNotice(res, action);
    const [merchants, users] = await Promise.all([this.merchants.list(), this.users.list()]);
    res.type('html').send(opsLandingPage(principal, merchants, this.config.platforms.sandbox, { users, notice }));
  }
}
