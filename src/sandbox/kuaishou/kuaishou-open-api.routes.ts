import express, { Request, Response, Router } from 'express';
import { sleep } from '@app/common/sleep';
import { KS_FAULT_ERRORS, KS_RESULT, KsApiError, ksError } from './kuaishou-emulator.errors';
import { parseParam, toJson } from './kuaishou-emulator.json';
import { KsPart, readMultipart } from './kuaishou-emulator.images';
import { KsShop } from './kuaishou-emulator.store';
import { ApiDef, buildApis, OpenApiDeps } from './kuaishou-emulator.api';
import { expectedKuaishouSign, kuaishouSignMatches } from './kuaishou-signature';

export type { OpenApiDeps } from './kuaishou-emulator.api';

const SYSTEM_PARAMS = ['appkey', 'method', 'version', 'access_token', 'timestamp', 'signMethod', 'sign'] as const;
const STOCK_WRITE = 'open.item.sku.stock.update';
const OPERATION_HEADER = 'x-kwaizan-operation-id';
/** The answer to a decrease below the stock reserved for an activity (result 21). */
const RESERVE_REFUSED = '当前库存不足，请减少预留数量';

/** `/open/**`: the gateway. Validation order follows sheet §7; injected faults wrap it. */
export function kuaishouOpenApiRouter(deps: OpenApiDeps): Router {
  const router = express.Router();
  const apis = buildApis(deps);
  const appliedOperations = new Set<string>();
  let requestSeq = 0;

  router.use(async (req: Request, res: Response) => {
    const method = `open${req.path.replace(/\/+$/, '').replace(/\//g, '.')}`;
    const requestId = `ksemu-${Date.now().toString(36)}-${++requestSeq}`;
    deps.counters.call(method);
    const plan = deps.faults.plan(method);
    if (plan.latencyMs > 0) {
      deps.counters.fault('latency');
      await sleep(plan.latencyMs);
    }
    if (plan.httpError) {
      deps.counters.rejected('http_502');
      deps.counters.fault('http_error');
      res.status(502).end();
      return;
    }
    try {
      let files: KsPart[] = [];
      if (String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
        const parts = await readMultipart(req);
        files = parts.filter((part) => part.filename !== undefined);
        req.body = Object.fromEntries(
          parts.filter((part) => part.filename === undefined).map((part) => [part.name, part.data.toString('utf8')]),
        );
      }
      const params = collectParams(req);
      const { api, shop } = authenticate(deps, apis, method, params);
      if (plan.throttle) {
        deps.counters.fault('throttle');
        const rule = deps.faults
          .describe()
          .rules.find((r) => (r.api === method || r.api === '*') && r.maxQps !== undefined);
        throw ksError.qps(apiNumber(method), deps.appKey, rule?.maxQps ?? 300);
      }
      if (plan.error) {
        deps.counters.fault('error');
        throw (KS_FAULT_ERRORS[plan.error] ?? KS_FAULT_ERRORS.system)(deps.appKey);
      }
      if (plan.lateApplyMs !== undefined) {
        // Accepted by the gateway, applied by the backend after the caller gave up: a revocation
        // in between does not stop it.
        deps.counters.fault('late_apply');
        await sleep(plan.lateApplyMs);
      }
      const answer = api.handle({ shop, p: parseParam(params.param), now: deps.clock.now(), files });
      if (api.write) deps.counters.writeApplied(method);
      if (method === STOCK_WRITE) {
        const operationId = req.header(OPERATION_HEADER);
        if (operationId) {
          // The platform has no idempotency key: a repeated operation id means the stock moved twice.
          if (appliedOperations.has(operationId)) deps.counters.duplicateOperationIds++;
          appliedOperations.add(operationId);
        }
      }
      if (plan.busyAfterApply && busyAfterApply(deps, res, requestId)) return;
      const body = toJson({
        result: KS_RESULT.SUCCESS,
        error_msg: '',
        ...(answer === undefined ? {} : { data: answer.data }),
        requestId,
      });
      if (plan.dropResponse) {
        deps.counters.rejected('response_dropped_after_apply');
        deps.counters.fault('response_dropped_after_apply');
        req.socket.destroy();
        return;
      }
      if (res.writableEnded || req.socket.destroyed) return;
      res.status(200).type('application/json;charset=UTF-8').send(body);
    } catch (error) {
      const failure = error instanceof KsApiError ? error : ksError.system();
      deps.counters.rejected(failure.reason);
      if (
        failure.result === KS_RESULT.BUSINESS_REJECTED &&
        failure.message === RESERVE_REFUSED &&
        holdsActivityReserve(deps, req)
      ) {
        deps.counters.fault('activity_reserve_refused');
      }
      if (res.writableEnded || req.socket.destroyed) return;
      res
        .status(200)
        .type('application/json;charset=UTF-8')
        .send(toJson({ result: failure.result, error_msg: failure.message, requestId }));
    }
  });
  return router;
}

