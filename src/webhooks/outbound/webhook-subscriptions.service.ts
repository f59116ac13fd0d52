import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { SecretCipher } from '@app/common/crypto/secret-cipher';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { MerchantEventType } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboundDeliveryRepository } from './outbound-delivery.repository';
import { WebhookSubscriptionNotFoundException, WebhookUrlInvalidException } from './outbound-webhooks.errors';
import { checkWebhookUrl, WebhookUrlRefusedError } from './url-guard';
import { newSigningSecret } from './webhook-signer';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookSubscriptionRepository } from './webhook-subscription.repository';

/** After a rotation the previous secret keeps signing this long. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface IssuedSubscription {
  subscription: WebhookSubscriptionEntity;
  /** Shown only in this answer. */
  secret: string;
}

export interface SubscriptionInput {
  url: string;
  eventTypes: MerchantEventType[];
  description?: string;
}

/** A merchant's webhook endpoints and their signing secrets. */
@Injectable()
export class WebhookSubscriptionsService {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly db: Db,
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: OutboundDeliveryRepository,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.cipher = new SecretCipher(config.encryption.keys, config.encryption.activeKeyId);
  }

  async create(merchantId: string, input: SubscriptionInput): Promise<IssuedSubscription> {
    const url = this.checkedUrl(input.url);
    const now = this.clock.now();
    const secret = newSigningSecret();
    const subscription = Object.assign(new WebhookSubscriptionEntity(), {
      id: this.ids.uuid(),
      merchantId,
      url,
      eventTypes: [...new Set(input.eventTypes)],
      description: input.description?.trim() || null,
      secretEnc: '',
      previousSecretEnc: null,
      previousSecretUntil: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    subscription.secretEnc = this.seal(subscription.id, 'current', secret);
    await this.db.transaction(() => this.subscriptions.save(subscription));
    return { subscription, secret };
  }

  listForMerchant(merchantId: string): Promise<WebhookSubscriptionEntity[]> {
    return this.subscriptions.listLiveByMerchant(merchantId);
  }

  /** 404 for another merchant's subscription (or a deleted one), so its existence is not confirmed. */
  async getForMerchant(merchantId: string, id: string): Promise<WebhookSubscriptionEntity> {
    const subscription = await this.subscriptions.findById(id);
    if (!subscription || subscription.merchantId !== merchantId || subscription.deletedAt !== null)
      throw new WebhookSubscriptionNotFoundException(id);
    return subscription;
  }

  /** A new secret now; the previous one keeps signing beside it for 24 h, so the ERP can switch without a gap. */
  async rotateForMerchant(merchantId: string, id: string): Promise<IssuedSubscription> {
    return this.db.transaction(async () => {
      const subscription = await this.getForMerchant(merchantId, id);
      const now = this.clock.now();
      const secret = newSigningSecret();
      subscription.previousSecretEnc = this.seal(id, 'previous', this.open(id, 'current', subscription.secretEnc));
      subscription.previousSecretUntil = now + ROTATION_OVERLAP_MS;
      subscription.secretEnc = this.seal(id, 'current', secret);
      subscription.updatedAt = now;
      await this.subscriptions.save(subscription);
      return { subscription, secret };
    });
  }

  /** Nothing more is delivered to it; its log stays. */
  async deleteForMerchant(merchantId: string, id: string): Promise<void> {
    await this.db.transaction(async () => {
      const subscription = await this.getForMerchant(merchantId, id);
      const now = this.clock.now();
      subscription.deletedAt = now;
      subscription.updatedAt = now;
      await this.subscriptions.save(subscription);
      await this.deliveries.cancelPendingOf(id, now);
    });
  }

  /** Live subscriptions of the merchant that take this event type. */
  async matching(merchantId: string, type: MerchantEventType): Promise<WebhookSubscriptionEntity[]> {
    return (await this.subscriptions.listLiveByMerchant(merchantId)).filter((s) => s.eventTypes.includes(type));
  }

  findById(id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.subscriptions.findById(id);
  }

  /** The secrets that sign now: the current one, and the previous one while its overlap lasts. */
  signingSecrets(subscription: WebhookSubscriptionEntity): string[] {
    const secrets = [this.open(subscription.id, 'current', subscription.secretEnc)];
    if (
      subscription.previousSecretEnc &&
      subscription.previousSecretUntil !== null &&
      subscription.previousSecretUntil > this.clock.now()
    )
      secrets.push(this.open(subscription.id, 'previous', subscription.previousSecretEnc));
    return secrets;
  }

  private checkedUrl(raw: string): string {
    try {
      return checkWebhookUrl(raw, this.config.webhooks.allowPrivateUrls).toString();
    } catch (error) {
      if (error instanceof WebhookUrlRefusedError) throw new WebhookUrlInvalidException(error.message);
      throw error;
    }
  }

  // The subscription id and slot are bound in, so a sealed secret copied to another row or slot does not open.
  private seal(id: string, slot: 'current' | 'previous', secret: string): string {
    return this.cipher.encrypt(secret, `webhook-subscription:${id}:${slot}`);
  }

  private open(id: string, slot: 'current' | 'previous', sealed: string): string {
    return this.cipher.decrypt(sealed, `webhook-subscription:${id}:${slot}`);
  }
}
