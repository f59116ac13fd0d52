import { youzanPushMessage } from './youzan-emulator.push';

describe('youzanPushMessage', () => {
  it('reproduces the fact sheet §5.2 vector byte for byte: body, body sign and Event-Sign', () => {
    const message = youzanPushMessage(
      { clientId: 'test_client_id', clientSecret: 'test_client_secret' },
      {
        event: {
          type: 'trade_TradeClose',
          kdtId: 123456,
          id: 'E20240101120000000100001',
          status: 'TRADE_CLOSED',
          msg: {
            tid: 'E20240101120000000100001',
            close_type: 4,
            close_reason: 'buyer cancelled',
            update_time: '2024-01-01 12:30:00',
          },
        },
        shopName: 'demo shop',
        msgId: '00000000-0000-0000-0000-000000000001',
        version: 1704083400,
      },
    );
    const { body, headers } = message.build(1);
    expect(body).toBe(
      '{"client_id":"test_client_id","id":"E20240101120000000100001","kdt_id":123456,"kdt_name":"demo shop","msg":"%7B%22tid%22%3A%22E20240101120000000100001%22%2C%22close_type%22%3A4%2C%22close_reason%22%3A%22buyer+cancelled%22%2C%22update_time%22%3A%222024-01-01+12%3A30%3A00%22%7D","msg_id":"00000000-0000-0000-0000-000000000001","sign":"4068bcfade47673a5138dfcc6468ab69","status":"TRADE_CLOSED","test":false,"type":"trade_TradeClose","version":1704083400}',
    );
    expect(headers['Event-Sign']).toBe('c79f5b2bf0c78d545786ed2213d5391c');
    expect(headers['Event-Type']).toBe('trade_TradeClose');
    expect(headers['Client-Id']).toBe('test_client_id');
  });

  it('adds sendCount to re-pushes and signs each attempt', () => {
    const message = youzanPushMessage(
      { clientId: 'c', clientSecret: 's' },
      {
        event: { type: 'trade_TradeSuccess', kdtId: 1, id: 'E1', status: 'TRADE_SUCCESS', msg: { tid: 'E1' } },
        shopName: 'x',
        msgId: 'm',
        version: 1,
      },
    );
    const first = message.build(1);
    const third = message.build(3);
    expect(JSON.parse(first.body).sendCount).toBeUndefined();
    expect(JSON.parse(third.body).sendCount).toBe(2);
    expect(first.headers['Event-Sign']).not.toBe(third.headers['Event-Sign']);
  });
});
