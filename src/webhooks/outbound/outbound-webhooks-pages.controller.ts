import { Body, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { MerchantsService } from '@app/accounts/merchants.service';
import { CurrentPrincipal, MerchantAccess } from '@app/auth/policy.decorator';
import type { UserPrincipal } from '@app/auth/principal';
import { DomainException } from '@app/common/errors/domain.exception';
import { AppConfig } from '@app/config/app-config';
import { WebhookSubscriptionFormDto } from './dto/webhook-form.dto';
import { OutboundDeliveriesService } from './outbound-deliveries.service';
import { webhooksPage } from './pages/webhooks.page';
import { IssuedSubscription, WebhookSubscriptionsService } from './webhook-subscriptions.service';
import {
  MerchantPageContext,
  MerchantPageRequest,
  MerchantPages,
  MerchantPageView,
  MerchantPageViewer,
  merchantPageViewer,
  PageNotice,
} from '@app/auth/merchant-page';

/** The merchant's webhook page (the JSON API under /api/merchants/:id/webhooks serves the same). */
@MerchantPages('webhooks')
export class OutboundWebhooksPagesController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly deliveries: OutboundDeliveriesService,
    private readonly config: AppConfig,
  ) {}

  @MerchantPageView()
  async show(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @MerchantPageRequest() { viewer, notice }: MerchantPageContext,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(res, merchantId, viewer, notice);
  }

  @Post('subscriptions')
  @MerchantAccess('owner', { sessionOnly: true })
  async create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: WebhookSubscriptionFormDto,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.merchants.get(merchantId);
    await this.withSecret(res, merchantId, principal, () => this.subscriptions.create(merchantId, body));
  }

  @Post('subscriptions/:subscriptionId/rotate')
  @MerchantAccess('owner', { sessionOnly: true })
  async rotate(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('subscriptionId', new ParseUUIDPipe()) subscriptionId: string,
    @CurrentPrincipal() principal: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    await this.withSecret(res, merchantId, principal, () =>
      this.subscriptions.rotateForMerchant(merchantId, subscriptionId),
    );
  }

  @Post('subscriptions/:subscriptionId/delete')
  @MerchantAccess('owner', { sessionOnly: true })
  async remove(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('subscriptionId', new ParseUUIDPipe()) subscriptionId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.redirect(
      res,
      merchantId,
      () => this.subscriptions.deleteForMerchant(merchantId, subscriptionId),
      'Subscription deleted',
    );
  }

  @Post('deliveries/:deliveryId/replay')
  @MerchantAccess('owner')
  async replay(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.redirect(
      res,
      merchantId,
      () => this.deliveries.replayForMerchant(merchantId, deliveryId),
      'Delivery queued again',
    );
  }

  private async render(
    res: Response,
    merchantId: string,
    viewer: MerchantPageViewer,
    notice?: PageNotice,
    issuedSecret?: { subscriptionId: string; secret: string },
  ): Promise<void> {
    const merchant = await this.merchants.get(merchantId);
    const [subscriptions, [deliveries]] = [
      await this.subscriptions.listForMerchant(merchantId),
      await this.deliveries.listForMerchant(merchantId, {}, 1, 50),
    ];
    res
      .type('html')
      .set('cache-control', 'no-store')
      .send(
        webhooksPage(merchant, subscriptions, deliveries, this.config.platforms.sandbox, viewer, notice, issuedSecret),
      );
  }

  /** The secret is shown in this answer only (never in a redirect URL). */
  private async withSecret(
    res: Response,
    merchantId: string,
    principal: UserPrincipal,
    work: () => Promise<IssuedSubscription>,
  ): Promise<void> {
    try {
      const issued = await work();
      await this.render(
        res.status(200),
        merchantId,
        merchantPageViewer(principal),
        { ok: true, text: `Subscription ${issued.subscription.url}` },
        {
          subscriptionId: issued.subscription.id,
          secret: issued.secret,
        },
      );
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      res.redirect(303, `/merchants/${merchantId}/webhooks?error=${encodeURIComponent(describe(error))}`);
    }
  }

  private async redirect(res: Response, merchantId: string, work: () => Promise<unknown>, done: string): Promise<void> {
    const back = `/merchants/${merchantId}/webhooks`;
    try {
      await work();
      res.redirect(303, `${back}?ok=${encodeURIComponent(done)}`);
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      res.redirect(303, `${back}?error=${encodeURIComponent(describe(error))}`);
    }
  }
}

const describe = (error: DomainException): string =>
  [error.message, error.fields.flatMap((f) => f.messages).join('; ')].filter(Boolean).join(': ');
