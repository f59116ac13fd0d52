import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '@app/common/clock';
import { Correlation } from '@app/common/context/correlation';
import { backoffDelay } from '@app/common/sleep';
import { AppConfig } from '@app/config/app-config';
import { Db } from '@app/database/db';
import { MetricsService } from '@app/ops/metrics/metrics.service';
import { ReplayHandler, SyncFailureService } from '@app/ops/failures/sync-failure.service';
import { FailureDisposition, FailurePolicy } from './failure-disposition';
import { InvalidEventPayloadError, TopicContract, validatePayload } from '../contracts/topic-contract';
import { EventEnvelope } from '../event-envelope';
import { EVENT_BUS, EventBus, UndecodableRecord } from '../event-bus.port';
import { InboxRepository } from '../inbox/inbox.repository';
import { KeyLanes } from './key-lanes';
import { METRICS } from '@app/ops/metrics/metric-names';

export interface ConsumerOptions {
  /**
   * true (default): the handler's database work, and the inbox row, commit in one transaction,
   * so a redelivered event has no second effect.
   * false: the handler manages its own transactions (e.g. it calls a platform between them) and
   * must be idempotent by itself; the inbox row is written after it returns.
   */
  transactional?: boolean;
}

export type EventHandler<P> = (payload: P, event: EventEnvelope<P>) => Promise<void>;

interface Registration {
  consumer: string;
  contract: TopicContract<object>;
  handler: EventHandler<object>;
  options: ConsumerOptions;
}

interface DeadLetterData {
  consumer: string;
  event: EventEnvelope;
}

export const DEAD_LETTER_REPLAY = 'consumer.dead-letter';

/** The lane a consumer's deliveries of one event key, and the replays of that key, share. */
const laneOf = (consumer: string, key: string) => `${consumer}\u0000${key}`;

/**
 * Wraps every consumer: payload validation, inbox deduplication, retries with backoff, and
 * after the last attempt a sync-failure record (dead letter) so the key moves on. What a failure
 * means comes from the failure policy (`src/platforms/failure-policy.ts`, set by the platforms
 * module through `useFailurePolicy`, as messaging sits below platforms), the same for every
 * consumer: `retry` is retried in the lane, `reauth` and `park` are dead-lettered at once for ops
 * (not retried by themselves), `drop` is acknowledged; a malformed payload is parked.
 */
@Injectable()
export class ConsumerRegistry {
  private readonly logger = new Logger(ConsumerRegistry.name);
  private readonly registrations = new Map<string, Registration>();
  private stopping = false;
  private readonly pauses = new Set<() => void>();
  private readonly retryingByTopic = new Map<string, number>();
  /** Per (consumer, key): a delivery attempt and a replay of the same key never run side by side in this process. */
  readonly lanes = new KeyLanes();
  /** Until the platforms module sets the policy, every failure is retried (nothing is lost). */
  private policy: FailurePolicy = { dispositionOf: () => 'retry', describe: () => undefined };

  constructor(
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    private readonly db: Db,
    private readonly inbox: InboxRepository,
    private readonly failures: SyncFailureService,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.failures.registerReplayHandler(DEAD_LETTER_REPLAY, (data) => this.replay(data as DeadLetterData));
  }

  /** The one failure table (`src/platforms/failure-policy.ts`): what each failure means for every consumer. */
  useFailurePolicy(policy: FailurePolicy): void {
    this.policy = policy;
  }

  register<P extends object>(
    contract: TopicContract<P>,
    consumer: string,
    handler: EventHandler<P>,
    options: ConsumerOptions = {},
  ): void {
    if (this.registrations.has(consumer)) throw new Error(`consumer ${consumer} registered twice`);
    const registration: Registration = {
      consumer,
      contract: contract as TopicContract<object>,
      handler: handler as EventHandler<object>,
      options: { transactional: true, ...options },
    };
    this.registrations.set(consumer, registration);
    this.bus.subscribe({
      topic: contract.name,
      consumer,
      deliver: (event, context) => this.deliver(registration, event, context?.signal),
      undecodable: (record) => this.parkUndecodable(consumer, record),
    });
  }

