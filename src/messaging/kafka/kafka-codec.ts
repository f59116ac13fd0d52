import { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { EventEnvelope } from '../event-envelope';

/** Record layout: key = aggregate key, value = payload JSON, metadata in headers. */
export const HEADER = {
  eventId: 'kwaizan-event-id',
  type: 'kwaizan-event-type',
  seq: 'kwaizan-key-seq',
  occurredAt: 'kwaizan-occurred-at',
  correlationId: 'kwaizan-correlation-id',
} as const;

export function encode(event: EventEnvelope): Message {
  const headers: IHeaders = {
    [HEADER.eventId]: event.id,
    [HEADER.type]: event.type,
    [HEADER.seq]: String(event.seq),
    [HEADER.occurredAt]: String(event.occurredAt),
  };
  if (event.correlationId) headers[HEADER.correlationId] = event.correlationId;
  // The record's timestamp is when it was published (occurredAt travels in a header): a new group's lookback counts from there.
  return { key: event.key, value: JSON.stringify(event.payload), headers, timestamp: String(Date.now()) };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export function decode(topic: string, message: KafkaMessage): EventEnvelope {
  const id = header(message.headers, HEADER.eventId);
  if (!id) throw new Error(`record at ${topic}@${message.offset} has no ${HEADER.eventId} header`);
  return {
    id,
    topic,
    key: message.key?.toString() ?? '',
    seq: Number(header(message.headers, HEADER.seq) ?? 0),
    type: header(message.headers, HEADER.type) ?? '',
    payload: parseValue(topic, message),
    occurredAt: Number(header(message.headers, HEADER.occurredAt) ?? message.timestamp),
    correlationId: header(message.headers, HEADER.correlationId),
  };
}

function parseValue(topic: string, message: KafkaMessage): unknown {
  try {
    return JSON.parse(message.value?.toString() ?? 'null') as unknown;
  } catch (error) {
    throw new Error(`record at ${topic}@${message.offset} is not JSON: ${(error as Error).message}`);
  }
}
