import { Platform } from './platform.types';

export const PUSH_PARSERS = Symbol('PUSH_PARSERS');

export type PushKind = 'heartbeat' | 'order' | 'refund' | 'item' | 'other';

/** A platform push in domain terms. */
export interface ChannelPushEvent {
  platform: Platform;
  /** Platform message id (dedupe key). */
  eventId: string;
  kind: PushKind;
  /** Platform event name as sent. */
  rawType: string;
  shopId?: string;
  orderId?: string;
  refundId?: string;
  itemId?: string;
  status?: string;
  occurredAt: number;
}

export interface PushRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

/** Thrown for a push that fails its signature/decryption or cannot be parsed. */
export class PushRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushRejectedError';
  }
}

/** Platform pushes: verify and decode what a platform sends to our receivers. */
export interface PushParser {
  readonly platform: Platform;
  /** Verifies and decodes one request; may hold several events (tolerated batches). */
  parse(request: PushRequest): ChannelPushEvent[];
  /** The body the platform expects as acknowledgement. */
  readonly ackBody: string;
}
