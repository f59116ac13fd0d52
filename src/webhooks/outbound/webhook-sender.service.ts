import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import axios from 'axios';
import { CLOCK, Clock } from '@app/common/clock';
import { ID_GENERATOR, IdGenerator } from '@app/common/ids';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { METRICS } from '@app/ops/metrics/metric-names';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { afterFailure, isAccepted } from './delivery-policy';
import { OutboundDeliveryEntity } from './outbound-delivery.entity';
import { AttemptResult, OutboundDeliveryRepository } from './outbound-delivery.repository';
import { checkWebhookUrl, guardedLookup } from './url-guard';
import { signDelivery } from './webhook-signer';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';

export const WEBHOOKS_DELIVER_REPLAY = 'webhooks.deliver';
export const deliverFailureKey = (deliveryId: string) => `webhooks:deliver:${deliveryId}`;

/** Sends at most this many deliveries at once per instance. */
const MAX_IN_FLIGHT = 16;
/** The sender looks again at least this often (deliveries written by other instances, expired claims). */
const MAX_IDLE_MS = 30_000;

type Outcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/**
 * Delivers pending webhook deliveries: claims the due head of each subject's line (a later event of a subject waits
 * while an earlier one is pending), sends it signed, and records the answer with a conditional update on its claim.
 * A failed attempt is retried after the configured delays; after the last one the delivery fails with a sync failure.
 * It wakes when deliveries are written, when an attempt ends (the next in line becomes due), and at the next due
 * time; the sweep job wakes it too, so a delivery claimed by a sender that died is sent once its claim expires.
 */
