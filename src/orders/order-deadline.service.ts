import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { Db } from '../database/db';
import { merchantEventRaisedTopic } from '../messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboxService } from '../messaging/outbox/outbox.service';
import { MetricsService } from '../ops/metrics/metrics.service';
import { METRICS } from '../ops/metrics/metric-names';
import { stableEventId } from './order-events';
import { OrderRepository } from './order.repository';
import { HOUR_MS, isHigherRisk, onTimeRate, riskLevel, RiskLevel } from './ship-deadline';

const ON_TIME_WINDOW_MS = 30 * 24 * HOUR_MS;

/** Deadline risk: each level (12 h left, 4 h left, overdue) raised once per order and deadline. */
@Injectable()
export class OrderDeadlineService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderRepository,
    private readonly outbox: OutboxService,
    private readonly metrics: MetricsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Open orders whose deadline reached a level not raised yet. */
  candidates(limit = 500): Promise<string[]> {
    return this.orders.deadlineCandidates(this.clock.now(), 12 * HOUR_MS, 4 * HOUR_MS, limit);
  }

  /** Raises the level the order has reached, if higher than the last raised; returns it (or null). */
  async check(orderId: string): Promise<RiskLevel | null> {
    return this.db.transaction(async () => {
      const row = await this.orders.lockById(orderId);
      if (!row || row.status !== 'paid' || row.deadlineAt === null) return null;
      const now = this.clock.now();
      const level = riskLevel(row.deadlineAt, now);
      if (!level || !isHigherRisk(level, row.deadlineRisk)) return null;
      row.deadlineRisk = level;
      row.updatedAt = now;
      await this.orders.saveOrder(row);
      await this.outbox.enqueue(merchantEventRaisedTopic, {
        eventId: stableEventId(row.id, 'order.deadline_risk', level, String(row.deadlineAt)),
        merchantId: row.merchantId,
        type: 'order.deadline_risk',
        subject: row.id,
        occurredAt: now,
        data: {
          orderId: row.id,
          platform: row.platform,
          platformOrderId: row.platformOrderId,
          erpOrderId: row.erpOrderId,
          level,
          deadlineAt: row.deadlineAt,
          deadlineSource: row.deadlineSource,
          hoursLeft: Math.round(((row.deadlineAt - now) / HOUR_MS) * 10) / 10,
          holds: row.shipHolds ? row.shipHolds.split(',') : [],
        },
      });
      this.metrics.counter(METRICS.orderDeadlineRiskTotal).inc({ platform: row.platform, level });
      return level;
    });
  }

  /** The shop's on-time rate over the last 30 days, exported as a gauge. */
  async exportOnTimeRate(connectionId: string, platform: string): Promise<number | null> {
    const now = this.clock.now();
    const { rate } = onTimeRate(await this.orders.deadlinesOf(connectionId, now - ON_TIME_WINDOW_MS, now), now);
    if (rate !== null) this.metrics.gauge(METRICS.orderOnTimeRate).set({ platform, connection: connectionId }, rate);
    return rate;
  }
}
