import { EventEnvelope } from './event-envelope';

export const EVENT_BUS = Symbol('EVENT_BUS');

export interface EventSubscription {
  topic: string;
  /** Consumer name; on Kafka it becomes the consumer group id. */
  consumer: string;
  /**
   * Must not throw for a handled failure: the consumer runner turns exhausted retries into dead letters.
   * `signal` aborts when this instance lost the event's partition (Kafka rebalance): stop retrying
   * and throw, the new owner gets it.
   */
  deliver(event: EventEnvelope, context?: { signal?: AbortSignal }): Promise<void>;
  /** A record that cannot be decoded into an event: parked for ops so its partition moves on. */
  undecodable?(record: UndecodableRecord): Promise<void>;
}

export interface UndecodableRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  reason: string;
  /** The start of the raw value, for the record a person reads. */
  preview: string;
}

export interface BusHealth {
  up: boolean;
  kind: 'kafka' | 'in-process';
  detail?: string;
}

/**
 * The port between the outbox relay and consumers. `publish` resolves only when the events are
 * durably accepted: acknowledged by Kafka, or handled by every in-process consumer.
 */
export interface EventBus {
  readonly kind: 'kafka' | 'in-process';
  subscribe(subscription: EventSubscription): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  publish(events: EventEnvelope[]): Promise<void>;
  health(): Promise<BusHealth>;
  /** Whether the relay may deliver different keys concurrently (in-process) or must keep one stream (Kafka batches). */
  readonly parallelKeys: boolean;
}
