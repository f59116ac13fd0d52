import { parseYouzanBody } from '@app/platforms/youzan/youzan-error.parser';
import { CLIENT_ID, CLIENT_SECRET, rawPost, startYouzanHarness, YouzanHarness } from './youzan-harness';

/** The emulator's gateway answers, checked as raw HTTP: every one is HTTP 200 with a trace id. */
describe('Youzan emulator gateway', () => {
  let h: YouzanHarness;
  let token: string;
  let kdtId: number;

  beforeAll(async () => {
    h = await startYouzanHarness();
    const shop = await h.control.createShop({ issueTokens: true });
    kdtId = shop.kdtId;
    token = shop.tokens?.access_token ?? '';
  });
  afterAll(() => h.close());

  const api = (path: string, query = '') => `${h.emulator.url}/api/${path}${query}`;
  const gwError = (json: Record<string, unknown>) =>
    json.gw_err_resp as { err_code: number; err_msg: string; trace_id: string };

  describe('token endpoint', () => {
    it('refuses an unknown client with 1103 "Client 不存在"', async () => {
      const res = await rawPost(
        `${h.emulator.url}/auth/token`,
        JSON.stringify({ client_id: 'nope', client_secret: 'x', authorize_type: 'silent', grant_id: kdtId }),
      );
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ success: false, code: 1103, data: null, message: 'Client 不存在' });
    });

    it('refuses a wrong client_secret with 1000', async () => {
      const res = await rawPost(
        `${h.emulator.url}/auth/token`,
        JSON.stringify({ client_id: CLIENT_ID, client_secret: 'wrong', authorize_type: 'silent', grant_id: kdtId }),
      );
      expect(res.json).toMatchObject({ success: false, code: 1000 });
    });

    it('refuses a form-encoded body with 1000 naming the content type', async () => {
      const res = await rawPost(
        `${h.emulator.url}/auth/token`,
        `client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&authorize_type=silent&grant_id=${kdtId}`,
        'application/x-www-form-urlencoded;charset=UTF-8',
      );
      expect(res.json).toMatchObject({ success: false, code: 1000, data: null });
      expect(res.json.message).toContain(
        "Content type 'application/x-www-form-urlencoded;charset=UTF-8' not supported",
      );
    });

    it('answers a silent grant with expires as an absolute epoch in ms and authority_id = kdt_id', async () => {
      const before = (await h.control.clock()).now;
      const res = await rawPost(
        `${h.emulator.url}/auth/token`,
        JSON.stringify({
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          authorize_type: 'silent',
          grant_id: kdtId,
          refresh: true,
        }),
      );
      const data = res.json.data as {
        access_token: string;
        expires: number;
        authority_id: string;
        refresh_token: string;
        scope: string;
      };
      expect(res.json).toMatchObject({ success: true, code: 200 });
      expect(data.authority_id).toBe(String(kdtId));
      expect(data.expires - before).toBeGreaterThan(7 * 24 * 3600 * 1000 - 5_000);
      expect(data.expires - before).toBeLessThanOrEqual(7 * 24 * 3600 * 1000 + 5_000);
      expect(data.refresh_token).toMatch(/^[0-9a-f]{32}$/);
      expect(data.scope.split(' ')).toEqual(expect.arrayContaining(['item', 'trade', 'logistics']));
    });
  });

  describe('API gateway', () => {
    it('answers a missing version with 4001', async () => {
      const res = await rawPost(api('youzan.item.get', `?access_token=${token}`), '{}');
      expect(res.status).toBe(200);
      expect(gwError(res.json)).toMatchObject({ err_code: 4001 });
      expect(gwError(res.json).trace_id).toMatch(/^yz7-/);
    });

    it('answers an unknown API or version with 4005 before looking at the token', async () => {
      expect(gwError((await rawPost(api('youzan.item.nothing/3.0.0'), '{}')).json).err_code).toBe(4005);
      expect(gwError((await rawPost(api('youzan.item.get/9.9.9'), '{}')).json).err_code).toBe(4005);
    });

    it('answers a missing token with 4201, also when it is only in a header or the body', async () => {
      expect(gwError((await rawPost(api('youzan.item.get/3.0.0'), '{"item_id":1}')).json).err_code).toBe(4201);
      const headerOnly = await fetch(api('youzan.item.get/3.0.0'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: '{"item_id":1}',
      });
      expect(((await headerOnly.json()) as Record<string, { err_code: number }>).gw_err_resp.err_code).toBe(4201);
      expect(
        gwError((await rawPost(api('youzan.item.get/3.0.0'), JSON.stringify({ item_id: 1, access_token: token }))).json)
          .err_code,
      ).toBe(4201);
    });

    it('answers an unknown token with 4203 "Token 不存在"', async () => {
      const res = await rawPost(
        api('youzan.item.get/3.0.0', '?access_token=0123456789abcdef0123456789abcdef'),
        '{"item_id":1}',
      );
      expect(gwError(res.json)).toMatchObject({ err_code: 4203, err_msg: 'Token 不存在' });
    });

    it('answers text/plain with 4007 and malformed JSON with 4004', async () => {
      expect(
        gwError(
          (await rawPost(api('youzan.item.get/3.0.0', `?access_token=${token}`), '{"item_id":1}', 'text/plain')).json,
        ).err_code,
      ).toBe(4007);
      expect(
        gwError((await rawPost(api('youzan.item.get/3.0.0', `?access_token=${token}`), '{"item_id":')).json).err_code,
      ).toBe(4004);
    });

    it('answers wrong parameter types with 5001: a date without time, a number where a String is required', async () => {
      const dateOnly = await rawPost(
        api('youzan.trades.sold.get/4.0.0', `?access_token=${token}`),
        JSON.stringify({ start_created: '2019-06-01', end_created: '2019-06-30 00:00:00' }),
      );
      expect(gwError(dateOnly.json)).toMatchObject({ err_code: 5001, err_msg: '系统异常' });
      const numericTid = await rawPost(
        api('youzan.trade.get/4.0.0', `?access_token=${token}`),
        '{"tid":20190509110527067500013}',
      );
      expect(gwError(numericTid.json).err_code).toBe(5001);
    });

    it('answers a business failure with a business body and the legacy API with error_response', async () => {
      const missing = await rawPost(
        api('youzan.trade.get/4.0.0', `?access_token=${token}`),
        JSON.stringify({ tid: 'E20240101120000000000001' }),
      );
      expect(missing.json).toMatchObject({
        code: 5000,
        success: false,
        message: 'trade not found',
        data: { refund_order: [], delivery_order: [] },
      });
      expect(missing.json.trace_id).toMatch(/^yz7-/);
      const legacy = await rawPost(
        api('youzan.trade.memo.update/3.0.0', `?access_token=${token}`),
        JSON.stringify({ tid: 'E20240101120000000000001', memo: 'x' }),
      );
      expect(legacy.json).toEqual({ error_response: { code: 105000016, msg: '订单不存在' } });
    });

    it('answers the legacy API success in the response envelope', async () => {
      const item = await h.control.createItem({ kdtId, title: '备注商品', priceFen: 100, stock: 5 });
      const order = await h.control.placeOrder({ kdtId, lines: [{ itemId: item.itemId, quantity: 1 }] });
      const res = await rawPost(
        api('youzan.trade.memo.update/3.0.0', `?access_token=${token}`),
        JSON.stringify({ tid: order.tid, memo: 'KS-123' }),
      );
      expect(res.json).toEqual({ response: { is_success: true } });
    });

    it('answers an expired token with 4202 once the emulator clock passes 7 days', async () => {
      const shop = await h.control.createShop({ issueTokens: true });
      const fresh = shop.tokens?.access_token ?? '';
      const ok = await rawPost(api('youzan.logistics.express.get/3.0.0', `?access_token=${fresh}`), '{}');
      expect(ok.json).toMatchObject({ code: 200, success: true, message: 'successful' });
      await h.control.advanceClock(7 * 24 * 3600 * 1000 + 1000);
      const expired = await rawPost(api('youzan.logistics.express.get/3.0.0', `?access_token=${fresh}`), '{}');
      expect(gwError(expired.json).err_code).toBe(4202);
    });

    it('answers a revoked shop with 4201 and revocation wording', async () => {
      const shop = await h.control.createShop({ issueTokens: true });
      await h.control.revokeShop(shop.kdtId);
      const res = await rawPost(
        api('youzan.logistics.express.get/3.0.0', `?access_token=${shop.tokens?.access_token}`),
        '{}',
      );
      expect(gwError(res.json)).toMatchObject({ err_code: 4201, err_msg: '非法的凭证：店铺已取消授权' });
    });

    it('emits item ids beyond 2^53 as exact JSON numbers', async () => {
      const shop = await h.control.createShop({ issueTokens: true });
      const items = await Promise.all(
        [1, 2].map((n) => h.control.createItem({ kdtId: shop.kdtId, title: `长整型 ${n}`, priceFen: 100, stock: 1 })),
      );
      const big = items.find((i) => BigInt(i.itemId) > BigInt(Number.MAX_SAFE_INTEGER));
      expect(big).toBeDefined();
      const res = await rawPost(
        api('youzan.item.get/3.0.0', `?access_token=${shop.tokens?.access_token}`),
        `{"item_id":${big?.itemId}}`,
      );
      expect(res.text).toContain(`"item_id":${big?.itemId},`);
    });
  });

  describe('trades.sold.get rules', () => {
    let shopToken: string;
    let tid: string;

    beforeAll(async () => {
      const shop = await h.control.createShop({ issueTokens: true });
      shopToken = shop.tokens?.access_token ?? '';
      const item = await h.control.createItem({ kdtId: shop.kdtId, title: '规则', priceFen: 100, stock: 5 });
      const order = await h.control.placeOrder({ kdtId: shop.kdtId, lines: [{ itemId: item.itemId, quantity: 1 }] });
      await h.control.cancelOrder(order.tid);
      tid = order.tid;
    });

    const call = (params: Record<string, unknown>) =>
      rawPost(api('youzan.trades.sold.get/4.0.0', `?access_token=${shopToken}`), JSON.stringify(params));
    const window = async () => {
      const now = (await h.control.clock()).now;
      const fmt = (ms: number) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
      return { start: fmt(now - 3600 * 1000), end: fmt(now + 3600 * 1000), fmt, now };
    };

    it('refuses a span over three months and an end before the start', async () => {
      const { fmt, now } = await window();
      expect(
        (await call({ start_created: fmt(now - 95 * 24 * 3600 * 1000), end_created: fmt(now) })).json,
      ).toMatchObject({ success: false, code: 106000002 });
      expect((await call({ start_created: fmt(now), end_created: fmt(now - 1000) })).json).toMatchObject({
        success: false,
        code: 106000002,
      });
    });

    it('caps page_no and page_size at 100', async () => {
      const { start, end } = await window();
      expect((await call({ start_created: start, end_created: end, page_size: 101 })).json).toMatchObject({
        success: false,
        code: 106000002,
      });
      expect((await call({ start_created: start, end_created: end, page_no: 101 })).json).toMatchObject({
        success: false,
        code: 106000002,
      });
    });

    it('ignores an unpaired time parameter and accepts both closed spellings', async () => {
      const { start, end } = await window();
      const unpaired = await call({ end_created: '2000-01-01 00:00:00' });
      expect((unpaired.json.data as { total_results: number }).total_results).toBe(1);
      for (const status of ['TRADE_CLOSE', 'TRADE_CLOSED']) {
        const res = await call({ start_created: start, end_created: end, status });
        const data = res.json.data as {
          total_results: number;
          full_order_info_list: { full_order_info: { order_info: { tid: string; status: string } } }[];
        };
        expect(data.total_results).toBe(1);
        expect(data.full_order_info_list[0].full_order_info.order_info).toMatchObject({ tid, status: 'TRADE_CLOSED' });
      }
      expect(
        (await call({ start_created: start, end_created: end, status: 'WAIT_BUYER_PAY' })).json.data,
      ).toMatchObject({ total_results: 0 });
    });

    it('sends amounts as yuan strings and unset times as "" or the 1970 sentinel', async () => {
      const { start, end } = await window();
      const data = (await call({ start_created: start, end_created: end })).json.data as {
        full_order_info_list: {
          full_order_info: { order_info: Record<string, string>; pay_info: Record<string, string> };
        }[];
      };
      const info = data.full_order_info_list[0].full_order_info;
      expect(info.pay_info).toMatchObject({ total_fee: '1.00', post_fee: '0.00', payment: '1.00' });
      expect(info.order_info.pay_time).toBe('');
      expect(info.order_info.confirm_time).toBe('1970-01-01 08:00:00');
      expect(info.order_info.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    });
  });

  describe('the three error shapes, normalized by the client parser', () => {
    it('maps live gateway, business and legacy bodies to domain codes', async () => {
      const token = (await h.control.createShop({ issueTokens: true })).tokens?.access_token;
      const gateway = await rawPost(
        api('youzan.item.get/3.0.0', '?access_token=ffffffffffffffffffffffffffffffff'),
        '{"item_id":1}',
      );
      const business = await rawPost(
        api('youzan.trade.get/4.0.0', `?access_token=${token}`),
        JSON.stringify({ tid: 'E20240101120000000000001' }),
      );
      const legacy = await rawPost(
        api('youzan.trade.memo.update/3.0.0', `?access_token=${token}`),
        JSON.stringify({ tid: 'E20240101120000000000001', memo: 'x' }),
      );
      const codes = [gateway, business, legacy].map((r) => {
        const parsed = parseYouzanBody('api', r.json);
        return parsed.ok ? 'ok' : `${parsed.error.code}:${parsed.error.rawCode}`;
      });
      expect(codes).toEqual(['AUTH_EXPIRED:4203', 'NOT_FOUND:5000', 'NOT_FOUND:105000016']);
    });
  });
});
