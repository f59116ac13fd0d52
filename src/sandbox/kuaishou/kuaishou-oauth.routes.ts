import express, { Request, Response, Router } from 'express';
import { sleep } from '@app/common/sleep';
import { Counters } from '../shared/counters';
import { FaultInjector } from '../shared/fault-injector';
import { KS_OAUTH } from './kuaishou-emulator.errors';
import { KuaishouEmulatorStore } from './kuaishou-emulator.store';
import { KsOAuthFailure, KsTokenAnswer, KuaishouOAuthStore } from './kuaishou-oauth.store';

export interface OAuthRouteDeps {
  appKey: string;
  appSecret: string;
  /** Scopes the app holds; only these may be requested. */
  appScopes: string[];
  store: KuaishouEmulatorStore;
  oauth: KuaishouOAuthStore;
  faults: FaultInjector;
  counters: Counters;
}

/**
 * The authorize page (`open.kwaixiaodian.com/oauth/authorize`) and the token endpoints
 * (`/oauth2/access_token`, `/oauth2/refresh_token`, flat JSON answers).
 */
export function kuaishouOAuthRouter(deps: OAuthRouteDeps): Router {
  const router = express.Router();

  router.get('/oauth/authorize', (req, res) => {
    const params = flat(req);
    const problem = authorizeProblem(deps, params);
    if (problem) {
      res
        .status(400)
        .type('html')
        .send(page('授权失败', `<p data-testid="ks-authorize-error">${escape(problem)}</p>`));
      return;
    }
    res.status(200).type('html').send(authorizePage(deps, params));
  });

  router.post('/oauth/authorize', (req, res) => {
    const params = flat(req);
    const problem = authorizeProblem(deps, params);
    if (problem) {
      res
        .status(400)
        .type('html')
        .send(page('授权失败', `<p data-testid="ks-authorize-error">${escape(problem)}</p>`));
      return;
    }
    const target = new URL(params.redirect_uri ?? '');
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    if (params.decision !== 'approve') {
      target.searchParams.set('error', 'access_denied');
      res.redirect(302, target.toString());
      return;
    }
    if (!params.open_id || !deps.store.shops.has(params.open_id)) {
      res.status(400).type('html').send(page('授权失败', '<p data-testid="ks-authorize-error">请选择要授权的店铺</p>'));
      return;
    }
    target.searchParams.set('code', deps.oauth.issueCode(params.open_id, scopesOf(params), params.redirect_uri ?? ''));
    res.redirect(302, target.toString());
  });

  const tokenEndpoint = (name: 'access_token' | 'refresh_token') => async (req: Request, res: Response) => {
    const api = `oauth2.${name}`;
    deps.counters.call(api);
    const plan = deps.faults.plan(api);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (plan.httpError) {
      deps.counters.rejected('http_502');
      res.status(502).end();
      return;
    }
    const params = flat(req);
    let answer: KsTokenAnswer | KsOAuthFailure;
    if (plan.error) answer = { ...KS_OAUTH.SERVER_ERROR, error_msg: 'internal error' };
    else if (params.app_id !== deps.appKey || params.app_secret !== deps.appSecret)
      answer = { ...KS_OAUTH.UNAUTHORIZED_CLIENT, error_msg: 'app_id or app_secret is invalid' };
    else if (name === 'refresh_token') {
      answer =
        params.grant_type === 'refresh_token'
          ? deps.oauth.refresh(params.refresh_token)
          : { ...KS_OAUTH.UNSUPPORTED_GRANT_TYPE, error_msg: `unsupported grant_type ${params.grant_type ?? ''}` };
    } else if (params.grant_type === 'code') answer = deps.oauth.exchangeCode(params.code);
    else if (params.grant_type === 'client_credentials') answer = deps.oauth.clientCredentials(deps.appScopes);
    else
      answer = { ...KS_OAUTH.UNSUPPORTED_GRANT_TYPE, error_msg: `unsupported grant_type ${params.grant_type ?? ''}` };
    if (answer.result !== 1) deps.counters.rejected(`oauth_${(answer as KsOAuthFailure).error}`);
    else deps.counters.writeApplied(api);
    if (plan.dropResponse && answer.result === 1) {
      req.socket.destroy();
      return;
    }
    res.status(200).json(answer);
  };
  router.get('/oauth2/access_token', tokenEndpoint('access_token'));
  router.post('/oauth2/access_token', tokenEndpoint('access_token'));
  // Documented as POST; GET is accepted too (the DEMO and GO SDKs use it).
  router.post('/oauth2/refresh_token', tokenEndpoint('refresh_token'));
  router.get('/oauth2/refresh_token', tokenEndpoint('refresh_token'));
  return router;
}

function flat(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const source of [req.query, req.body as unknown]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string') out[key] = first;
    }
  }
  return out;
}

function scopesOf(params: Record<string, string | undefined>): string[] {
  return (params.scope ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function authorizeProblem(deps: OAuthRouteDeps, params: Record<string, string | undefined>): string | undefined {
  if (params.app_id !== deps.appKey) return `应用不存在或已下线 (app_id: ${params.app_id ?? ''})`;
  if (params.response_type !== 'code') return 'unsupported_response_type: response_type 必须为 code';
  let redirect: URL;
  try {
    redirect = new URL(params.redirect_uri ?? '');
  } catch {
    return 'Invalid url';
  }
  if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') return 'Invalid url';
  const scopes = scopesOf(params);
  if (!scopes.length) return 'invalid_scope: scope 不能为空';
  const unknown = scopes.filter((s) => !deps.appScopes.includes(s));
  if (unknown.length) return `invalid_scope: 应用未拥有权限 ${unknown.join(',')}`;
  return undefined;
}

function authorizePage(deps: OAuthRouteDeps, params: Record<string, string | undefined>): string {
  const shops = [...deps.store.shops.values()];
  const hidden = ['app_id', 'redirect_uri', 'scope', 'response_type', 'state']
    .filter((key) => params[key] !== undefined)
    .map((key) => `<input type="hidden" name="${key}" value="${escape(params[key] ?? '')}">`)
    .join('\n');
  const options = shops
    .map(
      (shop, index) =>
        `<label><input type="radio" name="open_id" value="${escape(shop.openId)}" data-testid="ks-shop-${escape(shop.openId)}"${index === 0 ? ' checked' : ''}> ${escape(shop.name)}</label>`,
    )
    .join('<br>\n');
  const scopes = scopesOf(params)
    .map((s) => `<li>${escape(s)}</li>`)
    .join('');
  return page(
    '快手电商开放平台 · 授权',
    `<p>应用 <strong>${escape(deps.appKey)}</strong> 申请以下权限：</p><ul data-testid="ks-authorize-scopes">${scopes}</ul>
<form method="post" action="/oauth/authorize">
${hidden}
<fieldset><legend>选择店铺</legend>${options || '<p>没有可授权的店铺</p>'}</fieldset>
<button type="submit" name="decision" value="approve" data-testid="ks-authorize-approve"${shops.length ? '' : ' disabled'}>同意授权</button>
<button type="submit" name="decision" value="deny" data-testid="ks-authorize-deny">拒绝</button>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
