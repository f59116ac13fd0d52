import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import request from 'supertest';
import { POLICY_KEY } from '@app/auth/policy.decorator';
import { ERP_HEADERS, signErpPayload } from '@app/auth/erp-signature';
import { createTestErpCredential, createTestMerchant, createTestUser, TestUser } from '@test/support/access';
import { startTestApp, TestApp } from '@test/support/test-app';

type Who = 'anonymous' | 'ownerA' | 'staffA' | 'ownerB' | 'ops' | 'admin' | 'erpA' | 'erpB';
const EVERYONE: Who[] = ['anonymous', 'ownerA', 'staffA', 'ownerB', 'ops', 'admin', 'erpA', 'erpB'];
/** 'ok': let through (any answer but 401/403, never a 5xx); a number: exactly that status. */
type Expect = 'ok' | 401 | 403 | 303;
type Row = Record<Who, Expect>;

const row = (given: Partial<Row>, rest: Expect): Row =>
  Object.fromEntries(EVERYONE.map((w) => [w, given[w] ?? rest])) as Row;
const anon = { anonymous: 401, erpA: 401, erpB: 401 } as const;
const anonPage = { anonymous: 303, erpA: 303, erpB: 303 } as const;
const pub = row({}, 'ok');
const signedIn = row({ ...anon }, 'ok');
const signedInPage = row({ ...anonPage }, 'ok');
const opsOnly = row({ ...anon, ops: 'ok', admin: 'ok' }, 403);
const adminOnly = row({ ...anon, admin: 'ok' }, 403);
const opsOnlyPage = row({ ...anonPage, ops: 'ok', admin: 'ok' }, 403);
const erpOnly = row({ erpA: 'ok', erpB: 'ok' }, 401);
/** A's data: who may read it. */
const readA = row({ ...anon, ownerA: 'ok', staffA: 'ok', ops: 'ok', admin: 'ok' }, 403);
const readAPage = row({ ...anonPage, ownerA: 'ok', staffA: 'ok', ops: 'ok', admin: 'ok' }, 403);
const ownerReadA = row({ ...anon, ownerA: 'ok', ops: 'ok', admin: 'ok' }, 403);
const ownerReadAPage = row({ ...anonPage, ownerA: 'ok' }, 403);
const staffWriteA = row({ ...anon, ownerA: 'ok', staffA: 'ok' }, 403);
const staffOrOpsWriteA = row({ ...anon, ownerA: 'ok', staffA: 'ok', ops: 'ok', admin: 'ok' }, 403);
const ownerWriteA = row({ ...anon, ownerA: 'ok' }, 403);
const connectStart = row({ ...anonPage, ownerA: 'ok', ops: 'ok', admin: 'ok' }, 403);

/**
 * The expected answer of every route for every kind of caller. Written by hand on purpose: a
 * route the router has and this table lacks fails the test, so a new route needs a decision here.
 */
