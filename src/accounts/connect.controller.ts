import { Body, Controller, Get, Header, Param, ParseEnumPipe, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiFoundResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '../config/app-config';
import type { Platform } from '../platforms/ports/platform.types';
import { ConnectFailedException } from './accounts.errors';
import { CallbackQuery, ConnectService } from './connect.service';
import { ConnectQueryDto } from './dto/connect-query.dto';
import { SilentConnectDto } from './dto/silent-connect.dto';
import { connectResultPage, silentConnectPage } from './pages/accounts.pages';
import { ShopConnectionEntity } from './shop-connection.entity';
import { Admin, CurrentPrincipal, MerchantAccess, Page, Public } from '../auth/policy.decorator';
import type { Principal } from '../auth/principal';

type SessionPrincipal = Extract<Principal, { kind: 'session' }>;

const PLATFORM = { kuaishou: 'kuaishou', youzan: 'youzan' } as const;
const NAMES: Record<Platform, { zh: string; en: string }> = {
  kuaishou: { zh: '快手小店', en: 'Kuaishou' },
  youzan: { zh: '有赞店铺', en: 'Youzan' },
};

@ApiTags('accounts')
@Controller('connect')
export class ConnectController {
  constructor(
    private readonly connect: ConnectService,
    private readonly config: AppConfig,
  ) {}

  @Get(':platform')
  // Operators may open it (an admin connects self-built Youzan apps); an OAuth callback only stores for the merchant's own users.
  @MerchantAccess('owner', { sessionOnly: true })
  @Page()
  @ApiFoundResponse({
    description:
      "Redirect to the platform's authorization page (a one-time state bound to this browser's session is issued)",
  })
  async start(
    @Param('platform', new ParseEnumPipe(PLATFORM)) platform: Platform,
    @Query() query: ConnectQueryDto,
    @CurrentPrincipal() principal: SessionPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const start = await this.connect.start(query.merchantId, platform, principal.sessionHash);
    if (start.kind === 'redirect') return res.redirect(302, start.url);
    res.type('html').send(silentConnectPage(start.merchantId, this.config.platforms.sandbox, principal.csrfToken));
  }

  @Get(':platform/callback')
  @Public()
  @Header('Cache-Control', 'no-store')
  @ApiQuery({ name: 'code', required: false })
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'error', required: false })
  @ApiExcludeEndpoint()
  async callback(
    @Param('platform', new ParseEnumPipe(PLATFORM)) platform: Platform,
    @Query() query: Record<string, string>,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const answer: CallbackQuery = {
      code: query.code,
      state: query.state,
      error: query.error,
      error_description: query.error_description,
    };
    const session =
      principal?.kind === 'session'
        ? { sessionHash: principal.sessionHash, merchantId: principal.merchantId }
        : undefined;
    await this.render(res, platform, () => this.connect.complete(platform, answer, session));
  }

  @Post('youzan/silent')
  @Admin()
  @Header('Cache-Control', 'no-store')
  async silent(@Body() body: SilentConnectDto, @Res() res: Response): Promise<void> {
    await this.render(res, 'youzan', () => this.connect.connectSilently(body.merchantId, body.kdtId));
  }

  private async render(res: Response, platform: Platform, work: () => Promise<ShopConnectionEntity>): Promise<void> {
    const sandbox = this.config.platforms.sandbox;
    try {
      const connection = await work();
      res
        .status(200)
        .type('html')
        .send(
          connectResultPage({
            ok: true,
            title: `${NAMES[platform].zh}已连接 ${NAMES[platform].en} shop connected`,
            text: `${connection.shopName ?? connection.shopId} 已连接，将保持同步。 is connected and will be kept in sync.`,
            merchantId: connection.merchantId,
            sandbox,
          }),
        );
    } catch (error) {
      if (!(error instanceof ConnectFailedException)) throw error;
      res
        .status(error.kind === 'conflict' ? 409 : 400)
        .type('html')
        .send(
          connectResultPage({
            ok: false,
            title: `${NAMES[platform].zh}未连接 ${NAMES[platform].en} shop not connected`,
            text: error.message,
            merchantId: error.merchantId,
            sandbox,
          }),
        );
    }
  }
}
