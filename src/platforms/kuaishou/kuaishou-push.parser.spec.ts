import { createCipheriv } from 'node:crypto';
import { PushRejectedError } from '../ports/push.port';
import { KuaishouPushParser } from './kuaishou-push.parser';

// Test vector from the fact sheet §5.2: key "0123456789abcdef", {"test":true}.
const SECRET = 'MDEyMzQ1Njc4OWFiY2RlZg==';
const APP_KEY = 'ks000000000000000001';
const parser = new KuaishouPushParser({ appKey: APP_KEY, messageSecret: SECRET });

const encrypt = (plain: string, secret = SECRET): string => {
  const cipher = createCipheriv('aes-128-cbc', Buffer.from(secret, 'base64'), Buffer.alloc(16));
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
};
const request = (body: string) => ({
  rawBody: Buffer.from(body),
  headers: { 'content-type': 'text/plain;charset=utf-8' },
});

describe(KuaishouPushParser.name, () => {
  it('decrypts the documented heartbeat vector', () => {
    expect(encrypt('{"test":true}')).toBe('watm3Pt/wCJGbPJJXW0XpA==');
    const [event] = parser.parse(request('watm3Pt/wCJGbPJJXW0XpA=='));
    expect(event.kind).toBe('heartbeat');
  });

  it('accepts a plain heartbeat', () => {
    expect(parser.parse(request('{"test":true}'))[0].kind).toBe('heartbeat');
  });

  it('maps an order event, parsing the info string a second time and keeping a large oid exact', () => {
    const body = encrypt(
      `{"eventId":"267_2345_147402","bizId":9007199254740993,"userId":42,"openId":"f1a2","appKey":"${APP_KEY}","event":"kwaishop_order_paySuccess","info":"{\\"oid\\":9007199254740993,\\"sellerId\\":42,\\"status\\":30,\\"updateTime\\":1767225600000}","createTime":1767225601000,"test":false}`,
    );
    expect(parser.parse(request(body))).toEqual([
      {
        platform: 'kuaishou',
        eventId: '267_2345_147402',
        kind: 'order',
        rawType: 'kwaishop_order_paySuccess',
        shopId: 'f1a2',
        orderId: '9007199254740993',
        refundId: undefined,
        itemId: undefined,
        status: '30',
        occurredAt: 1767225601000,
      },
    ]);
  });

  it('maps a refund event to its refund and order ids', () => {
    const info = JSON.stringify({
      orderId: 2607602240240301,
      refundId: 1234567890123456,
      handlingWay: 10,
      status: 10,
      createTime: 1,
    });
    const body = encrypt(
      JSON.stringify({
        eventId: 'e-2',
        bizId: 1234567890123456,
        openId: 'f1a2',
        appKey: APP_KEY,
        event: 'kwaishop_aftersales_addRefund',
        info,
        createTime: 5,
      }),
    );
    expect(parser.parse(request(body))[0]).toMatchObject({
      kind: 'refund',
      refundId: '1234567890123456',
      orderId: '2607602240240301',
      status: '10',
    });
  });

  it('tolerates a batch of events in one body', () => {
    const one = {
      eventId: 'a',
      bizId: 1,
      openId: 'o',
      appKey: APP_KEY,
      event: 'kwaishop_order_addOrder',
      info: '{"oid":1}',
      createTime: 1,
    };
    expect(
      parser.parse(request(encrypt(JSON.stringify([one, { ...one, eventId: 'b' }])))).map((e) => e.eventId),
    ).toEqual(['a', 'b']);
  });

  it('refuses an event for another app', () => {
    const body = encrypt(
      JSON.stringify({
        eventId: 'x',
        bizId: 1,
        appKey: 'ks-someone-else',
        event: 'kwaishop_order_addOrder',
        info: '{}',
        createTime: 1,
      }),
    );
    expect(() => parser.parse(request(body))).toThrow(PushRejectedError);
  });

  it('refuses a body encrypted with another key', () => {
    const body = encrypt('{"test":true}', Buffer.from('fedcba9876543210').toString('base64'));
    expect(() => parser.parse(request(body))).toThrow(PushRejectedError);
  });

  it('refuses a business event sent in clear', () => {
    expect(() =>
      parser.parse(
        request(JSON.stringify({ eventId: 'x', appKey: APP_KEY, event: 'kwaishop_order_addOrder', info: '{}' })),
      ),
    ).toThrow(PushRejectedError);
  });

  it('acknowledges with {"result":1}', () => {
    expect(JSON.parse(parser.ackBody)).toEqual({ result: 1 });
  });
});
