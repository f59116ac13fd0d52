import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpException,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainException } from '../common/errors/domain.exception';
import { AppConfig } from '../config/app-config';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CrossSiteSignInException, UnauthenticatedException } from './auth.errors';
import { readCookie } from './access.guard';
import { isCrossSiteSignIn } from './sign-in-origin';
import { ChangePasswordDto, SignInDto, SignInFormDto } from './dto/auth.dto';
import { SessionView, UserView } from './dto/auth.views';
import { changePasswordPage, signInPage } from './pages/auth.pages';
import { CurrentPrincipal, Page, Public, SignedIn } from './policy.decorator';
import { Principal, UserPrincipal } from './principal';
import { SESSION_COOKIE, SessionsService } from './sessions.service';
import { UsersService } from './users.service';

/** Only paths on this site, so the sign-in page cannot be used to bounce visitors elsewhere. */
const safeNext = (next: string | undefined) => (next && /^\/(?![/\\])/.test(next) ? next : '/');

/** Pre-session double-submit token of the sign-in form: another site can post the form but cannot read or set this cookie. */
const SIGN_IN_COOKIE = 'kwaizan_sign_in';
/**
 * One token per browser, reused by every sign-in page it opens, so a second tab does not invalidate the
 * first tab's form; it lasts a long page stay (a tab left open over a working day) and each page view extends it.
 */
const SIGN_IN_FORM_LIFETIME_MS = 12 * 3600_000;
const FORM_TOKEN = /^[A-Za-z0-9_-]{32}$/;

const sameToken = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

@ApiTags('access')
@Controller()
export class SessionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Get('sign-in')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  signInForm(@Query('next') next: string | undefined, @Req() req: Request, @Res() res: Response): void {
    res.type('html').send(
      signInPage({
        next: safeNext(next),
        csrfToken: this.formToken(req, res),
        sandbox: this.config.platforms.sandbox,
      }),
    );
  }

  @Post('sign-in')
  @Public()
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  async signInSubmit(@Body() body: SignInFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      if (
        isCrossSiteSignIn(req.headers, this.config.http.publicBaseUrl) ||
        !sameToken(body._csrf, readCookie(req.headers.cookie, SIGN_IN_COOKIE))
      )
        throw new CrossSiteSignInException();
      const signed = await this.sessions.signIn(body.email, body.password, req.ip ?? '');
      // The form token stays: another tab's sign-in form keeps working.
      res.cookie(SESSION_COOKIE, signed.cookieValue, this.sessions.cookieOptions());
      res.redirect(303, safeNext(body.next));
    } catch (error) {
      if (
        !(error instanceof UnauthenticatedException) &&
        !(error instanceof CrossSiteSignInException) &&
        !(error instanceof HttpException)
      )
        throw error;
      const status =
        error instanceof HttpException ? error.getStatus() : error instanceof CrossSiteSignInException ? 403 : 401;
      const csrfToken = this.formToken(req, res);
      res
        .status(status)
        .type('html')
        .send(
          signInPage({
            next: safeNext(body.next),
            email: body.email,
            error: `登录失败 Sign-in failed: ${messageOf(error)}`,
            csrfToken,
            sandbox: this.config.platforms.sandbox,
          }),
        );
    }
  }

  @Post('sign-out')
  @SignedIn()
  @ApiExcludeEndpoint()
  async signOutSubmit(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    if (principal.kind === 'session') await this.sessions.signOut(principal.sessionHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/sign-in');
  }

  @Get('account/password')
  @SignedIn()
  @Page()
  @ApiExcludeEndpoint()
  passwordForm(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): void {
    res.type('html').send(changePasswordPage(principal, this.config.platforms.sandbox));
  }

  @Post('account/password')
  @SignedIn()
  @ApiExcludeEndpoint()
  async passwordSubmit(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: ChangePasswordDto,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.users.changePassword(
        principal.userId,
        body.currentPassword,
        body.newPassword,
        principal.kind === 'session' ? principal.sessionHash : null,
      );
      res.type('html').send(
        changePasswordPage(principal, this.config.platforms.sandbox, {
          ok: true,
          text: '密码已修改 Password changed; your other sessions were signed out.',
        }),
      );
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      res
        .status(400)
        .type('html')
        .send(changePasswordPage(principal, this.config.platforms.sandbox, { ok: false, text: error.message }));
    }
  }

  @Post('api/session')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'Signs in and sets the session cookie (httpOnly, SameSite=Lax).' })
  async signIn(
    @Body() body: SignInDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    // JSON only (a plain cross-site form cannot send it), and a browser's cross-site fetch is refused too.
    if (isCrossSiteSignIn(req.headers, this.config.http.publicBaseUrl)) throw new CrossSiteSignInException();
    const signed = await this.sessions.signIn(body.email, body.password, req.ip ?? '');
    res.cookie(SESSION_COOKIE, signed.cookieValue, this.sessions.cookieOptions());
    return { user: UserView.of(signed.user), csrfToken: signed.csrfToken };
  }

  @Get('api/session')
  @SignedIn()
  @ApiOkResponse({
    type: SessionView,
    description: 'Who is signed in (csrfToken is empty for API tokens: they need none).',
  })
  async whoAmI(@CurrentPrincipal() principal: UserPrincipal): Promise<SessionView> {
    return {
      user: UserView.of(await this.users.get(principal.userId)),
      csrfToken: principal.kind === 'session' ? principal.csrfToken : '',
    };
  }

  @Delete('api/session')
  @SignedIn()
  @HttpCode(204)
  async signOut(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (principal.kind === 'session') await this.sessions.signOut(principal.sessionHash);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Put('api/session/password')
  @SignedIn()
  @HttpCode(204)
  async changePassword(@CurrentPrincipal() principal: UserPrincipal, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changePassword(
      principal.userId,
      body.currentPassword,
      body.newPassword,
      principal.kind === 'session' ? principal.sessionHash : null,
    );
  }

  private formToken(req: Request, res: Response): string {
    const existing = readCookie(req.headers.cookie, SIGN_IN_COOKIE);
    const token = existing && FORM_TOKEN.test(existing) ? existing : randomBytes(24).toString('base64url');
    res.cookie(SIGN_IN_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.auth.secureCookies,
      path: '/sign-in',
      maxAge: SIGN_IN_FORM_LIFETIME_MS,
    });
    return token;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    return typeof response === 'string'
      ? response
      : String((response as { message?: unknown }).message ?? error.message);
  }
  return (error as Error).message;
}
