import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { sleep } from '@app/common/sleep';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { NamedLock } from '@app/database/named-lock';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { ConsumerRegistry } from '../consumer/consumer.registry';
import { EventEnvelope } from '../event-envelope';
import { EVENT_BUS, EventBus } from '../event-bus.port';
import { OutboxEventEntity } from './outbox-event.entity';
import { OutboxRepository } from './outbox.repository';
import { METRICS } from '@app/ops/metrics/metric-names';

const LEADER_LOCK = 'kwaizan:outbox-relay';
/**
 * Concurrency of in-process delivery, per topic, so a flood on one topic (pushes during a flash
 * sale) cannot starve another (stock writes) — as separate Kafka consumer groups would not.
 */
const MAX_LANES_PER_TOPIC = 16;

export function toEnvelope(row: OutboxEventEntity): EventEnvelope {
  return {
    id: row.eventId,
    topic: row.topic,
    key: row.eventKey,
    seq: row.keySeq,
    type: row.eventType,
    payload: JSON.parse(row.payload) as unknown,
    occurredAt: row.createdAt,
    correlationId: row.correlationId ?? undefined,
  };
}

/**
 * Publishes committed outbox rows to the event bus and marks them sent. Only one instance
 * relays at a time (MySQL named lock). Rows of one (topic, key) are published strictly in
 * sequence; different keys go in parallel when the bus allows it.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private leader?: NamedLock;
  private wakeUp?: () => void;
  private woken = false;
  private readonly inFlight = new Set<string>();
  private readonly lanes = new Map<string, { queue: OutboxEventEntity[]; busy: boolean }>();
  private activeLanes = 0;
  private readonly activeByTopic = new Map<string, number>();
  private failureBackoffUntil = 0;
  /** Delivered rows not yet marked sent: marked in batches (a crash before that only redelivers). */
  private unmarked: OutboxEventEntity[] = [];
  private markTimer?: NodeJS.Timeout;

  constructor(
    private readonly repo: OutboxRepository,
    private readonly db: Db,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly consumers: ConsumerRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    const deadline = Date.now() + 10_000;
    while (this.activeLanes > 0 && Date.now() < deadline) await sleep(20);
    await this.flushMarks();
    await this.leader?.release().catch(() => undefined);
    this.leader = undefined;
  }

  /** Called after a commit that wrote outbox rows, so delivery does not wait for the poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Publishes everything pending now; for tests and the CLI. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.repo.countPending()) === 0 && this.activeLanes === 0 && this.unmarked.length === 0) return;
      this.wake();
      await sleep(20);
    }
    throw new Error('outbox did not drain in time');
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.ensureLeader())) {
          await this.idle(this.config.messaging.pollIntervalMs * 4);
          continue;
        }
        const published = await this.round();
        if (!published) await this.idle(this.config.messaging.pollIntervalMs);
      } catch (error) {
        this.logger.error(`outbox relay round failed: ${(error as Error).message}`);
        await this.idle(1000);
      }
    }
  }

  private async ensureLeader(): Promise<boolean> {
    if (this.leader && (await this.leader.stillHeld())) return true;
    if (this.leader) {
      this.logger.warn('lost the outbox relay lock');
      this.leader = undefined;
    }
    this.leader = await NamedLock.tryAcquire(this.db.dataSource, LEADER_LOCK, 0);
    if (this.leader) this.logger.log('this instance relays the outbox');
    return this.leader !== undefined;
  }

  /** One read of pending rows; returns whether it found work. */
  private async round(): Promise<boolean> {
    if (Date.now() < this.failureBackoffUntil) return false;
    // Lanes that began a retry since the last round leave room for waiting ones.
    if (this.bus.parallelKeys) this.startLanes();
    const room = this.config.messaging.batchSize - this.inFlight.size;
    if (room <= 0) return false;
    const rows = await this.repo.pending(room, [...this.inFlight]);
    this.metrics.gauge(METRICS.outboxInFlight).set(this.inFlight.size + rows.length);
    if (!rows.length) return false;
    for (const row of rows) this.inFlight.add(row.id);
    if (!this.bus.parallelKeys) {
      await this.publishBatch(rows);
      return true;
    }
    for (const row of rows) {
      const laneKey = `${row.topic}\u0000${row.eventKey}`;
      const lane = this.lanes.get(laneKey);
      if (lane) lane.queue.push(row);
      else this.lanes.set(laneKey, { queue: [row], busy: false });
    }
    this.startLanes();
    return true;
  }

  private startLanes(): void {
    for (const [laneKey, lane] of this.lanes) {
      if (lane.busy) continue;
      const topic = lane.queue[0].topic;
      const active = this.activeByTopic.get(topic) ?? 0;
      // Lanes waiting out a retry do not count: other keys keep flowing while some retry.
      if (active - this.consumers.retrying(topic) >= MAX_LANES_PER_TOPIC) continue;
      lane.busy = true;
      this.activeLanes++;
      this.activeByTopic.set(topic, active + 1);
      void this.drainLane(laneKey, lane.queue).finally(() => {
        this.activeLanes--;
        this.activeByTopic.set(topic, (this.activeByTopic.get(topic) ?? 1) - 1);
        this.startLanes();
      });
    }
  }

  private async drainLane(laneKey: string, queue: OutboxEventEntity[]): Promise<void> {
    while (queue.length) {
      const row = queue[0];
      try {
        await this.bus.publish([toEnvelope(row)]);
        this.markLater(row);
      } catch (error) {
        // Keep order: give the rest of the lane back, it is read again in id order later.
        await this.repo.markFailedAttempt([row.id], (error as Error).message).catch(() => undefined);
        this.logger.error(`publishing ${row.topic}/${row.eventKey}#${row.keySeq} failed: ${(error as Error).message}`);
        for (const r of queue) this.inFlight.delete(r.id);
        this.lanes.delete(laneKey);
        this.failureBackoffUntil = Date.now() + 1000;
        return;
      }
      queue.shift();
    }
    this.lanes.delete(laneKey);
    if (this.running) this.wake();
  }

  private markLater(row: OutboxEventEntity): void {
    this.unmarked.push(row);
    if (this.unmarked.length >= 200) void this.flushMarks();
    else this.markTimer ??= setTimeout(() => void this.flushMarks(), 20);
  }

  /** Marks delivered rows as sent in one statement; until then they stay in flight (not read again). */
  private async flushMarks(): Promise<void> {
    clearTimeout(this.markTimer);
    this.markTimer = undefined;
    const rows = this.unmarked;
    if (!rows.length) return;
    this.unmarked = [];
    try {
      await this.repo.markPublished(
        rows.map((r) => r.id),
        this.clock.now(),
      );
      this.countPublished(rows);
    } catch (error) {
      // Left pending: they are delivered again (consumers' inboxes absorb it).
      this.logger.error(`marking ${rows.length} outbox events as sent failed: ${(error as Error).message}`);
    } finally {
      for (const r of rows) this.inFlight.delete(r.id);
    }
  }

  private async publishBatch(rows: OutboxEventEntity[]): Promise<void> {
    try {
      await this.bus.publish(rows.map(toEnvelope));
      await this.repo.markPublished(
        rows.map((r) => r.id),
        this.clock.now(),
      );
      this.countPublished(rows);
    } catch (error) {
      await this.repo
        .markFailedAttempt(
          rows.map((r) => r.id),
          (error as Error).message,
        )
        .catch(() => undefined);
      this.logger.error(`publishing ${rows.length} outbox events failed: ${(error as Error).message}`);
      this.failureBackoffUntil = Date.now() + 1000;
    } finally {
      for (const r of rows) this.inFlight.delete(r.id);
    }
  }

  private countPublished(rows: OutboxEventEntity[]): void {
    const counter = this.metrics.counter(METRICS.outboxPublishedTotal);
    const lag = this.metrics.histogram(METRICS.outboxPublishLagSeconds);
    const now = this.clock.now();
    for (const r of rows) {
      counter.inc({ topic: r.topic });
      lag.observe({ topic: r.topic }, Math.max(0, now - r.createdAt) / 1000);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