const MATRIX: Record<string, Row> = {
  'GET /sign-in': pub,
  'POST /sign-in': pub,
  'POST /sign-out': signedIn,
  'GET /account/password': signedInPage,
  'POST /account/password': signedIn,
  'POST /api/session': pub,
  'GET /api/session': signedIn,
  'DELETE /api/session': signedIn,
  'PUT /api/session/password': signedIn,
  'GET /api/users': adminOnly,
  'POST /api/users': adminOnly,
  'POST /api/users/:userId/disable': adminOnly,
  'POST /api/users/:userId/enable': adminOnly,
  'PUT /api/users/:userId/role': adminOnly,
  'PUT /api/users/:userId/password': adminOnly,
  'GET /api/merchants/:merchantId/users': ownerReadA,
  'POST /api/merchants/:merchantId/users/:userId/disable': ownerWriteA,
  'POST /api/merchants/:merchantId/users/:userId/enable': ownerWriteA,
  'PUT /api/merchants/:merchantId/users/:userId/role': ownerWriteA,
  'POST /api/merchants/:merchantId/users': ownerWriteA,
  'GET /api/merchants/:merchantId/erp-credentials': ownerReadA,
  'POST /api/merchants/:merchantId/erp-credentials': ownerWriteA,
  'POST /api/merchants/:merchantId/erp-credentials/:keyId/rotate': ownerWriteA,
  'DELETE /api/merchants/:merchantId/erp-credentials/:keyId': ownerWriteA,
  'GET /api/merchants/:merchantId/api-tokens': ownerReadA,
  'POST /api/merchants/:merchantId/api-tokens': ownerWriteA,
  'DELETE /api/merchants/:merchantId/api-tokens/:tokenId': ownerWriteA,
  'GET /merchants/:merchantId/erp-credentials': ownerReadAPage,
  'POST /merchants/:merchantId/erp-credentials': ownerWriteA,
  'POST /merchants/:merchantId/erp-credentials/:keyId/revoke': ownerWriteA,
  'POST /merchants/:merchantId/api-tokens': ownerWriteA,
  'POST /merchants/:merchantId/api-tokens/:tokenId/revoke': ownerWriteA,
  'POST /merchants/:merchantId/users/:userId/disable': ownerWriteA,
  'POST /merchants/:merchantId/users/:userId/enable': ownerWriteA,
  'POST /merchants/:merchantId/users/:userId/role': ownerWriteA,
  'POST /users/:userId/disable': adminOnly,
  'POST /users/:userId/enable': adminOnly,
  'POST /users/:userId/role': adminOnly,
  'POST /users/:userId/password': adminOnly,
  'GET /connect/:platform': connectStart,
  'GET /connect/:platform/callback': pub,
  'POST /connect/youzan/silent': adminOnly,
  'POST /api/merchants': adminOnly,
  'GET /api/merchants': signedIn,
  'GET /api/merchants/:merchantId': readA,
  'GET /api/merchants/:merchantId/connections': readA,
  'DELETE /api/merchants/:merchantId/connections/:connectionId': ownerWriteA,
  'POST /api/merchants/:merchantId/connections/:connectionId/refresh': staffOrOpsWriteA,
  'POST /api/merchants/:merchantId/store-pairs': ownerWriteA,
  'GET /': signedInPage,
  'GET /favicon.ico': pub,
  'POST /merchants': adminOnly,
  'GET /merchants/:merchantId': readAPage,
  'POST /merchants/:merchantId/connections/:connectionId/unbind': ownerWriteA,
  'GET /merchants/:merchantId/catalog': readAPage,
  'POST /merchants/:merchantId/catalog/mappings': ownerWriteA,
  'POST /merchants/:merchantId/catalog/refresh': staffWriteA,
  'POST /merchants/:merchantId/catalog/listings/:listingId/publish': staffWriteA,
  'GET /merchants/:merchantId/catalog/drafts/new': readAPage,
  'POST /merchants/:merchantId/catalog/drafts': staffWriteA,
  'GET /merchants/:merchantId/catalog/listings/:listingId': readAPage,
  'POST /merchants/:merchantId/catalog/listings/:listingId/draft': staffWriteA,
  'GET /merchants/:merchantId/stock': readAPage,
  'POST /merchants/:merchantId/stock/:skuCode/settings': ownerWriteA,
  'GET /merchants/:merchantId/prices': readAPage,
  'POST /merchants/:merchantId/prices/:skuCode': ownerWriteA,
  'GET /api/merchants/:merchantId/prices': readA,
  'GET /api/merchants/:merchantId/sku-bindings': readA,
  'POST /api/merchants/:merchantId/sku-bindings': ownerWriteA,
  'DELETE /api/merchants/:merchantId/sku-bindings/:bindingId': ownerWriteA,
  'POST /api/merchants/:merchantId/listings': staffWriteA,
  'GET /api/merchants/:merchantId/listings': readA,
  'POST /api/merchants/:merchantId/listings/import': staffWriteA,
  'GET /api/merchants/:merchantId/listings/:listingId': readA,
  'PATCH /api/merchants/:merchantId/listings/:listingId': staffWriteA,
  'POST /api/merchants/:merchantId/listings/:listingId/publish': staffWriteA,
  'POST /api/merchants/:merchantId/connections/:connectionId/discover-skus': staffWriteA,
  'GET /api/merchants/:merchantId/catalog/category-trees': readA,
  'POST /api/merchants/:merchantId/catalog/category-trees/refresh': staffWriteA,
  'GET /api/merchants/:merchantId/catalog/category-trees/:connectionId': readA,
  'GET /api/merchants/:merchantId/catalog/category-mappings': readA,
  'PUT /api/merchants/:merchantId/catalog/category-mappings': ownerWriteA,
  'DELETE /api/merchants/:merchantId/catalog/category-mappings/:scope/:youzanId': ownerWriteA,
  'GET /api/merchants/:merchantId/catalog/category-mappings/export.csv': readA,
  'POST /api/merchants/:merchantId/catalog/category-mappings/import': ownerWriteA,
  'POST /api/merchants/:merchantId/catalog/category-suggestions': staffWriteA,
  'GET /api/merchants/:merchantId/catalog/category-mappings/:youzanCid/suggestions': readA,
  'GET /api/merchants/:merchantId/skus': readA,
  'GET /api/merchants/:merchantId/skus/:skuCode': readA,
  'PUT /api/merchants/:merchantId/skus/:skuCode/settings': ownerWriteA,
  'POST /api/merchants/:merchantId/skus/:skuCode/reconcile': staffOrOpsWriteA,
  'GET /api/merchants/:merchantId/price-policy': readA,
  'PUT /api/merchants/:merchantId/price-policy': ownerWriteA,
  'PUT /api/merchants/:merchantId/price-policy/allowance': adminOnly,
  'GET /api/merchants/:merchantId/skus/:skuCode/price-policy': readA,
  'PUT /api/merchants/:merchantId/skus/:skuCode/price-policy': ownerWriteA,
  'PUT /api/merchants/:merchantId/skus/:skuCode/price': ownerWriteA,
  'GET /api/merchants/:merchantId/skus/:skuCode/price-history': readA,
  'POST /api/merchants/:merchantId/price-audit': staffOrOpsWriteA,
  'GET /api/merchants/:merchantId/campaigns': readA,
  'POST /api/merchants/:merchantId/campaigns': ownerWriteA,
  'GET /api/merchants/:merchantId/campaigns/anomalies': readA,
  'GET /api/merchants/:merchantId/campaigns/orders/:platform/:orderId/breakdown': readA,
  'POST /api/merchants/:merchantId/campaigns/orders/:platform/:orderId/record': ownerWriteA,
  'GET /api/merchants/:merchantId/campaigns/:campaignId/report': readA,
  'GET /api/merchants/:merchantId/campaigns/:campaignId/anomalies': readA,
  'POST /api/merchants/:merchantId/campaigns/:campaignId/sync': ownerWriteA,
  'POST /api/merchants/:merchantId/campaigns/:campaignId/end': ownerWriteA,
  'PATCH /api/merchants/:merchantId/campaigns/:campaignId': ownerWriteA,
  'POST /api/merchants/:merchantId/campaigns/:campaignId/rebalance': ownerWriteA,
  'GET /merchants/:merchantId/campaigns': readAPage,
  'POST /merchants/:merchantId/campaigns': ownerWriteA,
  'POST /merchants/:merchantId/campaigns/:campaignId/end': ownerWriteA,
  'POST /merchants/:merchantId/campaigns/:campaignId/edit': ownerWriteA,
  'GET /api/merchants/:merchantId/refunds': readA,
  'GET /api/merchants/:merchantId/refunds/:refundId': readA,
  'GET /merchants/:merchantId/refunds': readAPage,
  'POST /api/merchants/:merchantId/refunds/:refundId/actions': staffWriteA,
  'GET /api/merchants/:merchantId/refunds/:refundId/actions': readA,
  'GET /api/merchants/:merchantId/refunds/:refundId/action-options': readA,
  'POST /merchants/:merchantId/refunds/:refundId/actions': staffWriteA,
  'GET /api/merchants/:merchantId/orders': readA,
  'GET /api/merchants/:merchantId/orders/on-time-rate': readA,
  'GET /api/merchants/:merchantId/orders/reconciliations': readA,
  'POST /api/merchants/:merchantId/orders/reconcile': staffOrOpsWriteA,
  'GET /api/merchants/:merchantId/orders/ship-policies': readA,
  'PUT /api/merchants/:merchantId/connections/:connectionId/ship-policy': ownerWriteA,
  'GET /api/merchants/:merchantId/orders/:orderId': readA,
  'PUT /api/merchants/:merchantId/orders/:orderId/erp-order-id': staffWriteA,
  'GET /merchants/:merchantId/orders': readAPage,
  'POST /webhooks/erp/orders': erpOnly,
  'GET /api/merchants/:merchantId/webhooks/subscriptions': ownerReadA,
  'POST /api/merchants/:merchantId/webhooks/subscriptions': ownerWriteA,
  'POST /api/merchants/:merchantId/webhooks/subscriptions/:subscriptionId/rotate': ownerWriteA,
  'DELETE /api/merchants/:merchantId/webhooks/subscriptions/:subscriptionId': ownerWriteA,
  'GET /api/merchants/:merchantId/webhooks/deliveries': readA,
  'POST /api/merchants/:merchantId/webhooks/deliveries/:deliveryId/replay': ownerWriteA,
  'GET /merchants/:merchantId/webhooks': readAPage,
  'POST /merchants/:merchantId/webhooks/subscriptions': ownerWriteA,
  'POST /merchants/:merchantId/webhooks/subscriptions/:subscriptionId/rotate': ownerWriteA,
  'POST /merchants/:merchantId/webhooks/subscriptions/:subscriptionId/delete': ownerWriteA,
  'POST /merchants/:merchantId/webhooks/deliveries/:deliveryId/replay': ownerWriteA,
  'POST /webhooks/erp/stock': erpOnly,
  'POST /webhooks/erp/prices': erpOnly,
  'GET /api/merchants/:merchantId/shipments': readA,
  'POST /api/merchants/:merchantId/shipments': staffWriteA,
  'GET /api/merchants/:merchantId/shipments/:shipmentId': readA,
  'GET /merchants/:merchantId/shipments': readAPage,
  'POST /webhooks/erp/shipments': erpOnly,
  'POST /webhooks/:platform': pub,
  'GET /ops/failures': opsOnly,
  'GET /ops/failures/:id': opsOnly,
  'POST /ops/failures/:id/retry': opsOnly,
  'POST /ops/failures/:id/dismiss': opsOnly,
  'GET /ops/settings': opsOnly,
  'GET /ops': opsOnlyPage,
  'GET /ops/console': opsOnlyPage,
  'GET /ops/console/failures': opsOnlyPage,
  'GET /ops/console/failures/:id': opsOnlyPage,
  'POST /ops/console/failures/confirm': opsOnly,
  'POST /ops/console/failures/actions': opsOnly,
  'GET /ops/console/batches/:id': opsOnlyPage,
  'GET /ops/console/platforms': opsOnlyPage,
  'GET /ops/console/live': opsOnlyPage,
  'GET /ops/console/live/events': opsOnly,
  'GET /ops/console/assets/chart.js': opsOnlyPage,
  'PUT /ops/settings': adminOnly,
  'GET /ops-settings': opsOnlyPage,
  'POST /ops-settings': adminOnly,
  'GET /health': pub,
  'GET /metrics': opsOnly,
};

