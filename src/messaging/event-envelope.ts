/** What travels on the bus: the same fields as Kafka record key/value/headers. */
export interface EventEnvelope<P = unknown> {
  /** Unique per event; consumers deduplicate on it (inbox). */
  id: string;
  topic: string;
  /** Aggregate key (e.g. merchant SKU); order is kept per key. */
  key: string;
  /** Position of the event among the events of its (topic, key), from 1. */
  seq: number;
  type: string;
  payload: P;
  occurredAt: number;
  correlationId?: string;
}