  /**
   * Registers a failure replay (`SyncFailureService` kind) that runs in the lane of `consumer`'s
   * key `keyOf(data)`: serialized with that consumer's live deliveries of the same key (and
   * other replays of it), instead of beside them.
   */
  registerReplay(consumer: string, kind: string, keyOf: (data: unknown) => string, handler: ReplayHandler): void {
    this.failures.registerReplayHandler(kind, (data, failure) =>
      this.lanes.run(laneOf(consumer, keyOf(data)), () => handler(data, failure)),
    );
  }

  private async deliver(reg: Registration, event: EventEnvelope, signal?: AbortSignal): Promise<void> {
    await Correlation.run(event.correlationId ?? event.id, async () => {
      const started = Date.now();
      const { maxAttempts, retryWindowMs, retryBaseMs, retryMaxDelayMs } = this.config.messaging;
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await this.lanes.run(laneOf(reg.consumer, event.key), () => this.handleOnce(reg, event));
          this.count(reg.consumer, outcome, started);
          return;
        } catch (error) {
          const disposition: FailureDisposition =
            error instanceof InvalidEventPayloadError ? 'park' : this.policy.dispositionOf(error);
          if (disposition === 'drop') {
            await this.drop(reg, event, error);
            this.count(reg.consumer, 'dropped', started);
            return;
          }
          const permanent = disposition !== 'retry';
          // Retried here, in the key's lane, so the key's later events wait behind it and order holds;
          // the window is long enough to ride out a brief platform outage.
          const exhausted = attempt >= maxAttempts && Date.now() - started >= retryWindowMs;
          if (this.stopping || signal?.aborted)
            throw new Error(
              `${reg.consumer} gave up retrying ${event.topic}/${event.key}#${event.seq} (${this.stopping ? 'stopping' : 'partition moved'}); it is delivered again`,
            );
          if (permanent || exhausted) {
            await this.deadLetter(reg, event, error, attempt, !permanent);
            this.count(reg.consumer, 'dead_lettered', started);
            return;
          }
          this.logger.warn(
            `${reg.consumer} failed on ${event.topic}/${event.key}#${event.seq} (attempt ${attempt}): ${(error as Error).message}`,
          );
          this.retryingByTopic.set(event.topic, (this.retryingByTopic.get(event.topic) ?? 0) + 1);
          try {
            await this.pause(backoffDelay(attempt, retryBaseMs, retryMaxDelayMs), signal);
          } finally {
            this.retryingByTopic.set(event.topic, (this.retryingByTopic.get(event.topic) ?? 1) - 1);
          }
        }
      }
    });
  }

  /** Deliveries of this topic waiting for their next retry: they hold a lane but do no work. */
  retrying(topic: string): number {
    return this.retryingByTopic.get(topic) ?? 0;
  }

  /**
   * Ends in-lane retries at shutdown without dead-lettering: the event stays undelivered (outbox
   * row pending, Kafka offset uncommitted) and is delivered again after the restart.
   */
  stop(): void {
    this.stopping = true;
    for (const wake of this.pauses) wake();
  }

  private pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pauses.add(wake);
      signal?.addEventListener('abort', wake);
    });
  }

  /** Returns 'duplicate' when the inbox shows the event was already handled. */
  private async handleOnce(reg: Registration, event: EventEnvelope): Promise<'processed' | 'duplicate'> {
    const payload = validatePayload(reg.contract, event.payload);
    if (reg.options.transactional) {
      return this.db.transaction(async () => {
        if (!(await this.inbox.claim(reg.consumer, event.id, 'processed', this.clock.now()))) return 'duplicate';
        await reg.handler(payload, { ...event, payload });
        return 'processed';
      });
    }
    if (await this.inbox.find(reg.consumer, event.id)) return 'duplicate';
    await reg.handler(payload, { ...event, payload });
    await this.db.transaction(() => this.inbox.claim(reg.consumer, event.id, 'processed', this.clock.now()));
    return 'processed';
  }

  private async deadLetter(
    reg: Registration,
    event: EventEnvelope,
    error: unknown,
    attempts: number,
    retryable: boolean,
  ): Promise<void> {
    const described = this.policy.describe(error);
    await this.db.transaction(async () => {
      await this.failures.record({
        context: `consumer:${reg.consumer}`,
        operation: event.topic,
        errorCode: described?.errorCode ?? (error instanceof InvalidEventPayloadError ? 'INVALID_MESSAGE' : 'INTERNAL'),
        reason: (error as Error).message ?? String(error),
        platform: described?.platform,
        platformCode: described?.platformCode,
        platformMessage: described?.platformMessage,
        merchantId: merchantOf(event.payload),
        entityType: 'event-key',
        entityRef: event.key,
        attempts,
        retryable,
        replay: { kind: DEAD_LETTER_REPLAY, data: { consumer: reg.consumer, event } satisfies DeadLetterData },
        dedupeKey: `dead-letter:${reg.consumer}:${event.id}`,
      });
      await this.inbox.claim(reg.consumer, event.id, 'dead_lettered', this.clock.now());
    });
  }

  /** The policy says the work is moot: the event is acknowledged, and no one is asked to look. */
  private async drop(reg: Registration, event: EventEnvelope, error: unknown): Promise<void> {
    this.logger.log(`${reg.consumer} dropped ${event.topic}/${event.key}#${event.seq}: ${(error as Error).message}`);
    await this.db.transaction(() => this.inbox.claim(reg.consumer, event.id, 'dropped', this.clock.now()));
  }

  /** Nothing can be replayed from a record that is not an event: ops see it and dismiss it. */
  private async parkUndecodable(consumer: string, record: UndecodableRecord): Promise<void> {
    await this.failures.record({
      context: `consumer:${consumer}`,
      operation: record.topic,
      errorCode: 'INVALID_MESSAGE',
      reason: `undecodable record at partition ${record.partition} offset ${record.offset}: ${record.reason}; value starts: ${record.preview}`,
      entityType: 'event-key',
      entityRef: record.key || null,
      retryable: false,
      dedupeKey: `undecodable:${consumer}:${record.topic}:${record.partition}:${record.offset}`,
    });
  }

  /** Ops retry of a dead letter: run the handler once more; throws if it fails again. */
  private async replay({ consumer, event }: DeadLetterData): Promise<void> {
    const reg = this.registrations.get(consumer);
    if (!reg) throw new Error(`consumer ${consumer} is not registered in this instance`);
    await Correlation.run(event.correlationId ?? event.id, async () => {
      const payload = validatePayload(reg.contract, event.payload);
      const run = async () => {
        const seen = await this.inbox.find(consumer, event.id);
        if (seen?.outcome === 'processed') return;
        await reg.handler(payload, { ...event, payload });
        if (seen) await this.inbox.markProcessed(consumer, event.id, this.clock.now());
        else await this.inbox.claim(consumer, event.id, 'processed', this.clock.now());
      };
      await this.lanes.run(laneOf(consumer, event.key), () =>
        reg.options.transactional ? this.db.transaction(run) : run(),
      );
    });
  }

  private count(consumer: string, outcome: string, started: number): void {
    this.metrics.counter(METRICS.eventsConsumedTotal).inc({ consumer, outcome });
    this.metrics.histogram(METRICS.eventHandleSeconds).observe({ consumer }, (Date.now() - started) / 1000);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Most events name their merchant: a dead letter then counts in that merchant's failure alerts. */
function merchantOf(payload: unknown): string | null {
  const id = (payload as { merchantId?: unknown } | null)?.merchantId;
  return typeof id === 'string' && UUID.test(id) ? id : null;
}
