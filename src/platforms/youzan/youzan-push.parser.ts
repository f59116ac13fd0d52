import { createHash, timingSafeEqual } from 'node:crypto';
import { Clock, SystemClock } from '@app/common/clock';
import { parseJsonSafe } from '@app/common/json';
import { YouzanConfig } from '@app/config/app-config';
import { ChannelPushEvent, PushKind, PushParser, PushRejectedError, PushRequest } from '../ports/push.port';
import { assertPushEvent, pushId, pushScalar } from '../shared/push-fields';
import { beijingToEpochMs, formDecode } from './youzan-values';

interface PushBody {
  client_id?: unknown;
  id?: unknown;
  kdt_id?: unknown;
  type?: unknown;
  status?: unknown;
  msg?: unknown;
  msg_id?: unknown;
  version?: unknown;
  test?: unknown;
}

type Msg = Record<string, unknown>;

/**
 * Youzan push messages: `Event-Sign = md5(client_id + rawBody + client_secret)` in lower-case
 * hex over the exact received bytes; `msg` is a URL-encoded JSON string (trade_*, trade_refund_*)
 * or a plain object (youzan_trade_Refund*). Test messages count as heartbeats.
 */
export class YouzanPushParser implements PushParser {
  readonly platform = 'youzan' as const;
  readonly ackBody = '{"code":0,"msg":"success"}';

  constructor(
    private readonly config: Pick<YouzanConfig, 'clientId' | 'clientSecret'>,
    private readonly clock: Clock = new SystemClock(),
  ) {}

  parse(request: PushRequest): ChannelPushEvent[] {
    const sign = header(request.headers, 'event-sign');
    if (!sign) throw new PushRejectedError('Youzan push without Event-Sign header');
    const expected = createHash('md5')
      .update(
        Buffer.concat([Buffer.from(this.config.clientId), request.rawBody, Buffer.from(this.config.clientSecret)]),
      )
      .digest('hex');
    if (!safeEqual(sign.toLowerCase(), expected))
      throw new PushRejectedError('Youzan push Event-Sign does not match the body');
    const clientId = header(request.headers, 'client-id');
    if (clientId && clientId !== this.config.clientId)
      throw new PushRejectedError(`Youzan push for another app (Client-Id ${clientId})`);

    let parsed: unknown;
    try {
      parsed = parseJsonSafe(request.rawBody.toString('utf8'));
    } catch {
      throw new PushRejectedError('Youzan push body is not JSON');
    }
    const bodies = Array.isArray(parsed) ? parsed : [parsed];
    if (!bodies.length) throw new PushRejectedError('Youzan push without events');
    return bodies.map((body) => this.event(body as PushBody));
  }

  private event(body: PushBody): ChannelPushEvent {
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof body.type !== 'string')
      throw new PushRejectedError('Youzan push without a type');
    if (body.client_id !== undefined && body.client_id !== this.config.clientId)
      throw new PushRejectedError(`Youzan push for another app (client_id ${String(body.client_id).slice(0, 80)})`);
    const rawType = body.type;
    const shopId = pushScalar(body.kdt_id, 'kdt_id');
    const id = pushId(body.id, 'id') ?? '';
    const versionText = pushScalar(body.version, 'version');
    const version = Number(versionText);
    const eventId = pushScalar(body.msg_id, 'msg_id') ?? `${rawType}:${shopId ?? ''}:${id}:${versionText ?? ''}`;
    const status = pushScalar(body.status, 'status');
    if (body.test === true)
      return assertPushEvent({
        platform: 'youzan',
        eventId,
        kind: 'heartbeat',
        rawType,
        shopId,
        occurredAt: this.clock.now(),
      });

    const msg = decodeMsg(body.msg);
    const kind = kindOf(rawType);
    const occurredAt =
      beijingToEpochMs(msg.update_time) ??
      (Number.isFinite(version) && version > 1e9 ? (version < 1e11 ? version * 1000 : version) : this.clock.now());
    const event: ChannelPushEvent = { platform: 'youzan', eventId, kind, rawType, shopId, status, occurredAt };
    if (kind === 'order') event.orderId = pushScalar(msg.tid, 'msg.tid') ?? (id || undefined);
    if (kind === 'refund') {
      event.orderId = pushScalar(msg.tid, 'msg.tid') ?? (id || undefined);
      event.refundId = pushScalar(msg.refund_id, 'msg.refund_id');
    }
    if (kind === 'item') event.itemId = id || itemIdOf(msg);
    return assertPushEvent(event);
  }
}

function kindOf(type: string): PushKind {
  if (type.startsWith('trade_refund_') || type.startsWith('youzan_trade_Refund')) return 'refund';
  if (type.startsWith('trade_') || type.startsWith('youzan_trade_')) return 'order';
  if (type.startsWith('ITEM_') || type.startsWith('youzan_item_')) return 'item';
  return 'other';
}

function decodeMsg(msg: unknown): Msg {
  if (msg === undefined || msg === null || msg === '') return {};
  if (typeof msg === 'object' && !Array.isArray(msg)) return msg as Msg;
  if (typeof msg !== 'string') throw new PushRejectedError('Youzan push msg is neither a string nor an object');
  try {
    const decoded = parseJsonSafe(formDecode(msg));
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) ? (decoded as Msg) : {};
  } catch {
    throw new PushRejectedError('Youzan push msg is not URL-encoded JSON');
  }
}

function itemIdOf(msg: Msg): string | undefined {
  const data =
    msg.data && typeof msg.data === 'object' && !Array.isArray(msg.data)
      ? (msg.data as Record<string, unknown>)
      : undefined;
  return pushScalar(msg.item_id ?? data?.item_id ?? data?.id, 'msg.item_id');
}

function header(headers: PushRequest['headers'], name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(direct) ? direct[0] : direct;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
