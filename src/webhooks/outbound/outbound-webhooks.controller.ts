import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MerchantsService } from '@app/accounts/merchants.service';
import { MerchantAccess } from '@app/auth/policy.decorator';
import { CreateWebhookSubscriptionDto, ListDeliveriesQueryDto } from './dto/webhook-subscription.dto';
import {
  IssuedWebhookSubscriptionView,
  OutboundDeliveryPageView,
  OutboundDeliveryView,
  WebhookSubscriptionView,
} from './dto/webhook.views';
import { OutboundDeliveriesService } from './outbound-deliveries.service';
import { IssuedSubscription, WebhookSubscriptionsService } from './webhook-subscriptions.service';

const issued = (i: IssuedSubscription): IssuedWebhookSubscriptionView => ({
  ...WebhookSubscriptionView.of(i.subscription),
  secret: i.secret,
});

/** Outbound webhooks to the merchant's ERP: subscriptions (secrets need a signed-in owner), the delivery log, replay. */
@ApiTags('webhooks')
@Controller('api/merchants/:merchantId/webhooks')
export class OutboundWebhooksController {
  constructor(
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly deliveries: OutboundDeliveriesService,
    private readonly merchants: MerchantsService,
  ) {}

  @Get('subscriptions')
  @MerchantAccess('owner')
  @ApiOkResponse({ type: [WebhookSubscriptionView] })
  async list(@Param('merchantId', new ParseUUIDPipe()) merchantId: string): Promise<WebhookSubscriptionView[]> {
    await this.merchants.get(merchantId);
    return (await this.subscriptions.listForMerchant(merchantId)).map(WebhookSubscriptionView.of);
  }

  @Post('subscriptions')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiCreatedResponse({ type: IssuedWebhookSubscriptionView, description: 'The secret is shown only in this answer.' })
  async create(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Body() body: CreateWebhookSubscriptionDto,
  ): Promise<IssuedWebhookSubscriptionView> {
    await this.merchants.get(merchantId);
    return issued(await this.subscriptions.create(merchantId, body));
  }

  @Post('subscriptions/:subscriptionId/rotate')
  @MerchantAccess('owner', { sessionOnly: true })
  @ApiCreatedResponse({
    type: IssuedWebhookSubscriptionView,
    description: 'A new secret; the previous one keeps signing beside it for 24 h.',
  })
  async rotate(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('subscriptionId', new ParseUUIDPipe()) subscriptionId: string,
  ): Promise<IssuedWebhookSubscriptionView> {
    return issued(await this.subscriptions.rotateForMerchant(merchantId, subscriptionId));
  }

  @Delete('subscriptions/:subscriptionId')
  @MerchantAccess('owner', { sessionOnly: true })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted: its pending deliveries are cancelled; its log stays.' })
  async remove(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('subscriptionId', new ParseUUIDPipe()) subscriptionId: string,
  ): Promise<void> {
    await this.subscriptions.deleteForMerchant(merchantId, subscriptionId);
  }

  @Get('deliveries')
  @MerchantAccess('staff')
  @ApiOkResponse({ type: OutboundDeliveryPageView, description: 'The delivery log, newest first.' })
  async listDeliveries(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<OutboundDeliveryPageView> {
    await this.merchants.get(merchantId);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const [items, total] = await this.deliveries.listForMerchant(
      merchantId,
      { subscriptionId: query.subscriptionId, status: query.status },
      page,
      pageSize,
    );
    return { items: items.map(OutboundDeliveryView.of), total, page, pageSize };
  }

  @Post('deliveries/:deliveryId/replay')
  @MerchantAccess('owner')
  @HttpCode(202)
  @ApiOkResponse({ type: OutboundDeliveryView, description: 'Queued again with the same webhook-id.' })
  async replay(
    @Param('merchantId', new ParseUUIDPipe()) merchantId: string,
    @Param('deliveryId', new ParseUUIDPipe()) deliveryId: string,
  ): Promise<OutboundDeliveryView> {
    return OutboundDeliveryView.of(await this.deliveries.replayForMerchant(merchantId, deliveryId));
  }
}
