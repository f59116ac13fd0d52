import { Logger } from '@nestjs/common';
import { backOff } from 'exponential-backoff';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { KafkaConfig } from '@app/config/app-config';
import { EventEnvelope } from '../event-envelope';
import { BusHealth, EventBus, EventSubscription, UndecodableRecord } from '../event-bus.port';
import { decode, encode } from './kafka-codec';

/** Heartbeat answers meaning the group is rebalancing or has dropped this member: its partitions may move. */
const LOST_MEMBERSHIP = [
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
];

/** What one consumer is doing, as /health reports it. */
interface ConsumerEntry {
  subscription: EventSubscription;
  consumer?: Consumer;
  state: 'joining' | 'running' | 'restarting' | 'stopped';
  /** Why it is not running: the crash, or the last failed restart. */
  error?: string;
  /** Restart attempts since it last ran. */
  attempts: number;
}

/**
 * Kafka through kafkajs. Kept thin on purpose: kafkajs is unmaintained, and swapping the client
 * must stay a change of this folder only.
 *
 * - producer: idempotent, acks=all, one request in flight, so records of a key keep their order;
 * - one consumer group per consumer, joined concurrently at start; each record's offset is
 *   committed right after its handler returned (at-least-once: a rebalance re-delivers at most the
 *   records in flight, and the inbox absorbs those);
 * - a consumer that crashes (any crash event, whether kafkajs restarts it or not) is replaced by a
 *   new one with exponential backoff until it runs again; meanwhile `health()` is down and says
 *   which consumer is restarting and why;
 * - session timeout, heartbeat interval and rebalance timeout come from the configuration
 *   (defaults 6 s / 1 s / 10 s: a dead instance's partitions move within seconds);
 * - kafkajs heartbeats only between messages, so a handler that runs long (a slow platform write,
 *   in-lane retries) heartbeats while it runs: the member is not evicted mid-handler; when a
 *   heartbeat says the group rebalances, in-lane retries stop so the partition can move;
 * - a record that cannot be decoded is handed to `undecodable` (a sync failure) and committed past;
 * - a group with no committed offset reads from the earliest retained record but handles only
 *   those produced within `newGroupLookbackMs` before it started: events relayed just before the
 *   first start are not lost, and a new consumer does not replay the whole retention.
 */
export class KafkaEventBus implements EventBus {
  readonly kind = 'kafka' as const;
  readonly parallelKeys = false;
  private readonly logger = new Logger(KafkaEventBus.name);
  private readonly kafka: Kafka;
  private producer?: Producer;
  private readonly consumers: ConsumerEntry[] = [];
  private readonly subscriptions: EventSubscription[] = [];
  private producerConnected = false;
  private stopping = false;

