import { dirname, join } from 'node:path';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MetricsService } from '../metrics/metrics.service';
import { livePoint, MetricJson, sampleOf } from './live-figures';
import { livePage } from './pages/live.page';
import { alertsCard, platformAlertsCard, platformHealthPage } from './pages/platform-health.page';
import { PlatformHealthQuery } from './platform-health.service';
import { FailureAlertsService } from '../alerts/failure-alerts.service';
import { OpsAlertsService } from '../alerts/ops-alerts.service';
import { CurrentPrincipal, Ops, OpsPage } from '@app/auth/policy.decorator';
import { UserPrincipal } from '@app/auth/principal';
import { html } from '@app/common/http/html';
import { AppConfig } from '@app/config/app-config';
import { SyncFailureService } from '../failures/sync-failure.service';
import type { SyncFailureActionKind } from '../failures/sync-failure-action.entity';
import { PAGE_SIZE, ParsedAction, parseActionForm, parseFailureQuery } from './failure-center.query';
import {
  batchResultPage,
  confirmActionPage,
  consoleHomePage,
  failureDetailPage,
  failureListPage,
  formErrorPage,
} from './pages/failure-center.pages';

/** The UMD build beside the package's main entry (`dist/`); the package exports no path to it. */
const CHART_JS = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
const LIVE_INTERVAL_MS = 1_000;

/**
 * The ops console pages. Every write goes through SyncFailureService, which audits it; a done
 * action redirects to its batch's result page (read back from the audit), so a refresh shows
 * what happened and does not run it again.
 */
@ApiExcludeController()
@Controller('ops/console')
export class OpsConsolePagesController {
  constructor(
    private readonly failures: SyncFailureService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly health: PlatformHealthQuery,
    private readonly alerts: FailureAlertsService,
    private readonly opsAlerts: OpsAlertsService,
  ) {}

  /** Per platform and shop: breakers, calls against quota, grants, drift, deadline risks, parity, coupons, webhooks. */
  @OpsPage('platforms')
  async platforms(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    const view = await this.health.view();
    res.type('html').send(platformHealthPage({ principal, view, sandbox: this.sandbox }));
  }

  @OpsPage('live')
  async live(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    const quotas = await this.health.quotaLines();
    res.type('html').send(livePage({ principal, quotas, sandbox: this.sandbox }));
  }

  /** Chart.js, served from node_modules (the machines have no internet, so no CDN). */
  @OpsPage('assets/chart.js')
  chartScript(@Res() res: Response): void {
    res.type('application/javascript').set('cache-control', 'private, max-age=3600').sendFile(CHART_JS);
  }

  /** Server-sent events: one point of live figures a second, computed from the metrics registry between two samples. */
  @Get('live/events')
  @Ops()
  async liveEvents(@Req() req: Request, @Res() res: Response, @Query('points') points?: string): Promise<void> {
    // `points=N` ends the stream after N points (scripts, checks); a browser's EventSource stays on.
    const limit =
      typeof points === 'string' && /^\d{1,4}$/.test(points) && Number(points) > 0 ? Number(points) : Infinity;
    let sent = 0;
    res.status(200).set({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const take = async () => sampleOf(Date.now(), (await this.metrics.registry.getMetricsAsJSON()) as MetricJson[]);
    let previous = await take();
    res.write(': live figures\n\n');
    const timer = setInterval(() => {
      void take().then((next) => {
        const point = livePoint(previous, next);
        previous = next;
        res.write(`event: point\ndata: ${JSON.stringify(point)}\n\n`);
        if (++sent >= limit) {
          clearInterval(timer);
          res.end();
        }
      });
    }, LIVE_INTERVAL_MS);
    req.on('close', () => clearInterval(timer));
  }

  private get sandbox(): boolean {
    return this.config.platforms.sandbox;
  }

  @OpsPage()
  async home(@CurrentPrincipal() principal: UserPrincipal, @Res() res: Response): Promise<void> {
    const [counts, alerts, platformAlerts] = await Promise.all([
      this.failures.countByStatus(),
      this.alerts.recent(5),
      this.opsAlerts.recent(5),
    ]);
    res.type('html').send(
      consoleHomePage({
        principal,
        counts,
        alerts: html`${platformAlertsCard(platformAlerts)}${alertsCard(alerts)}`,
        sandbox: this.sandbox,
      }),
    );
  }

  @OpsPage('failures')
  async list(
    @CurrentPrincipal() principal: UserPrincipal,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = parseFailureQuery(query);
    const [items, total] = await this.failures.list(parsed.filter, parsed.page, PAGE_SIZE);
    if (Object.keys(parsed.errors).length) res.status(400);
    res.type('html').send(failureListPage({ principal, ...parsed, items, total, sandbox: this.sandbox }));
  }

  @OpsPage('failures/:id')
  async detail(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const failure = await this.failures.get(id);
    const actions = await this.failures.actionsOf(id);
    res.type('html').send(failureDetailPage({ principal, failure, actions, sandbox: this.sandbox }));
  }

  /** Step one of every action: shows what would be done; changes nothing. */
  @Post('failures/confirm')
  @Ops()
  @HttpCode(200)
  async confirm(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = this.actionForm(principal, body, res);
    if (!parsed) return;
    const found = await this.failures.findByIds(parsed.ids);
    res.type('html').send(
      confirmActionPage({
        principal,
        action: parsed.action,
        failures: found,
        missing: parsed.ids.length - found.length,
        note: parsed.note,
        sandbox: this.sandbox,
      }),
    );
  }

  /** Step two: runs the action on each failure, audited, then shows the batch's result page. */
  @Post('failures/actions')
  @Ops()
  async act(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = this.actionForm(principal, body, res);
    if (!parsed) return;
    const { batchId } = await this.failures.act(
      { userId: principal.userId, email: principal.email },
      parsed.action,
      parsed.ids,
      parsed.note,
    );
    res.redirect(303, `/ops/console/batches/${batchId}`);
  }

  /** The action form parsed, or undefined once the 400 page listing its errors is sent. */
  private actionForm(
    principal: UserPrincipal,
    body: Record<string, unknown> | undefined,
    res: Response,
  ): (ParsedAction & { action: SyncFailureActionKind }) | undefined {
    const parsed = parseActionForm(body ?? {});
    if (!Object.keys(parsed.errors).length && parsed.action) return { ...parsed, action: parsed.action };
    res
      .status(400)
      .type('html')
      .send(formErrorPage({ principal, errors: parsed.errors, sandbox: this.sandbox }));
    return undefined;
  }

  @OpsPage('batches/:id')
  async batch(
    @CurrentPrincipal() principal: UserPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const actions = await this.failures.actionsOfBatch(id);
    if (!actions.length) res.status(404);
    res.type('html').send(batchResultPage({ principal, actions, sandbox: this.sandbox }));
  }
}

/** `/ops` on its own: the console home (people type the short address). */
@ApiExcludeController()
@Controller('ops')
export class OpsHomeRedirectController {
  @OpsPage()
  home(@Res() res: Response): void {
    res.redirect(302, '/ops/console');
  }
}
