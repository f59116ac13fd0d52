import { createDecipheriv } from 'node:crypto';
import { parseJsonSafe } from '../../common/json';
import { KuaishouConfig } from '../../config/app-config';
import { ChannelPushEvent, PushKind, PushParser, PushRejectedError, PushRequest } from '../channel.port';
import { idFrom } from './kuaishou-ids';

interface KsPushEnvelope {
  eventId?: string;
  msgId?: unknown;
  bizId?: unknown;
  openId?: string | null;
  appKey?: string;
  event?: string;
  info?: unknown;
  createTime?: number;
  updateTime?: number;
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
    if (!algorithm) throw new RangeError(`the Kuaishou message secret must decode to 16, 24 or 32 bytes (got ${this.key.length})`);
    this.algorithm = algorithm;
  }

  parse(request: PushRequest): ChannelPushEvent[] {
    const text = request.rawBody.toString('utf8').trim();
    if (!text) throw new PushRejectedError('empty Kuaishou push body');
    // Whether heartbeats are encrypted is unconfirmed: a plain one is accepted, but nothing else in clear.
    const plain = text.startsWith('{') || text.startsWith('[');
    const decoded = this.decode(plain ? text : this.decrypt(text));
    const envelopes = Array.isArray(decoded) ? decoded : [decoded];
    return envelopes.map((envelope) => {
      if (!envelope || typeof envelope !== 'object') throw new PushRejectedError('a Kuaishou push event is not an object');
      const event = envelope as KsPushEnvelope;
      if (event.test === true) return this.heartbeat(event);
      if (plain) throw new PushRejectedError('an unencrypted Kuaishou push event was refused');
      return this.toEvent(event);
    });
  }

  private decrypt(body: string): string {
    try {
      const decipher = createDecipheriv(this.algorithm, this.key, Buffer.alloc(16, 0));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
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
    return { platform: 'kuaishou', eventId: event.eventId ?? `heartbeat:${occurredAt}`, kind: 'heartbeat', rawType: event.event ?? 'test', occurredAt };
  }

  private toEvent(event: KsPushEnvelope): ChannelPushEvent {
    if (event.appKey !== this.config.appKey) throw new PushRejectedError(`a Kuaishou push for another app (${String(event.appKey)}) was refused`);
    const name = event.event ?? '';
    const info = this.info(event.info);
    const bizId = idFrom(event.bizId);
    const kind: PushKind = name.startsWith('kwaishop_order_') ? 'order' : name.startsWith('kwaishop_aftersales_') ? 'refund' : /^kwaishop_(item|product)_/.test(name) ? 'item' : 'other';
    const infoId = (key: string): string | undefined => (info[key] !== undefined && info[key] !== null ? idFrom(info[key]) : undefined);
    const msgId = event.msgId !== undefined ? idFrom(event.msgId) : undefined;
    return {
      platform: 'kuaishou',
      eventId: event.eventId ?? msgId ?? `${name}:${bizId}:${event.createTime ?? ''}`,
      kind,
      rawType: name,
      // openId may be empty during platform incidents (the platform re-pushes later).
      shopId: event.openId || (typeof info.openId === 'string' && info.openId) || undefined,
      orderId: kind === 'order' ? (infoId('oid') ?? (bizId || undefined)) : kind === 'refund' ? infoId('orderId') : undefined,
      refundId: kind === 'refund' ? (infoId('refundId') ?? (bizId || undefined)) : undefined,
      itemId: kind === 'item' ? (infoId('itemId') ?? (bizId || undefined)) : undefined,
      status: info.status !== undefined ? String(info.status) : undefined,
      occurredAt: Number(event.createTime ?? info.updateTime ?? info.createTime ?? Date.now()),
    };
  }

  /** `info` is a JSON string inside the JSON event: parse it a second time. */
  private info(value: unknown): Record<string, unknown> {
    if (value === undefined || value === null || value === '') return {};
    if (typeof value === 'object') return value as Record<string, unknown>;
    try {
      const parsed = parseJsonSafe(String(value));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new PushRejectedError('a Kuaishou push carries an info field that is not JSON');
    }
  }
}
