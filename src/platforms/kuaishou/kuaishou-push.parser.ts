import { isUtf8 } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import { parseJsonSafe } from '@app/common/json';
import { KuaishouConfig } from '@app/config/app-config';
import { ChannelPushEvent, PushKind, PushParser, PushRejectedError, PushRequest } from '../ports/push.port';
import { assertPushEvent, pushId, pushScalar } from '../shared/push-fields';

interface KsPushEnvelope {
  eventId?: unknown;
  msgId?: unknown;
  bizId?: unknown;
  openId?: unknown;
  appKey?: unknown;
  event?: unknown;
  info?: unknown;
  createTime?: unknown;
  updateTime?: unknown;
  test?: boolean;
}

const AES_BY_KEY_LENGTH: Record<number, string> = { 16: 'aes-128-cbc', 24: 'aes-192-cbc', 32: 'aes-256-cbc' };

/**
 * Kuaishou push messages: the text/plain body is Base64 of AES-CBC ciphertext (key = Base64-decoded
 * message secret, IV = 16 zero bytes, PKCS#7). There is no signature: the shared key and our appKey
 * inside the event are the only proof of origin.
 */
export class KuaishouPushParser implements PushParser {
  readonly platform = 'kuaishou' as const;
  readonly ackBody = '{"result":1}';
  private readonly key: Buffer;
  private readonly algorithm: string;

  constructor(private readonly config: Pick<KuaishouConfig, 'appKey' | 'messageSecret'>) {
    this.key = Buffer.from(config.messageSecret, 'base64');
    const algorithm = AES_BY_KEY_LENGTH[this.key.length];
    if (!algorithm)
      throw new RangeError(`the Kuaishou message secret must decode to 16, 24 or 32 bytes (got ${this.key.length})`);
    this.algorithm = algorithm;
  }

  parse(request: PushRequest): ChannelPushEvent[] {
    const text = request.rawBody.toString('utf8').trim();
    if (!text) throw new PushRejectedError('empty Kuaishou push body');
    // Whether heartbeats are encrypted is unconfirmed: a plain one is accepted, but nothing else in clear.
    const plain = text.startsWith('{') || text.startsWith('[');
    const decoded = this.decode(plain ? text : this.decrypt(text));
    const envelopes = Array.isArray(decoded) ? decoded : [decoded];
    if (!envelopes.length) throw new PushRejectedError('a Kuaishou push without events');
    return envelopes.map((envelope) => {
      if (!envelope || typeof envelope !== 'object')
        throw new PushRejectedError('a Kuaishou push event is not an object');
      const event = envelope as KsPushEnvelope;
      if (event.test === true) return this.heartbeat(event);
      if (plain) throw new PushRejectedError('an unencrypted Kuaishou push event was refused');
      return this.toEvent(event);
    });
  }

  private decrypt(body: string): string {
    try {
      const decipher = createDecipheriv(this.algorithm, this.key, Buffer.alloc(16, 0));
      const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]);
      if (!isUtf8(plain)) throw new Error('not UTF-8');
      return plain.toString('utf8');
    } catch {
      throw new PushRejectedError('a Kuaishou push could not be decrypted with the message secret');
    }
  }

  private decode(json: string): unknown {
    try {
      return parseJsonSafe(json);
    } catch {
      throw new PushRejectedError('a Kuaishou push is not JSON after decryption');
    }
  }

  private heartbeat(event: KsPushEnvelope): ChannelPushEvent {
    const occurredAt = Number(event.createTime ?? Date.now());
    const eventId = pushScalar(event.eventId, 'eventId') ?? `heartbeat:${occurredAt}`;
    return assertPushEvent({
      platform: 'kuaishou',
      eventId,
      kind: 'heartbeat',
      rawType: pushScalar(event.event, 'event') ?? 'test',
      occurredAt,
    });
  }

  private toEvent(event: KsPushEnvelope): ChannelPushEvent {
    if (event.appKey !== this.config.appKey)
      throw new PushRejectedError(`a Kuaishou push for another app (${String(event.appKey).slice(0, 80)}) was refused`);
    const name = pushScalar(event.event, 'event') ?? '';
    const info = this.info(event.info);
    const bizId = pushId(event.bizId, 'bizId');
    const kind: PushKind = name.startsWith('kwaishop_order_')
      ? 'order'
      : name.startsWith('kwaishop_aftersales_')
        ? 'refund'
        : /^kwaishop_(item|product)_/.test(name)
          ? 'item'
          : 'other';
    const infoId = (key: string): string | undefined => pushScalar(info[key], `info.${key}`);
    const msgId = pushScalar(event.msgId, 'msgId');
    const createTime = pushScalar(event.createTime, 'createTime');
    return assertPushEvent({
      platform: 'kuaishou',
      eventId: pushScalar(event.eventId, 'eventId') ?? msgId ?? `${name}:${bizId ?? ''}:${createTime ?? ''}`,
      kind,
      rawType: name,
      // openId may be empty during platform incidents (the platform re-pushes later).
      shopId: pushScalar(event.openId, 'openId') ?? pushScalar(info.openId, 'info.openId'),
      orderId: kind === 'order' ? (infoId('oid') ?? bizId) : kind === 'refund' ? infoId('orderId') : undefined,
      refundId: kind === 'refund' ? (infoId('refundId') ?? bizId) : undefined,
      itemId: kind === 'item' ? (infoId('itemId') ?? bizId) : undefined,
      status: pushScalar(info.status, 'info.status'),
      occurredAt: Number(
        createTime ??
          pushScalar(info.updateTime, 'info.updateTime') ??
          pushScalar(info.createTime, 'info.createTime') ??
          Date.now(),
      ),
    });
  }

  /** `info` is a JSON string inside the JSON event: parse it a second time. */
  private info(value: unknown): Record<string, unknown> {
    if (value === undefined || value === null || value === '') return {};
    if (typeof value === 'object') {
      if (Array.isArray(value)) throw new PushRejectedError('a Kuaishou push carries an info field that is a list');
      return value as Record<string, unknown>;
    }
    try {
      const parsed = parseJsonSafe(String(value));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new PushRejectedError('a Kuaishou push carries an info field that is not JSON');
    }
  }
}
