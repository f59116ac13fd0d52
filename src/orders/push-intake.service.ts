import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { pushReceivedTopic } from '../messaging/contracts/push-received/push-received.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { Platform } from '../platforms/ports/platform.types';
import { PUSH_PARSERS, PushParser, PushRequest } from '../platforms/ports/push.port';
import { OrderRepository } from './order.repository';
import { METRICS } from '@app/ops/metrics/metric-names';

/**
 * Receives platform pushes: verify, store (deduplicated by message id) and only then acknowledge.
 * The work happens later in a consumer, well within the platforms' answer deadline (Kuaishou 3 s).
 */
@Injectable()
export class PushIntakeService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    @Inject(PUSH_PARSERS) private readonly parsers: Record<Platform, PushParser>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns the acknowledgement body; throws PushRejectedError for a push that fails verification. */
  async receive(platform: Platform, request: PushRequest): Promise<string> {
    const parser = this.parsers[platform];
    const events = parser.parse(request);
    const now = this.clock.now();
    await this.db.transaction(async () => {
      for (const event of events) {
        if (event.kind === 'heartbeat') continue;
        const fresh = await this.orders.insertPush({
          platform,
          eventId: event.eventId.slice(0, 100),
          kind: event.kind,
          rawType: event.rawType.slice(0, 80),
          shopId: event.shopId ?? null,
          orderId: event.orderId ?? null,
          refundId: event.refundId ?? null,
          receivedAt: now,
        });
        this.metrics.counter(METRICS.pushesReceivedTotal).inc({ platform, outcome: fresh ? 'new' : 'duplicate' });
        if (!fresh) continue;
        await this.outbox.enqueue(pushReceivedTopic, {
          platform,
          eventId: event.eventId.slice(0, 100),
          kind: event.kind,
          rawType: event.rawType.slice(0, 80),
          shopId: event.shopId,
          orderId: event.orderId,
          refundId: event.refundId,
          receivedAt: now,
          occurredAt: Number.isSafeInteger(event.occurredAt) && event.occurredAt > 0 ? event.occurredAt : undefined,
        });
      }
    });
    return parser.ackBody;
  }
}
