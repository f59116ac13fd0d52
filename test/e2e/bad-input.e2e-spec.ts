import { SANDBOX_CREDENTIALS } from '@app/config/app-config';
import {
  authFor,
  erpDelivery,
  HostileCallers,
  isErrorBody,
  kuaishouPush,
  RawAnswer,
  RawRequest,
  sendRaw,
  settledChecksums,
  tableChecksums,
  youzanPush,
} from '../support/hostile';
import { createTestErpCredential, createTestUser } from '../support/access';
import { startTestApp, TestApp } from '../support/test-app';

const KS_APP_KEY = SANDBOX_CREDENTIALS.kuaishou.appKey;
const YZ_CLIENT_ID = SANDBOX_CREDENTIALS.youzan.clientId;

const ksOrderEvent = (overrides: Record<string, unknown> = {}, info: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventId: `ev-${Math.random().toString(36).slice(2)}`,
    bizId: 2607602240240301,
    openId: 'open-1',
    appKey: KS_APP_KEY,
    event: 'kwaishop_order_paySuccess',
    info: JSON.stringify({ oid: 2607602240240301, status: 30, ...info }),
    createTime: 1767225601000,
    ...overrides,
  });

const yzTradeEvent = (overrides: Record<string, unknown> = {}, msg: Record<string, unknown> = {}) =>
  JSON.stringify({
    client_id: YZ_CLIENT_ID,
    id: 'E20260101000000000001',
    kdt_id: 91001,
    type: 'trade_TradePaid',
    status: 'WAIT_SELLER_SEND_GOODS',
    msg: encodeURIComponent(
      JSON.stringify({ tid: 'E20260101000000000001', update_time: '2026-01-01 10:00:00', ...msg }),
    ),
    msg_id: `m-${Math.random().toString(36).slice(2)}`,
    version: 1767225601,
    ...overrides,
  });

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Each cause of the fuzz's 500s and off-shape answers (issue 9 §8), one test each. */
describe('bad input never gets a 500 and changes nothing', () => {
  let t: TestApp;
  let merchantId: string;
  let erpKey: { keyId: string; secret: string };
  const callers: HostileCallers = {};
  const send = (request: RawRequest): Promise<RawAnswer> =>
    sendRaw(t.url, { ...request, headers: { ...authFor(callers, request.path), ...request.headers } });
  const json = (
    method: RawRequest['method'],
    path: string,
    body: unknown,
    contentType = 'application/json',
  ): RawRequest => ({
    method,
    path,
    headers: { 'content-type': contentType },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

  /** Sends a request that must be refused: a 4xx in the documented shape, and no table changed. */
  async function expectRefused(request: RawRequest, status?: number): Promise<RawAnswer> {
    const before = await settledChecksums(t.database.url);
    const answer = await send(request);
    expect({
      status: answer.status,
      shaped: isErrorBody(answer.json, answer.status),
      body: answer.text.slice(0, 300),
    }).toEqual({
      status: status ?? expect.any(Number),
      shaped: true,
      body: expect.any(String),
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(await tableChecksums(t.database.url)).toEqual(before);
    return answer;
  }

  beforeAll(async () => {
    t = await startTestApp({ label: 'badinput', listen: true });
    callers.admin = await createTestUser(t.app, 'admin');
    callers.ops = await createTestUser(t.app, 'ops');
    const created = await send(json('POST', '/api/merchants', { name: '坏输入测试' }));
    expect(created.status).toBe(201);
    merchantId = (created.json as { id: string }).id;
    callers.owner = await createTestUser(t.app, 'owner', merchantId);
    erpKey = await createTestErpCredential(t.app, merchantId);
    const stocked = await send(
      erpDelivery(erpKey, JSON.stringify({ updates: [{ skuCode: 'BAD-1', onHand: 5, sequence: 1 }] })),
    );
    expect(stocked.status).toBe(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('body size', () => {
    it('answers a body over the limit with 413', async () => {
      const updates = [{ skuCode: 'BAD-1', onHand: 1, sequence: 2, title: 'x'.repeat(3 * 1024 * 1024) }];
      await expectRefused(erpDelivery(erpKey, JSON.stringify({ updates })), 413);
      await expectRefused(json('POST', '/api/merchants', { name: 'y'.repeat(3 * 1024 * 1024) }), 413);
      await expectRefused({ ...kuaishouPush('{"test":true}'), body: 'A'.repeat(3 * 1024 * 1024) }, 413);
    });

    it('accepts a legitimate ERP delivery of 250 updates with long titles (over 128 KB)', async () => {
      const updates = Array.from({ length: 250 }, (_, i) => ({
        skuCode: `LONG-${i}`,
        onHand: i,
        sequence: 1,
        title: '纯棉短袖T恤'.repeat(34).slice(0, 200),
      }));
      const body = JSON.stringify({ updates });
      expect(Buffer.byteLength(body)).toBeGreaterThan(128 * 1024);
      const answer = await send(erpDelivery(erpKey, body));
      expect(answer.status).toBe(200);
      expect((answer.json as { results: unknown[] }).results).toHaveLength(250);
    });
  });

  describe('correctly signed pushes with bad fields', () => {
    it.each<[string, string]>([
      ['an event id that is too long', ksOrderEvent({ eventId: 'e'.repeat(300) })],
      ['an event id that is an array', ksOrderEvent({ eventId: ['a', 'b'] })],
      ['an event id that is an object', ksOrderEvent({ eventId: { a: 1 } })],
      ['a shop id that is too long', ksOrderEvent({ openId: 'o'.repeat(300) })],
      ['a shop id that is an array', ksOrderEvent({ openId: ['a', 'b'] })],
      ['an order id that is too long', ksOrderEvent({}, { oid: '9'.repeat(200) })],
      ['an order id that is an array', ksOrderEvent({}, { oid: [1, 2] })],
      ['an order id that is an object', ksOrderEvent({}, { oid: { a: 1 } })],
      ['a biz id that is an array', ksOrderEvent({ bizId: [1, 2] }, { oid: null })],
      ['an event name that is not a string', ksOrderEvent({ event: ['kwaishop_order_paySuccess'] })],
      ['deep nesting', ksOrderEvent().replace(/}$/, `,"extra":${nested(5000)}}`)],
    ])('Kuaishou: refuses %s', async (_, event) => {
      await expectRefused(kuaishouPush(event), 400);
    });

    it.each<[string, string]>([
      ['a message id that is too long', yzTradeEvent({ msg_id: 'm'.repeat(300) })],
      ['a message id that is an array', yzTradeEvent({ msg_id: ['a', 'b'] })],
      ['a shop id that is an array', yzTradeEvent({ kdt_id: [1, 2] })],
      ['a shop id that is too long', yzTradeEvent({ kdt_id: '9'.repeat(300) })],
      ['an order id that is an array', yzTradeEvent({ id: ['a', 'b'] }, { tid: ['a', 'b'] })],
      ['an order id that is too long', yzTradeEvent({ id: 'E'.repeat(300) }, { tid: 'E'.repeat(300) })],
      ['a status that is an object', yzTradeEvent({ status: { a: 1 } })],
      ['a refund id that is an array', yzTradeEvent({ type: 'trade_refund_RefundCreated' }, { refund_id: ['a'] })],
      ['deep nesting', `{"client_id":"${YZ_CLIENT_ID}","type":"trade_TradePaid","x":${nested(5000)}}`],
    ])('Youzan: refuses %s', async (_, body) => {
      await expectRefused(youzanPush(body), 400);
    });

    it('Youzan: refuses a push in latin1', async () => {
      await expectRefused(youzanPush(Buffer.from(yzTradeEvent(), 'latin1'), 'application/json; charset=latin1'), 415);
    });
  });

  describe('JSON APIs', () => {
    it('refuses a latin1 body with 415', async () => {
      await expectRefused(
        json('POST', '/api/merchants', Buffer.from('{"name":"caf\xe9"}', 'latin1'), 'application/json; charset=latin1'),
        415,
      );
    });

    it('refuses deep nesting with 400', async () => {
      await expectRefused(json('POST', '/api/merchants', `{"name":${nested(5000)}}`), 400);
      await expectRefused(
        json(
          'PUT',
          `/api/merchants/${merchantId}/skus/BAD-1/settings`,
          `{"platformLimits":{"kuaishou":{"min":${nested(5000)}}}}`,
        ),
        400,
      );
    });

    it('refuses malformed JSON with 400', async () => {
      await expectRefused(json('POST', '/api/merchants', '{"name":'), 400);
    });

    it('refuses null settings', async () => {
      for (const field of ['safetyStock', 'allocationMode', 'scarceBelow', 'tranche', 'platformLimits']) {
        await expectRefused(json('PUT', `/api/merchants/${merchantId}/skus/BAD-1/settings`, { [field]: null }), 400);
      }
      await expectRefused(
        json('PUT', `/api/merchants/${merchantId}/skus/BAD-1/settings`, { platformLimits: { kuaishou: null } }),
        400,
      );
      await expectRefused(
        json('PUT', `/api/merchants/${merchantId}/skus/BAD-1/settings`, {
          platformLimits: { kuaishou: { min: null } },
        }),
        400,
      );
    });

    it('refuses a settings PUT that says nothing: empty body, wrong content type, platformLimits []', async () => {
      const path = `/api/merchants/${merchantId}/skus/BAD-1/settings`;
      await expectRefused(json('PUT', path, {}), 400);
      await expectRefused({ method: 'PUT', path, headers: {} }, 400);
      await expectRefused(json('PUT', path, '{"safetyStock":2}', 'text/plain'), 415);
      await expectRefused(json('PUT', path, 'safetyStock=2', 'application/x-www-form-urlencoded'), 415);
      await expectRefused(json('PUT', path, { platformLimits: [] }), 400);
      await expectRefused(json('PUT', path, []), 400);
      await expectRefused(json('PUT', path, '"safetyStock"'), 400);
      // …while a real change still works.
      expect((await send(json('PUT', path, { safetyStock: 1 }))).status).toBe(200);
    });

    it('refuses a merchant name that is invalid UTF-8 or only spaces', async () => {
      await expectRefused(
        json(
          'POST',
          '/api/merchants',
          Buffer.concat([Buffer.from('{"name":"ab'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
        ),
        400,
      );
      await expectRefused(json('POST', '/api/merchants', { name: '   ' }), 400);
      await expectRefused(json('POST', '/api/merchants', { name: '\u3000\t ' }), 400);
    });

    it('refuses an ops failures page beyond any real one', async () => {
      await expectRefused({ method: 'GET', path: '/ops/failures?page=1e20', headers: {} }, 400);
      await expectRefused({ method: 'GET', path: '/ops/failures?page=99999999999', headers: {} }, 400);
    });
  });
});
