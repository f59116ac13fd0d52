import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { ConflictDomainException } from '@app/common/errors/domain.exception';
import { Db } from '@app/database/db';
import { MerchantEventRaised } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { deliveryIdOf } from './delivery-policy';
import { OutboundDeliveryEntity, OutboundDeliveryStatus } from './outbound-delivery.entity';
import { OutboundDeliveryRepository } from './outbound-delivery.repository';
import { OutboundDeliveryNotFoundException } from './outbound-webhooks.errors';
import { deliverFailureKey, WebhookSenderService } from './webhook-sender.service';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

/** What the ERP receives (Standard Webhooks' `type` / `timestamp` / `data`, plus who it is about). */
export interface WebhookBody {
  type: string;
  timestamp: string;
  merchantId: string;
  subject: string;
  data: Record<string, unknown>;
}

/** The delivery log: one row per merchant event and matching subscription, and replays from it. */
@Injectable()
export class OutboundDeliveriesService {
  constructor(
    private readonly db: Db,
    private readonly deliveries: OutboundDeliveryRepository,
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly sender: WebhookSenderService,
    private readonly failures: SyncFailureService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Writes a delivery for each of the merchant's subscriptions that takes the event's type (inside the consumer's
   * transaction). A repeat of the event finds its rows there and adds none. Returns how many are new.
   */
  async fanOut(event: MerchantEventRaised, subjectSeq: number): Promise<number> {
    const now = this.clock.now();
    const body = JSON.stringify({
      type: event.type,
      timestamp: new Date(event.occurredAt).toISOString(),
      merchantId: event.merchantId,
      subject: event.subject,
      data: event.data,
    } satisfies WebhookBody);
    let added = 0;
    for (const subscription of await this.subscriptions.matching(event.merchantId, event.type)) {
      const delivery = Object.assign(new OutboundDeliveryEntity(), {
        id: deliveryIdOf(event.eventId, subscription.id),
        subscriptionId: subscription.id,
        merchantId: event.merchantId,
        eventId: event.eventId,
        eventType: event.type,
        subject: event.subject,
        subjectSeq,
        body,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        claimToken: null,
        lastStatusCode: null,
        lastError: null,
        lastAttemptAt: null,
        deliveredAt: null,
        createdAt: now,
        updatedAt: now,
      } satisfies OutboundDeliveryEntity);
      if (await this.deliveries.insertIfNew(delivery)) added++;
    }
    if (added) this.db.afterCommit(() => this.sender.kick());
    return added;
  }

  /** Outbound deliveries failing, per merchant (ops console). */
  failingByMerchant(): Promise<{ merchantId: string; failed: number; retrying: number }[]> {
    return this.deliveries.failingByMerchant();
  }

  async listForMerchant(
    merchantId: string,
    filter: { subscriptionId?: string; status?: OutboundDeliveryStatus },
    page: number,
    pageSize: number,
  ): Promise<[OutboundDeliveryEntity[], number]> {
    if (filter.subscriptionId) await this.subscriptions.getForMerchant(merchantId, filter.subscriptionId);
    return this.deliveries.page(merchantId, filter, (page - 1) * pageSize, pageSize);
  }

  async getForMerchant(merchantId: string, id: string): Promise<OutboundDeliveryEntity> {
    const delivery = await this.deliveries.findById(id);
    if (!delivery || delivery.merchantId !== merchantId) throw new OutboundDeliveryNotFoundException(id);
    return delivery;
  }

  /**
   * Sends a logged delivery again, with the same webhook-id (the ERP recognises it), and a new round of attempts.
   * A failed delivery's sync failure is closed: if the new round fails too, a new one is recorded.
   */
  async replayForMerchant(merchantId: string, id: string): Promise<OutboundDeliveryEntity> {
    const delivery = await this.getForMerchant(merchantId, id);
    if (delivery.status === 'pending')
      throw new ConflictDomainException('WEBHOOK_DELIVERY_PENDING', `webhook delivery ${id} is still being attempted`);
    if (delivery.status === 'cancelled')
      throw new ConflictDomainException('WEBHOOK_SUBSCRIPTION_DELETED', `webhook delivery ${id} has no subscription`);
    const subscription = await this.subscriptions.findById(delivery.subscriptionId);
    if (!subscription || subscription.deletedAt !== null)
      throw new ConflictDomainException('WEBHOOK_SUBSCRIPTION_DELETED', `webhook delivery ${id} has no subscription`);
    await this.db.transaction(() => this.deliveries.requeue(id, this.clock.now()));
    if (delivery.status === 'failed')
      await this.failures.resolveByDedupeKey(deliverFailureKey(id), 'replayed from the delivery log');
    this.sender.kick();
    return this.getForMerchant(merchantId, id);
  }
}
