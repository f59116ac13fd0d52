import { PlatformError } from '@app/platforms/platform-error';
import { KuaishouHarness, rawClient, rawGatewayCall, seedItem, startKuaishouHarness } from './kuaishou.harness';

describe('Kuaishou gateway protocol against the emulator', () => {
  let h: KuaishouHarness;
  beforeAll(async () => {
    h = await startKuaishouHarness();
  });
  afterAll(() => h.stop());

  describe('signing', () => {
    it.each(['MD5', 'HMAC_SHA256'] as const)('accepts a call signed with %s', async (signMethod) => {
      const answer = await rawClient(h.config, signMethod).call({
        api: 'open.item.category',
        accessToken: await h.tokens.accessToken(h.shop),
      });
      expect(answer.result).toBe(1);
      expect((answer.data as unknown[]).length).toBeGreaterThan(600);
    });

    it('accepts system parameters in the query string (GET) as well as in a form body (POST)', async () => {
      const accessToken = await h.tokens.accessToken(h.shop);
      const viaGet = await rawGatewayCall(h, { api: 'open.item.category', accessToken, verb: 'GET' });
      const viaPost = await rawGatewayCall(h, { api: 'open.item.category', accessToken, verb: 'POST' });
      expect(viaGet.body.result).toBe(1);
      expect(viaPost.body.result).toBe(1);
    });

    it('rejects a wrong signature with the signature error body', async () => {
      const answer = await rawGatewayCall(h, {
        api: 'open.item.category',
        accessToken: await h.tokens.accessToken(h.shop),
        tamper: { sign: 'Q2DjwQHDDc4vd7Uv4Bmv+I0XRlC/LJhAAzvSVUrjlPs=' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ result: 28, error_msg: '签名校验失败' });
    });

    it('rejects a call whose param was changed after signing', async () => {
      const accessToken = await h.tokens.accessToken(h.shop);
      const signed = await rawGatewayCall(h, {
        api: 'open.item.category',
        accessToken,
        param: '{}',
        tamper: { param: '{"x":1}' },
      });
      expect(signed.body).toMatchObject({ result: 28, error_msg: '签名校验失败' });
    });

    it('rejects an unknown appkey with its error body', async () => {
      const answer = await rawGatewayCall(h, {
        api: 'open.item.category',
        accessToken: await h.tokens.accessToken(h.shop),
        signWith: { appkey: 'ks_someone_else' },
      });
      expect(answer.body).toMatchObject({ result: 103, error_msg: 'appkey不存在: ks_someone_else' });
    });

    it('rejects a missing system parameter and an unsupported version', async () => {
      const accessToken = await h.tokens.accessToken(h.shop);
      expect(
        (await rawGatewayCall(h, { api: 'open.item.category', accessToken, tamper: { timestamp: undefined } })).body,
      ).toMatchObject({ result: 100, error_msg: '缺少必要参数: timestamp' });
      expect(
        (await rawGatewayCall(h, { api: 'open.item.category', accessToken, signWith: { version: '2' } })).body,
      ).toMatchObject({ result: 101, error_msg: '参数错误: version[2]不支持' });
    });
  });

  describe('tokens', () => {
    it('rejects an unknown access token with the 鉴权失败 body, normalized to AUTH_EXPIRED', async () => {
      const answer = await rawGatewayCall(h, {
        api: 'open.item.category',
        accessToken: 'ChFvYXV0aC5hY2Nlc3NUb2tlbhforged',
      });
      expect(answer.body).toMatchObject({ result: 27, error_msg: '鉴权失败:access_token无效' });
      await expect(
        rawClient(h.config).call({ api: 'open.item.category', accessToken: 'forged' }),
      ).rejects.toMatchObject({ code: 'AUTH_EXPIRED', rawCode: '27' });
    });

    it('refuses a client_credentials token on shop data with result 26 (主账号不存在)', async () => {
      const { data } = await import('axios').then((m) =>
        m.default.get<{ access_token: string }>(`${h.emulator.url}/oauth2/access_token`, {
          params: { app_id: h.config.appKey, app_secret: h.config.appSecret, grant_type: 'client_credentials' },
        }),
      );
      const answer = await rawGatewayCall(h, { api: 'open.item.category', accessToken: data.access_token });
      expect(answer.body).toMatchObject({ result: 26, error_msg: '主账号不存在' });
    });

    it('answers a token without the API scope with the scope message, normalized to INSUFFICIENT_SCOPE', async () => {
      const other = await h.control.createShop({ authorize: true, scopes: ['merchant_item'] });
      const accessToken = other.tokens?.access_token ?? '';
      const answer = await rawGatewayCall(h, { api: 'open.order.cursor.list', accessToken, param: '{}' });
      expect(answer.body).toMatchObject({ result: 22, error_msg: 'token中无scope权限, scope: merchant_order' });
      await expect(
        rawClient(h.config).call({ api: 'open.order.cursor.list', accessToken, param: {} }),
      ).rejects.toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    });

    it('answers result 24 once the merchant revoked the app, and the channel reports AUTH_REVOKED', async () => {
      const shop = await h.connectShop();
      const { itemId } = await seedItem({ control: h.control, shop });
      await h.control.revokeShop(shop.shopId);
      const answer = await rawGatewayCall(h, {
        api: 'open.item.category',
        accessToken: await h.tokens.accessToken(shop),
      });
      expect(answer.body).toMatchObject({ result: 24, error_msg: 'AUTHORIZATION_REVOKED' });
      await expect(h.channels.catalog.getItem(shop, itemId)).rejects.toMatchObject({
        code: 'AUTH_REVOKED',
        rawCode: '24',
      });
    });
  });

  describe('ids beyond 2^53', () => {
    it('writes Long ids as exact JSON numbers and the client keeps them as exact strings', async () => {
      const { itemId, skuIds } = await seedItem(h, [{ stock: 3 }, { stock: 4 }]);
      expect(BigInt(skuIds[0])).toBeGreaterThan(2n ** 53n);
      const answer = await rawGatewayCall(h, {
        api: 'open.item.get',
        accessToken: await h.tokens.accessToken(h.shop),
        param: `{"kwaiItemId":${itemId}}`,
      });
      expect(answer.text).toContain(`"kwaiSkuId":${skuIds[1]}`);
      const item = await h.channels.catalog.getItem(h.shop, itemId);
      expect(item.skus.map((s) => s.skuId)).toEqual(skuIds);
      expect(await h.channels.stock.getSkuStock(h.shop, { itemId, skuId: skuIds[1] })).toBe(4);
    });
  });

  describe('error normalization', () => {
    it('maps an unknown item to NOT_FOUND with the raw message kept', async () => {
      const error = (await h.channels.catalog.getItem(h.shop, '123456789').catch((e: unknown) => e)) as PlatformError;
      expect(error).toBeInstanceOf(PlatformError);
      expect(error).toMatchObject({ code: 'NOT_FOUND', rawCode: '21', rawMessage: '商品不存在' });
    });
  });
});