/** Served by Swagger outside Nest's router; checked beside it. */
const OUTSIDE_ROUTER: Record<string, Row> = {
  'GET /docs': signedInPage,
  'GET /docs-json': signedIn,
};

/** These end the caller's session; each call gets a fresh one so the rest of the matrix keeps its sessions. */
const ENDS_SESSION = new Set(['POST /sign-out', 'DELETE /api/session']);

interface RouteInfo {
  key: string;
  method: string;
  path: string;
  hasPolicy: boolean;
}

function routesOf(t: TestApp): RouteInfo[] {
  const discovery = t.app.get(DiscoveryService);
  const scanner = t.app.get(MetadataScanner);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
    if (!type) continue;
    const base = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, type) ?? '')[0];
    for (const name of scanner.getAllMethodNames(type.prototype)) {
      const handler = (type.prototype as Record<string, unknown>)[name] as object;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (methodPath === undefined || requestMethod === undefined) continue;
      const hasPolicy =
        Reflect.getMetadata(POLICY_KEY, handler) !== undefined || Reflect.getMetadata(POLICY_KEY, type) !== undefined;
      for (const p of ([] as string[]).concat(methodPath)) {
        const path = `/${[base, p]
          .map((s) => s.replace(/^\/|\/$/g, ''))
          .filter(Boolean)
          .join('/')}`;
        const method = RequestMethod[requestMethod];
        routes.push({ key: `${method} ${path}`, method, path, hasPolicy });
      }
    }
  }
  return routes;
}

