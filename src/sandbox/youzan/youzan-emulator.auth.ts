import type { Request, Response } from 'express';
import { Counters } from '../shared/counters';
import { decodeJson, encodeJson } from './youzan-emulator.codec';
import { TokenError, YouzanEmulatorStore } from './youzan-emulator.store';

function tokenAnswer(res: Response, body: unknown): void {
  res.status(200).type('application/json;charset=UTF-8').send(encodeJson(body));
}

/**
 * `POST /auth/token`: JSON only, keyed by authorize_type. Errors use the business shape with
 * success:false and HTTP 200 (1000 bad app info / content type, 1004 authorization expired,
 * 1005 invalid or reused code, 1103 unknown client, 1105 wrong flow for the app type).
 */
export function handleToken(store: YouzanEmulatorStore, counters: Counters, req: Request, res: Response): void {
  counters.call('auth.token');
  const fail = (code: number, message: string) => {
    counters.rejected(`token:${code}`);
    tokenAnswer(res, { success: false, code, data: null, message });
  };
  const ctype = String(req.headers['content-type'] ?? '');
  if (!ctype.toLowerCase().startsWith('application/json')) {
    fail(1000, `Content type '${ctype || 'none'}' not supported`);
    return;
  }
  let body: Record<string, unknown>;
  try {
    const parsed = decodeJson(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    body = parsed as Record<string, unknown>;
  } catch {
    fail(1000, 'JSON parse error: request body is not a JSON object');
    return;
  }
  try {
    const type = body.authorize_type;
    let data: Record<string, unknown>;
    if (type === 'authorization_code') {
      store.checkClient(body.client_id, body.client_secret, type);
      data = store.exchangeCode(body.code, body.redirect_uri);
    } else if (type === 'refresh_token') {
      store.checkClient(body.client_id, body.client_secret, type);
      data = store.refresh(body.refresh_token);
    } else if (type === 'silent') {
      store.checkClient(body.client_id, body.client_secret, type);
      data = store.silent(body.grant_id, body.refresh);
    } else {
      throw new TokenError(1000, `authorize_type ${String(type)} 不合法`);
    }
    tokenAnswer(res, { success: true, code: 200, message: null, data });
  } catch (error) {
    if (error instanceof TokenError) fail(error.code, error.message);
    else fail(1000, (error as Error).message);
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Sandbox authorize page (the real tool-app flow starts in the app market): pick a shop,
 * approve or deny; the decision redirects to redirect_uri with code+state or error=access_denied.
 */
export function handleAuthorizePage(store: YouzanEmulatorStore, clientId: string, req: Request, res: Response): void {
  const q = req.query as Record<string, string | undefined>;
  if (q.client_id !== clientId) {
    res
      .status(400)
      .type('html')
      .send('<!doctype html><meta charset="utf-8"><p data-testid="yz-authorize-error">Client 不存在</p>');
    return;
  }
  if (q.response_type !== 'code' || !q.redirect_uri) {
    res
      .status(400)
      .type('html')
      .send(
        '<!doctype html><meta charset="utf-8"><p data-testid="yz-authorize-error">response_type=code 和 redirect_uri 必填</p>',
      );
    return;
  }
  const shops = [...store.shops.values()].filter((s) => !s.revoked);
  const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
  const options = shops
    .map(
      (s, i) =>
        `<label><input type="radio" name="kdt_id" value="${s.kdtId}" data-testid="yz-authorize-shop-${s.kdtId}"${i === 0 ? ' checked' : ''}> ${escapeHtml(s.name)} (kdt_id ${s.kdtId})</label><br>`,
    )
    .join('');
  res
    .status(200)
    .type('html')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>有赞云授权 (sandbox)</title></head><body>
<h1>有赞云 · 应用授权 (sandbox)</h1>
<p>应用 <code>${escapeHtml(clientId)}</code> 请求访问你的店铺：商品、订单、物流、优惠券。</p>
<form method="post" action="/oauth/authorize/decision" data-testid="yz-authorize-form">
${hidden('client_id', clientId)}${hidden('redirect_uri', q.redirect_uri)}${hidden('state', q.state ?? '')}
${options}<label><input type="radio" name="kdt_id" value="new" data-testid="yz-authorize-new-shop"${shops.length ? '' : ' checked'}> 新建沙箱店铺</label><br>
<button type="submit" name="decision" value="approve" data-testid="yz-authorize-approve">同意授权</button>
<button type="submit" name="decision" value="deny" data-testid="yz-authorize-deny">拒绝</button>
</form></body></html>`,
    );
}

export function handleAuthorizeDecision(
  store: YouzanEmulatorStore,
  clientId: string,
  req: Request,
  res: Response,
): void {
  const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
  const redirectUri = form.get('redirect_uri');
  if (form.get('client_id') !== clientId || !redirectUri) {
    res
      .status(400)
      .type('html')
      .send('<!doctype html><meta charset="utf-8"><p data-testid="yz-authorize-error">授权请求不合法</p>');
    return;
  }
  const target = new URL(redirectUri);
  const state = form.get('state') ?? '';
  if (form.get('decision') !== 'approve') {
    target.searchParams.set('error', 'access_denied');
    target.searchParams.set('state', state);
    res.redirect(302, target.toString());
    return;
  }
  const chosen = form.get('kdt_id');
  const kdtId = !chosen || chosen === 'new' ? store.createShop(undefined, false).kdtId : Number(chosen);
  if (!store.shops.has(kdtId)) {
    res
      .status(400)
      .type('html')
      .send('<!doctype html><meta charset="utf-8"><p data-testid="yz-authorize-error">店铺不存在</p>');
    return;
  }
  target.searchParams.set('code', store.issueCode(kdtId, redirectUri));
  target.searchParams.set('state', state);
  res.redirect(302, target.toString());
}
