import { createCipheriv } from 'node:crypto';
import { EmulatorClock } from '../shared/emulator-clock';
import { PushDispatcher } from '../shared/push-dispatcher';
import { long, toJson } from './kuaishou-emulator.json';
import { KsStoreEvent } from './kuaishou-emulator.store';
import { KuaishouOAuthStore } from './kuaishou-oauth.store';

const CIPHERS: Record<number, string> = { 16: 'aes-128-cbc', 24: 'aes-192-cbc', 32: 'aes-256-cbc' };
const HEADERS = { 'content-type': 'text/plain;charset=utf-8' };

/**
 * Turns shop events into Kuaishou push messages: one JSON event per request, `info` as a JSON
 * string, the whole body AES-CBC encrypted (zero IV) and Base64 encoded, sent as text/plain.
 * Shops that did not grant the matching scope (or revoked the app) get nothing, as on the platform.
 */
export class KuaishouPushSender {
  private readonly key: Buffer;
  private readonly cipher: string;
  private seq = 0;

  constructor(
    private readonly dispatcher: PushDispatcher,
    private readonly appKey: string,
    messageSecret: string,
    private readonly clock: EmulatorClock,
    private readonly oauth: KuaishouOAuthStore,
  ) {
    this.key = Buffer.from(messageSecret, 'base64');
    const cipher = CIPHERS[this.key.length];
    if (!cipher) throw new RangeError('the message secret must decode to 16, 24 or 32 bytes');
    this.cipher = cipher;
  }

  publish(event: KsStoreEvent): void {
    const scope = event.event.startsWith('kwaishop_aftersales_') ? 'merchant_refund' : 'merchant_order';
    if (!this.oauth.hasActiveGrant(event.openId, scope)) return;
    const now = this.clock.now();
    const n = ++this.seq;
    const eventId = `${n}_${event.sellerId.slice(-4)}_${now % 1_000_000}`;
    const envelope = toJson({
      eventId,
      msgId: BigInt(now) * 1000n + BigInt(n % 1000),
      bizId: long(event.bizId),
      userId: long(event.sellerId),
      openId: event.openId,
      appKey: this.appKey,
      event: event.event,
      info: toJson(event.info),
      createTime: now,
      updateTime: now,
      status: 0,
      test: false,
    });
    const body = this.encrypt(envelope);
    this.dispatcher.send({ id: eventId, build: () => ({ body, headers: HEADERS }) });
  }

  /** `{"test":true}`; encrypted unless asked otherwise (whether the real one is encrypted is unconfirmed). */
  heartbeat(encrypted = true): void {
    const plain = '{"test":true}';
    const body = encrypted ? this.encrypt(plain) : plain;
    this.dispatcher.send({ id: `heartbeat-${++this.seq}`, build: () => ({ body, headers: HEADERS }) });
  }

  private encrypt(text: string): string {
    const cipher = createCipheriv(this.cipher, this.key, Buffer.alloc(16, 0));
    return Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
  }
}