@Injectable()
export class WebhookSenderService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookSenderService.name);
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private timerAt = Infinity;
  private sweeping = false;
  private sweepAgain = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly deliveries: OutboundDeliveryRepository,
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly failures: SyncFailureService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** Sweep soon (after a commit that wrote deliveries, or an attempt that ended). */
  kick(): void {
    this.arm(this.clock.now());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims and starts the due deliveries; returns how many it started. */
  async sweep(): Promise<number> {
    if (this.stopped) return 0;
    if (this.sweeping) {
      this.sweepAgain = true;
      return 0;
    }
    this.sweeping = true;
    let started = 0;
    try {
      do {
        this.sweepAgain = false;
        const room = MAX_IN_FLIGHT - this.inFlight.size;
        if (room <= 0) break;
        const now = this.clock.now();
        for (const delivery of await this.deliveries.dueHeads(now, room)) {
          const token = this.ids.uuid();
          if (!(await this.deliveries.claim(delivery.id, token, now, now + this.claimMs, 'pending'))) continue;
          started++;
          this.track(this.runScheduled(delivery, token, delivery.attempts + 1));
        }
      } while (this.sweepAgain && !this.stopped);
    } catch (error) {
      this.logger.error(`webhook sweep failed: ${(error as Error).message}`);
    } finally {
      this.sweeping = false;
    }
    if (!this.stopped && this.inFlight.size < MAX_IN_FLIGHT) {
      const next = await this.deliveries.nextDueAt().catch(() => null);
      this.arm(Math.min(next ?? Infinity, this.clock.now() + MAX_IDLE_MS));
    }
    return started;
  }

  /**
   * One more attempt of a delivery that failed for good (the sync failure's replay). Throws when it fails again,
   * so the failure stays open.
   */
  async replayFailed(deliveryId: string): Promise<void> {
    const delivery = await this.deliveries.findById(deliveryId);
    if (!delivery || delivery.status !== 'failed') return;
    const now = this.clock.now();
    const token = this.ids.uuid();
    if (!(await this.deliveries.claim(delivery.id, token, now, now + this.claimMs, 'failed')))
      throw new Error(`webhook delivery ${deliveryId} is being attempted already`);
    const subscription = await this.subscriptions.findById(delivery.subscriptionId);
    const outcome: Outcome = subscription
      ? await this.attempt(delivery, subscription)
      : { ok: false, statusCode: null, error: 'subscription gone' };
    const at = this.clock.now();
    await this.deliveries.settle(
      delivery.id,
      token,
      outcome.ok
        ? delivered(at, outcome.statusCode)
        : {
            status: 'failed',
            nextAttemptAt: at,
            lastStatusCode: outcome.statusCode,
            lastError: outcome.error,
            deliveredAt: null,
          },
      at,
    );
    this.count(outcome.ok ? 'delivered' : 'failed');
    this.kick();
    if (!outcome.ok) throw new Error(`webhook delivery ${deliveryId} failed again: ${outcome.error}`);
  }

  /** Longer than one attempt can take, so a live attempt never loses its claim. */
  private get claimMs(): number {
    return this.config.webhooks.timeoutMs * 2 + 30_000;
  }

  private count(outcome: 'delivered' | 'retry' | 'failed'): void {
    this.metrics.counter(METRICS.webhookAttemptsTotal).inc({ outcome });
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error) => this.logger.error(`webhook delivery attempt failed: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight.delete(tracked);
        if (!this.stopped) this.kick();
      });
    this.inFlight.add(tracked);
  }

  private async runScheduled(delivery: OutboundDeliveryEntity, token: string, attemptsMade: number): Promise<void> {
    const subscription = await this.subscriptions.findById(delivery.subscriptionId);
    if (!subscription || subscription.deletedAt !== null) {
      const now = this.clock.now();
      await this.deliveries.settle(
        delivery.id,
        token,
        {
          status: 'cancelled',
          nextAttemptAt: now,
          lastStatusCode: null,
          lastError: 'subscription deleted',
          deliveredAt: null,
        },
        now,
      );
      return;
    }
    const outcome = await this.attempt(delivery, subscription);
    const now = this.clock.now();
    const next = outcome.ok ? undefined : afterFailure(attemptsMade, this.config.webhooks.retryDelaysMs);
    this.count(outcome.ok ? 'delivered' : next === 'give_up' ? 'failed' : 'retry');
    if (outcome.ok) {
      await this.deliveries.settle(delivery.id, token, delivered(now, outcome.statusCode), now);
      return;
    }
    const failed = { lastStatusCode: outcome.statusCode, lastError: outcome.error, deliveredAt: null };
    if (next && next !== 'give_up') {
      await this.deliveries.settle(
        delivery.id,
        token,
        { status: 'pending', nextAttemptAt: now + next.retryInMs, ...failed },
        now,
      );
      return;
    }
    await this.db.transaction(async () => {
      if (!(await this.deliveries.settle(delivery.id, token, { status: 'failed', nextAttemptAt: now, ...failed }, now)))
        return;
      await this.failures.record({
        context: 'webhooks',
        operation: 'webhooks.deliver',
        errorCode: outcome.statusCode === null ? 'UNREACHABLE' : 'REJECTED',
        reason: `webhook ${delivery.eventType} for ${delivery.subject} to ${subscription.url} failed ${attemptsMade} times: ${outcome.error}`,
        merchantId: delivery.merchantId,
        entityType: 'webhook-delivery',
        entityRef: delivery.id,
        attempts: attemptsMade,
        replay: { kind: WEBHOOKS_DELIVER_REPLAY, data: { deliveryId: delivery.id } },
        dedupeKey: deliverFailureKey(delivery.id),
      });
    });
  }

  /** One signed POST with a hard deadline (axios' own timeout only limits idle time between bytes). */
  private async attempt(delivery: OutboundDeliveryEntity, subscription: WebhookSubscriptionEntity): Promise<Outcome> {
    const { allowPrivateUrls, timeoutMs } = this.config.webhooks;
    try {
      checkWebhookUrl(subscription.url, allowPrivateUrls);
      const headers = signDelivery(
        this.subscriptions.signingSecrets(subscription),
        delivery.eventId,
        new Date(this.clock.now()),
        delivery.body,
      );
      const response = await axios.post<string>(subscription.url, delivery.body, {
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'kwaizan-sync-webhooks/1' },
        signal: AbortSignal.timeout(timeoutMs),
        maxRedirects: 0,
        proxy: false,
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: (body: string) => body,
        maxContentLength: 64 * 1024,
        lookup: guardedLookup(allowPrivateUrls),
      });
      return isAccepted(response.status)
        ? { ok: true, statusCode: response.status }
        : { ok: false, statusCode: response.status, error: `answered HTTP ${response.status}` };
    } catch (error) {
      const e = error as Error & { code?: string };
      const reason =
        e.name === 'CanceledError' || e.code === 'ERR_CANCELED' ? `no answer within ${timeoutMs} ms` : e.message;
      return { ok: false, statusCode: null, error: reason };
    }
  }

  private arm(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        void this.sweep();
      },
      Math.max(10, at - this.clock.now()),
    );
    this.timer.unref();
  }
}

const delivered = (at: number, statusCode: number): AttemptResult => ({
  status: 'delivered',
  nextAttemptAt: at,
  lastStatusCode: statusCode,
  lastError: null,
  deliveredAt: at,
});
