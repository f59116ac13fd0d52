import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Notice } from '@app/auth/pages/auth.pages';
import { Admin, CurrentPrincipal, OpsPage } from '@app/auth/policy.decorator';
import { UserPrincipal } from '@app/auth/principal';
import { DomainException } from '@app/common/errors/domain.exception';
import { statusOfDomainError } from '@app/common/http/all-exceptions.filter';
import { AppConfig } from '@app/config/app-config';
import { OPS_SETTING_DEFINITIONS } from '../settings/ops-settings.definitions';
import { OpsSettingsService } from '../settings/ops-settings.service';
import { opsSettingsPage } from './pages/ops-settings.page';

/** A form field as the JSON API would take it: digits become a number, a list of them an array; other text stays text (and is refused). */
function parseField(kind: 'int' | 'int-list', text: string): unknown {
  const number = (part: string) => (/^\s*-?\d{1,15}\s*$/.test(part) ? Number(part) : part);
  return kind === 'int' ? number(text) : text.split(',').map(number);
}

/** The ops settings page (the JSON API at /ops/settings does the same). */
@ApiExcludeController()
@Controller('ops-settings')
export class OpsSettingsPagesController {
  constructor(
    private readonly settings: OpsSettingsService,
    private readonly config: AppConfig,
  ) {}

  @OpsPage()
  async show(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    await this.render(res, principal);
  }

  @Post()
  @Admin()
  @HttpCode(200)
  async save(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const entered: Record<string, string> = {};
    const change: Record<string, unknown> = {};
    for (const d of OPS_SETTING_DEFINITIONS) {
      const text = body[d.key];
      if (body[`reset_${d.key}`] !== undefined) change[d.key] = null;
      else if (typeof text === 'string' && text.trim() !== '') change[d.key] = parseField(d.kind, text);
      if (typeof text === 'string') entered[d.key] = text;
    }
    try {
      const { changed } = await this.settings.update({ userId: principal.userId, email: principal.email }, change);
      await this.render(res, principal, {
        notice: {
          ok: true,
          text: changed ? '已保存 Saved: applies on every instance within 5 seconds.' : '没有变化 Nothing changed.',
        },
      });
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      res.status(statusOfDomainError(error));
      const fieldErrors = Object.fromEntries(error.fields.map((f) => [f.field, f.messages]));
      await this.render(res, principal, {
        notice: { ok: false, text: `未保存 Not saved: ${error.message}` },
        fieldErrors,
        entered,
      });
    }
  }

  private async render(
    res: Response,
    principal: UserPrincipal,
    extra: { notice?: Notice; fieldErrors?: Record<string, string[]>; entered?: Record<string, string> } = {},
  ): Promise<void> {
    const [settings, changes] = await Promise.all([this.settings.list(), this.settings.recentChanges()]);
    res
      .type('html')
      .send(opsSettingsPage({ principal, settings, changes, sandbox: this.config.platforms.sandbox, ...extra }));
  }
}
