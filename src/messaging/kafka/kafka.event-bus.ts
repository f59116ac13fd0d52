import { Logger } from '@nestjs/common';
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

/**
 * Kafka through kafkajs. Kept thin on purpose: kafkajs is unmaintained, and swapping the client
 * must stay a change of this folder only.
 *
 * - producer: idempotent, acks=all, one request in flight, so records of a key keep their order;
 * - one consumer group per consumer, offsets committed after the handler returned
 *   (at-least-once; the inbox absorbs redelivery);
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
  private readonly consumers: { consumer: Consumer; subscription: EventSubscription; crashed?: string }[] = [];
  private readonly subscriptions: EventSubscription[] = [];
  private producerConnected = false;

  constructor(
    private readonly config: KafkaConfig,
    private readonly options: { sessionTimeoutMs?: number; heartbeatIntervalMs?: number } = {},
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
    for (const subscription of this.subscriptions) await this.startConsumer(subscription);
  }

  private async startConsumer(subscription: EventSubscription): Promise<void> {
    const groupId = `${this.config.groupPrefix}.${subscription.consumer}`;
    const heartbeatIntervalMs = this.options.heartbeatIntervalMs ?? 3_000;
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: heartbeatIntervalMs,
      // Stock changes are latency-sensitive: do not let an idle fetch hold new records back.
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: true,
    });
    const entry: { consumer: Consumer; subscription: EventSubscription; crashed?: string } = { consumer, subscription };
    consumer.on(consumer.events.CRASH, (e) => {
      entry.crashed = e.payload.error.message;
      this.logger.error(
        `consumer ${subscription.consumer} crashed: ${e.payload.error.message} (restart: ${e.payload.restart})`,
      );
    });
    consumer.on(consumer.events.GROUP_JOIN, () => (entry.crashed = undefined));
    const startedAt = Date.now();
    const fresh = await this.partitionsWithoutOffset(groupId, subscription.topic);
    const notBefore = startedAt - (this.config.newGroupLookbackMs ?? 3_600_000);
    await consumer.connect();
    await consumer.subscribe({ topic: subscription.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
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
    this.consumers.push(entry);
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
    for (const { consumer } of this.consumers.splice(0)) await consumer.disconnect().catch(() => undefined);
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
    const crashed = this.consumers.filter((c) => c.crashed).map((c) => `${c.subscription.consumer}: ${c.crashed}`);
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