  constructor(
    private readonly config: KafkaConfig,
    private readonly options: {
      sessionTimeoutMs?: number;
      heartbeatIntervalMs?: number;
      rebalanceTimeoutMs?: number;
      restartInitialDelayMs?: number;
      restartMaxDelayMs?: number;
    } = {},
  ) {
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      ssl: config.ssl,
      sasl: config.sasl as never,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ namespace, log }) =>
          this.logger.warn(`[kafkajs ${namespace}] ${log.message}`),
      retry: { retries: 8, initialRetryTime: 200 },
    });
  }

  subscribe(subscription: EventSubscription): void {
    this.subscriptions.push(subscription);
  }

  async start(): Promise<void> {
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.producerConnected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
    await this.producer.connect();
    this.producerConnected = true;
    this.stopping = false;
    // Concurrently: each join pauses the group on the other members, one after another adds up.
    await Promise.all(
      this.subscriptions.map(async (subscription) => {
        const entry: ConsumerEntry = { subscription, state: 'joining', attempts: 0 };
        this.consumers.push(entry);
        await this.startConsumer(entry);
      }),
    );
  }

  private setting(key: keyof KafkaEventBus['options'] & keyof KafkaConfig, fallback: number): number {
    return this.options[key] ?? this.config[key] ?? fallback;
  }

  /** Replaces a crashed consumer by a new one, with exponential backoff, until one runs. */
  private restart(entry: ConsumerEntry, reason: string): void {
    if (this.stopping || entry.state === 'restarting' || entry.state === 'stopped') return;
    entry.state = 'restarting';
    entry.error = reason;
    const old = entry.consumer;
    entry.consumer = undefined;
    void backOff(
      async () => {
        if (this.stopping) return;
        entry.attempts += 1;
        await old?.disconnect().catch(() => undefined);
        try {
          await this.startConsumer(entry);
        } catch (error) {
          entry.error = (error as Error).message;
          const failed = entry.consumer;
          entry.consumer = undefined;
          await failed?.disconnect().catch(() => undefined);
          this.logger.warn(
            `restart ${entry.attempts} of consumer ${entry.subscription.consumer} failed: ${entry.error}`,
          );
          throw error;
        }
      },
      {
        numOfAttempts: Number.MAX_SAFE_INTEGER,
        startingDelay: this.setting('restartInitialDelayMs', 1_000),
        maxDelay: this.setting('restartMaxDelayMs', 30_000),
        timeMultiple: 2,
        jitter: 'full',
        delayFirstAttempt: true,
        retry: () => !this.stopping,
      },
    ).catch(() => undefined);
  }

  private async startConsumer(entry: ConsumerEntry): Promise<void> {
    const { subscription } = entry;
    const groupId = `${this.config.groupPrefix}.${subscription.consumer}`;
    const heartbeatIntervalMs = this.setting('heartbeatIntervalMs', 1_000);
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: this.setting('sessionTimeoutMs', 6_000),
      rebalanceTimeout: this.setting('rebalanceTimeoutMs', 10_000),
      heartbeatInterval: heartbeatIntervalMs,
      // Stock changes are latency-sensitive: do not let an idle fetch hold new records back.
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: true,
      // Restarts are ours (below), with backoff and visible in health, also for crashes kafkajs
      // would not restart (e.g. a protocol error during a group join).
      retry: { retries: 8, initialRetryTime: 200, restartOnFailure: async () => false },
    });
    entry.consumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      this.logger.error(
        `consumer ${subscription.consumer} crashed: ${e.payload.error.message} (kafkajs restart: ${e.payload.restart}); restarting with backoff`,
      );
      if (entry.consumer === consumer) this.restart(entry, e.payload.error.message);
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (entry.consumer !== consumer) return;
      entry.state = 'running';
      entry.error = undefined;
      entry.attempts = 0;
    });
    const startedAt = Date.now();
    const fresh = await this.partitionsWithoutOffset(groupId, subscription.topic);
    const notBefore = startedAt - (this.config.newGroupLookbackMs ?? 3_600_000);
    await consumer.connect();
    await consumer.subscribe({ topic: subscription.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      // Commit each record's offset as soon as its handler returned, not on a timer.
      autoCommitThreshold: 1,
      partitionsConsumedConcurrently: 4,
      eachMessage: async ({ topic, partition, message, heartbeat }) => {
        if (fresh.has(partition)) {
          if (Number(message.timestamp) < notBefore) return;
          fresh.delete(partition);
        }
        let event: EventEnvelope;
        try {
          event = decode(topic, message);
        } catch (error) {
          await this.park(subscription, {
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            reason: (error as Error).message,
            preview: message.value?.toString().slice(0, 500) ?? '',
          });
          return;
        }
        const lost = new AbortController();
        const beat = setInterval(
          () =>
            void heartbeat().catch((e: Error & { type?: string }) => {
              this.logger.warn(`heartbeat of ${subscription.consumer} failed: ${e.message}`);
              if (e.type && LOST_MEMBERSHIP.includes(e.type)) lost.abort();
            }),
          heartbeatIntervalMs,
        );
        try {
          await subscription.deliver(event, { signal: lost.signal });
        } finally {
          clearInterval(beat);
        }
      },
    });
  }

  private async park(subscription: EventSubscription, record: UndecodableRecord): Promise<void> {
    this.logger.error(
      `undecodable record ${record.topic}[${record.partition}]@${record.offset} for ${subscription.consumer}: ${record.reason}`,
    );
    if (subscription.undecodable) await subscription.undecodable(record);
  }

  /** Partitions of the topic where the group has never committed (a new group, or a new partition). */
  private async partitionsWithoutOffset(groupId: string, topic: string): Promise<Set<number>> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Set((offsets?.partitions ?? []).filter((p) => Number(p.offset) < 0).map((p) => p.partition));
    } catch (error) {
      // Unknown: handle everything rather than risk skipping what a live group has not seen.
      this.logger.warn(`could not read the committed offsets of ${groupId}: ${(error as Error).message}`);
      return new Set();
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.consumers.splice(0).map(async (entry) => {
        entry.state = 'stopped';
        await entry.consumer?.disconnect().catch(() => undefined);
      }),
    );
    await this.producer?.disconnect().catch(() => undefined);
    this.producerConnected = false;
  }

  async publish(events: EventEnvelope[]): Promise<void> {
    if (!this.producer) throw new Error('Kafka producer is not started');
    const byTopic = new Map<string, EventEnvelope[]>();
    for (const e of events) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list.map(encode) })),
    });
  }

  async health(): Promise<BusHealth> {
    const crashed = this.consumers
      .filter((c) => c.state === 'restarting')
      .map(
        (c) => `consumer ${c.subscription.consumer} restarting (attempt ${c.attempts}) after: ${c.error ?? 'a crash'}`,
      );
    const up = this.producerConnected && crashed.length === 0;
    return {
      up,
      kind: this.kind,
      detail: up
        ? undefined
        : [!this.producerConnected ? 'producer disconnected' : '', ...crashed].filter(Boolean).join('; '),
    };
  }
}
