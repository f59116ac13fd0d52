import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MERCHANT_EVENT_TYPES } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboundDeliveryEntity } from '../outbound-delivery.entity';
import { WebhookSubscriptionEntity } from '../webhook-subscription.entity';

export class WebhookSubscriptionView {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ enum: MERCHANT_EVENT_TYPES, isArray: true }) eventTypes: string[];
  @ApiPropertyOptional({ nullable: true }) description: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Until then the previous secret signs beside the new one' })
  previousSecretUntil: number | null;
  @ApiProperty() createdAt: number;

  static of(s: WebhookSubscriptionEntity): WebhookSubscriptionView {
    return {
      id: s.id,
      url: s.url,
      eventTypes: s.eventTypes,
      description: s.description,
      previousSecretUntil: s.previousSecretUntil,
      createdAt: s.createdAt,
    };
  }
}

export class IssuedWebhookSubscriptionView extends WebhookSubscriptionView {
  @ApiProperty({ description: 'Shown once: the Standard Webhooks signing secret (whsec_…) for the ERP verifier' })
  secret: string;
}

export class OutboundDeliveryView {
  @ApiProperty() id: string;
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ description: 'The webhook-id header: the same on every attempt and replay' }) webhookId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() subject: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed', 'cancelled'] }) status: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true }) nextAttemptAt: number | null;
  @ApiPropertyOptional({ nullable: true }) lastStatusCode: number | null;
  @ApiPropertyOptional({ nullable: true }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true }) lastAttemptAt: number | null;
  @ApiPropertyOptional({ nullable: true }) deliveredAt: number | null;
  @ApiProperty() createdAt: number;

  static of(d: OutboundDeliveryEntity): OutboundDeliveryView {
    return {
      id: d.id,
      subscriptionId: d.subscriptionId,
      webhookId: d.eventId,
      eventType: d.eventType,
      subject: d.subject,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      lastAttemptAt: d.lastAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    };
  }
}

export class OutboundDeliveryPageView {
  @ApiProperty({ type: [OutboundDeliveryView] }) items: OutboundDeliveryView[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
