import { PushMessage } from '../shared/push-dispatcher';
import { encodeJson, javaUrlEncode, md5Hex } from './youzan-emulator.codec';
import { PushEvent } from './youzan-emulator.store';

export interface PushIdentity {
  clientId: string;
  clientSecret: string;
}

/**
 * One Youzan push as sent to the app's URL: JSON body with a URL-encoded `msg` (a plain object
 * for youzan_trade_Refund*), body `sign = md5(client_id + msg + client_secret)`, and headers
 * Event-Sign = md5(client_id + body + client_secret), Event-Type, Client-Id. Re-pushes carry
 * `sendCount`.
 */
export function youzanPushMessage(
  app: PushIdentity,
  input: { event: PushEvent; shopName: string; msgId: string; version: number; test?: boolean },
): PushMessage {
  const { event } = input;
  const msgText = encodeJson(event.msg);
  const msg = event.msgAsObject ? event.msg : javaUrlEncode(msgText);
  const sign = md5Hex(`${app.clientId}${event.msgAsObject ? msgText : (msg as string)}${app.clientSecret}`);
  return {
    id: input.msgId,
    build(attempt: number) {
      const body: Record<string, unknown> = {
        client_id: app.clientId,
        id: event.id,
        kdt_id: event.kdtId,
        kdt_name: input.shopName,
        msg,
        msg_id: input.msgId,
      };
      if (attempt > 1) body.sendCount = attempt - 1;
      Object.assign(body, {
        sign,
        status: event.status,
        test: input.test ?? false,
        type: event.type,
        version: input.version,
      });
      const text = encodeJson(body);
      return {
        body: text,
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'Event-Sign': md5Hex(`${app.clientId}${text}${app.clientSecret}`),
          'Event-Type': event.type,
          'Client-Id': app.clientId,
        },
      };
    },
  };
}
