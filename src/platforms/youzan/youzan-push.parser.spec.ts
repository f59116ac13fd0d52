import { createHash } from 'node:crypto';
import { ManualClock } from '@app/common/clock';
import { PushRejectedError } from '../ports/push.port';
import { YouzanPushParser } from './youzan-push.parser';

/** Synthetic vector from the fact sheet §5.2 (452 bytes, no trailing newline). */
const VECTOR_BODY =
  '{"client_id":"test_client_id","id":"E20240101120000000100001","kdt_id":123456,"kdt_name":"demo shop","msg":"%7B%22tid%22%3A%22E20240101120000000100001%22%2C%22close_type%22%3A4%2C%22close_reason%22%3A%22buyer+cancelled%22%2C%22update_time%22%3A%222024-01-01+12%3A30%3A00%22%7D","msg_id":"00000000-0000-0000-0000-000000000001","sign":"4068bcfade47673a5138dfcc6468ab69","status":"TRADE_CLOSED","test":false,"type":"trade_TradeClose","version":1704083400}';
const VECTOR_SIGN = 'c79f5b2bf0c78d545786ed2213d5391c';

const config = { clientId: 'test_client_id', clientSecret: 'test_client_secret' };
const clock = new ManualClock(Date.UTC(2026, 0, 1));

function signed(body: string): { rawBody: Buffer; headers: Record<string, string> } {
  const sign = createHash('md5').update(`${config.clientId}${body}${config.clientSecret}`).digest('hex');
  return {
    rawBody: Buffer.from(body),
    headers: { 'event-sign': sign, 'event-type': 'x', 'client-id': config.clientId },
  };
}

describe(YouzanPushParser.name, () => {
  const parser = new YouzanPushParser(config, clock);

  it('accepts the sheet vector and decodes it into an order event', () => {
    expect(Buffer.byteLength(VECTOR_BODY)).toBe(452);
    const [event] = parser.parse({
      rawBody: Buffer.from(VECTOR_BODY),
      headers: { 'event-sign': VECTOR_SIGN, 'event-type': 'trade_TradeClose', 'client-id': 'test_client_id' },
    });
    expect(event).toEqual({
      platform: 'youzan',
      eventId: '00000000-0000-0000-0000-000000000001',
      kind: 'order',
      rawType: 'trade_TradeClose',
      shopId: '123456',
      orderId: 'E20240101120000000100001',
      status: 'TRADE_CLOSED',
      // msg.update_time "2024-01-01 12:30:00" Beijing (the `+` decoded as a space)
      occurredAt: Date.UTC(2024, 0, 1, 4, 30, 0),
    });
  });

  it('accepts an upper-case signature and header names in any case', () => {
    const events = parser.parse({
      rawBody: Buffer.from(VECTOR_BODY),
      headers: { 'Event-Sign': VECTOR_SIGN.toUpperCase() },
    });
    expect(events).toHaveLength(1);
  });

  it('rejects a body changed by one byte', () => {
    const tampered = VECTOR_BODY.replace('"kdt_id":123456', '"kdt_id":123457');
    expect(() => parser.parse({ rawBody: Buffer.from(tampered), headers: { 'event-sign': VECTOR_SIGN } })).toThrow(
      PushRejectedError,
    );
  });

  it('verifies over the exact bytes: re-serialized JSON with other spacing fails', () => {
    const reformatted = JSON.stringify(JSON.parse(VECTOR_BODY), null, 1);
    expect(() => parser.parse({ rawBody: Buffer.from(reformatted), headers: { 'event-sign': VECTOR_SIGN } })).toThrow(
      /Event-Sign/,
    );
  });

  it('rejects a push without signature or for another app', () => {
    expect(() => parser.parse({ rawBody: Buffer.from(VECTOR_BODY), headers: {} })).toThrow(/without Event-Sign/);
    expect(() =>
      parser.parse({ rawBody: Buffer.from(VECTOR_BODY), headers: { 'event-sign': VECTOR_SIGN, 'client-id': 'other' } }),
    ).toThrow(/another app/);
  });

  it('turns test messages into heartbeats', () => {
    const body = JSON.stringify({
      client_id: 'test_client_id',
      id: '',
      kdt_id: 1,
      msg: '',
      msg_id: 'm-test',
      test: true,
      type: 'trade_TradeCreate',
      version: 1,
    });
    const [event] = parser.parse(signed(body));
    expect(event.kind).toBe('heartbeat');
    expect(event.eventId).toBe('m-test');
  });

  it('reads the new refund messages whose msg is a plain object', () => {
    const body = JSON.stringify({
      client_id: 'test_client_id',
      id: 'E20240101120000000100001',
      kdt_id: 1,
      msg: {
        tid: 'E20240101120000000100001',
        refund_id: '202401011230001234567890',
        refunded_fee: '12.30',
        refund_type: 'REFUND_ONLY',
        version: 3,
      },
      msg_id: 'r-1',
      type: 'youzan_trade_RefundSuccess',
      version: 1704083400,
    });
    const [event] = parser.parse(signed(body));
    expect(event).toMatchObject({
      kind: 'refund',
      orderId: 'E20240101120000000100001',
      refundId: '202401011230001234567890',
      occurredAt: 1704083400000,
    });
  });

  it('maps legacy refund, item and unknown types', () => {
    const msg = encodeURIComponent(JSON.stringify({ tid: 'E1', refund_id: '99', update_time: '2024-01-01 00:00:00' }));
    const kinds = [
      'trade_refund_BuyerCreated',
      'ITEM_SKU_INFO',
      'youzan_item_SkuStockChanged',
      'POINTS',
      'trade_TradeBuyerPay',
    ].map((type) => {
      const body = JSON.stringify({
        client_id: 'test_client_id',
        id: '1436413407076030200',
        kdt_id: 1,
        msg,
        msg_id: `m-${type}`,
        type,
        version: 1,
      });
      return parser.parse(signed(body))[0];
    });
    expect(kinds.map((e) => e.kind)).toEqual(['refund', 'item', 'item', 'other', 'order']);
    expect(kinds[0].refundId).toBe('99');
    expect(kinds[1].itemId).toBe('1436413407076030200');
  });

  it('falls back to (type, kdt_id, id, version) as the dedupe key without msg_id', () => {
    const body = JSON.stringify({
      client_id: 'test_client_id',
      id: 'E1',
      kdt_id: 7,
      msg: '',
      type: 'trade_TradeSuccess',
      version: 42,
    });
    expect(parser.parse(signed(body))[0].eventId).toBe('trade_TradeSuccess:7:E1:42');
  });

  it('acknowledges with a body containing success', () => {
    expect(JSON.parse(parser.ackBody)).toEqual({ code: 0, msg: 'success' });
  });
});