describe('authorization matrix (every route × every kind of caller)', () => {
  let t: TestApp;
  let users: Record<'ownerA' | 'staffA' | 'ownerB' | 'ops' | 'admin', TestUser>;
  let erp: Record<'erpA' | 'erpB', { keyId: string; secret: string }>;
  let merchantA: string;
  let routes: RouteInfo[];

  beforeAll(async () => {
    t = await startTestApp({ label: 'authz', extraModules: [DiscoveryModule] });
    const a = await createTestMerchant(t.app, 'Merchant A');
    const b = await createTestMerchant(t.app, 'Merchant B');
    merchantA = a.merchantId;
    users = {
      ownerA: a.owner,
      staffA: await createTestUser(t.app, 'staff', a.merchantId),
      ownerB: b.owner,
      ops: await createTestUser(t.app, 'ops'),
      admin: await createTestUser(t.app, 'admin'),
    };
    erp = {
      erpA: await createTestErpCredential(t.app, a.merchantId),
      erpB: await createTestErpCredential(t.app, b.merchantId),
    };
    routes = routesOf(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('finds the routes in the Nest router, each with a declared policy and an expectation here', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !r.hasPolicy).map((r) => r.key)).toEqual([]);
    expect(routes.filter((r) => !MATRIX[r.key]).map((r) => r.key)).toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !routes.some((r) => r.key === k))).toEqual([]);
  });

  const concrete = (path: string) =>
    path
      .replace(':merchantId', merchantA)
      .replace(':platform', 'kuaishou')
      .replace(/:(connectionId|bindingId|tokenId|userId|refundId|id)/, randomUUID())
      .replace(/:(connectionId|bindingId|tokenId|userId|subscriptionId|deliveryId|id)/, randomUUID())
      .replace(':keyId', 'erp_unknownkey')
      .replace(':skuCode', 'SKU-1');

  async function call(method: string, path: string, who: Who): Promise<number> {
    const url =
      path === '/connect/kuaishou'
        ? `${path}?merchantId=${merchantA}`
        : path === '/ops/console/live/events'
          ? `${path}?points=1`
          : path;
    const body = JSON.stringify(
      path === '/webhooks/erp/stock' ? { updates: [{ skuCode: 'MATRIX-1', onHand: 1, sequence: Date.now() }] } : {},
    );
    let req = request(t.app.getHttpServer())[method.toLowerCase() as 'get'](url).redirects(0);
    if (who === 'erpA' || who === 'erpB') {
      const ts = Math.floor(Date.now() / 1000);
      const delivery = randomUUID();
      req = req
        .set(ERP_HEADERS.keyId, erp[who].keyId)
        .set(ERP_HEADERS.timestamp, String(ts))
        .set(ERP_HEADERS.delivery, delivery)
        .set(ERP_HEADERS.signature, signErpPayload(erp[who].secret, ts, delivery, body));
    } else if (who !== 'anonymous') {
      let user = users[who];
      if (ENDS_SESSION.has(`${method} ${path}`)) user = { ...user, ...(await freshSession(user)) };
      req = req.set('cookie', user.cookie).set('x-csrf-token', user.csrf);
    }
    if (method !== 'GET') req = req.set('content-type', 'application/json').send(body);
    return (await req).status;
  }

  async function freshSession(user: TestUser): Promise<Pick<TestUser, 'cookie' | 'csrf'>> {
    const res = await request(t.app.getHttpServer())
      .post('/api/session')
      .send({ email: user.email, password: user.password });
    return {
      cookie: String(res.headers['set-cookie']?.[0] ?? '').split(';')[0],
      csrf: (res.body as { csrfToken: string }).csrfToken,
    };
  }

  it('answers every route as the matrix says, for every caller', async () => {
    const mismatches: string[] = [];
    const all = [...routes.map((r) => [r.key, MATRIX[r.key]] as const), ...Object.entries(OUTSIDE_ROUTER)];
    // Session-ending routes last, so nothing after them depends on a session they ended.
    all.sort(([a], [b]) => Number(ENDS_SESSION.has(a)) - Number(ENDS_SESSION.has(b)));
    for (const [key, expected] of all) {
      if (!expected) continue;
      const [method, path] = key.split(' ');
      for (const who of EVERYONE) {
        const status = await call(method, concrete(path), who);
        const want = expected[who];
        const ok = want === 'ok' ? status !== 401 && status !== 403 && status < 500 : status === want;
        if (!ok) mismatches.push(`${key} as ${who}: ${status}, expected ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