/**
 * Injected "applied, then answered busy": the backend applied the write, but the gateway answers
 * with the platform's system-busy body (result 2), as a real overloaded gateway can. The caller must
 * treat it as an unknown outcome. False when the connection is already gone.
 */
function busyAfterApply(deps: OpenApiDeps, res: Response, requestId: string): boolean {
  deps.counters.fault('busy_after_apply');
  const busy = ksError.system();
  deps.counters.rejected('busy_after_apply');
  if (res.writableEnded || res.req.socket.destroyed) return true;
  res
    .status(200)
    .type('application/json;charset=UTF-8')
    .send(toJson({ result: busy.result, error_msg: busy.message, requestId }));
  return true;
}

/**
 * The "stock below the reserve" answer is also what a decrease below zero gets: it counts as an
 * activity-reserve refusal only when the SKU written holds units for an activity.
 */
function holdsActivityReserve(deps: OpenApiDeps, req: Request): boolean {
  try {
    const p = parseParam(collectParams(req).param);
    const itemId = String(p.long('kwaiItemId', true) ?? p.long('itemId', true) ?? '');
    const item = deps.store.items.get(itemId);
    const skuIds = [p.long('skuId', true), ...(p.objects('skuList') ?? []).map((s) => s.long('skuId', true))]
      .filter((id) => id !== undefined)
      .map(String);
    return !!item?.skus.some((s) => skuIds.includes(String(s.kwaiSkuId)) && s.reserveStock > 0);
  } catch {
    return false;
  }
}

function collectParams(req: Request): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  const take = (source: unknown) => {
    if (!source || typeof source !== 'object') return;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (first === undefined || first === null) continue;
      params[key] =
        typeof first === 'string' ? first : typeof first === 'object' ? JSON.stringify(first) : String(first);
    }
  };
  take(req.query);
  take(req.body);
  return params;
}

function authenticate(
  deps: OpenApiDeps,
  apis: Record<string, ApiDef>,
  method: string,
  params: Record<string, string | undefined>,
): { api: ApiDef; shop: KsShop } {
  for (const name of SYSTEM_PARAMS) if (!params[name]) throw ksError.missing(name);
  if (params.method !== method) throw ksError.invalid(`method[${params.method}]与请求路径不一致`);
  if (params.version !== '1') throw ksError.invalid(`version[${params.version}]不支持`);
  if (params.signMethod !== 'MD5' && params.signMethod !== 'HMAC_SHA256')
    throw ksError.invalid(`signMethod[${params.signMethod}]不支持`);
  if (!/^\d{13}$/.test(params.timestamp ?? '')) throw ksError.invalid('timestamp 必须是毫秒时间戳');
  if (
    deps.timestampSkewMs !== undefined &&
    Math.abs(Number(params.timestamp) - deps.clock.now()) > deps.timestampSkewMs
  )
    throw ksError.invalid('timestamp 已过期');
  // The sign can only be checked with the app's secret, so an unknown appkey is answered first.
  if (params.appkey !== deps.appKey) throw ksError.appKey(params.appkey ?? '');
  if (!kuaishouSignMatches(params.sign ?? '', expectedKuaishouSign(params, params.signMethod, deps.signSecret)))
    throw ksError.sign();
  const api = apis[method];
  if (!api) throw ksError.apiNotFound(method);
  const check = deps.oauth.check(params.access_token ?? '');
  if (check instanceof KsApiError) throw check;
  if (!check.scopes.includes(api.scope)) throw ksError.scope(api.scope);
  const shop = deps.store.shops.get(check.grant.openId);
  if (!shop) throw ksError.mainAccount();
  return { api, shop };
}

function apiNumber(method: string): number {
  let hash = 10_000;
  for (const char of method) hash = (hash * 31 + char.charCodeAt(0)) % 90_000;
  return 10_000 + hash;
}
