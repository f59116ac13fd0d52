import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page, SafeHtml } from '@app/common/http/html';
import { merchantNav } from '@app/common/http/merchant-nav';
import { pairState } from './pair-state';
import { Platform } from '@app/platforms/ports/platform.types';
import { MerchantOverview } from '../merchants.service';
import { ShopConnectionEntity } from '../shop-connection.entity';

const PLATFORM_NAMES: Record<Platform, string> = { kuaishou: '快手小店 Kuaishou', youzan: '有赞 Youzan' };
const STATUS_LABEL: Record<string, [string, string]> = {
  active: ['已连接 Connected', 'ok'],
  needs_reauth: ['需重新授权 Authorize again', 'bad'],
  revoked: ['授权已撤回 Access withdrawn', 'bad'],
  unbound: ['已解绑 Unbound', 'muted'],
};

export interface Viewer {
  principal: UserPrincipal;
  csrfToken: string;
  /** Owners connect, unbind and manage credentials; staff and operators look. */
  mayManage: boolean;
}

function connectionCard(
  merchantId: string,
  platform: Platform,
  connection: ShopConnectionEntity | undefined,
  now: number,
  viewer: Viewer,
): SafeHtml {
  if (!connection || connection.status === 'unbound') {
    return html`<div class="card" data-testid="connection-${platform}">
      <h2>${PLATFORM_NAMES[platform]}</h2>
      <p><span class="badge muted" data-testid="status-${platform}">${connection ? STATUS_LABEL.unbound[0] : '未连接 Not connected'}</span></p>
      ${viewer.mayManage ? html`<a class="button" href="/connect/${platform}?merchantId=${merchantId}" data-testid="connect-${platform}">连接 Connect ${PLATFORM_NAMES[platform]}</a>` : ''}</div>`;
  }
  const [label, tone] = STATUS_LABEL[connection.status];
  const dueSoon = connection.reauthDueAt !== null;
  return html`<div class="card" data-testid="connection-${platform}">
    <h2>${PLATFORM_NAMES[platform]}</h2>
    <p><span class="badge ${tone}" data-testid="status-${platform}">${label}</span>
    ${dueSoon ? html` <span class="badge warn" data-testid="reauth-due-${platform}">请在此前重新授权 Authorize again before ${formatTime(connection.reauthDueAt)}</span>` : ''}</p>
    ${connection.statusReason && connection.status !== 'active' ? html`<p class="notice bad">${connection.statusReason}</p>` : ''}
    <dl>
      <dt>Shop</dt><dd data-testid="shop-${platform}">${connection.shopName ?? '—'} <code>${connection.shopId}</code></dd>
      <dt>Token valid until</dt><dd data-testid="expiry-${platform}">${connection.status === 'active' ? formatTime(connection.accessTokenExpiresAt) : '—'}${connection.status === 'active' && (connection.accessTokenExpiresAt ?? 0) < now ? ' (renewing)' : ''}</dd>
      <dt>Authorization ends</dt><dd>${formatTime(connection.refreshTokenExpiresAt)}</dd>
      <dt>Permissions</dt><dd>${connection.scopeList.join(', ') || '—'}</dd>
      ${connection.failureCount ? html`<dt>Refresh problems</dt><dd>${connection.failureCount} × ${connection.lastError ?? ''}</dd>` : ''}
    </dl>
    ${
      viewer.mayManage
        ? html`<p><a class="button ${connection.status === 'active' && !dueSoon ? 'secondary' : ''}" href="/connect/${platform}?merchantId=${merchantId}" data-testid="reconnect-${platform}">${connection.status === 'active' ? '重新连接 Reconnect' : '重新授权 Authorize again'}</a>
    <form method="post" action="/merchants/${merchantId}/connections/${connection.id}/unbind" style="display:inline" onsubmit="return confirm('Stop syncing this shop? History is kept.')">
      <input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">
      <button class="button danger" type="submit" data-testid="unbind-${platform}">解绑 Unbind</button></form></p>`
        : ''
    }
  </div>`;
}

export function merchantPage(
  overview: MerchantOverview,
  sandbox: boolean,
  now: number,
  viewer: Viewer,
  notice?: { ok: boolean; text: string },
): string {
  const { merchant, connections, pairs } = overview;
  const current = (platform: Platform) =>
    connections
      .filter((c) => c.platform === platform)
      .sort((a, b) => rank(a) - rank(b) || b.updatedAt - a.updatedAt)[0];
  const activePair = pairs.find((p) => p.status === 'active');
  const state = pairState(activePair, connections);
  return page(
    merchant.name,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'overview', { owner: viewer.mayManage })}<h1 data-testid="merchant-name">${merchant.name}</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''}
    <div class="grid">${connectionCard(merchant.id, 'kuaishou', current('kuaishou'), now, viewer)}${connectionCard(merchant.id, 'youzan', current('youzan'), now, viewer)}</div>
    <div class="card" data-testid="store-pair"><h2>店铺配对 Store pair</h2>
      ${
        state.kind === 'syncing'
          ? html`<p><span class="badge ok" data-testid="pair-state">同步中 Syncing</span> 两店共享一份库存，订单自动接入，两店价格保持在价差上限内；商品信息暂不同步。 The Kuaishou and Youzan shops are paired: they share one stock, their orders come in and their prices are kept within the parity limit; listings are not published between them yet.</p>`
          : state.kind === 'paused'
            ? html`<p><span class="badge bad" data-testid="pair-state">已暂停 Paused</span> ${state.words}</p>`
            : html`<p><span class="badge muted" data-testid="pair-state">未配对 Not paired</span> Connect one shop on each platform to start syncing.</p>`
      }
    </div>
    <p>${viewer.mayManage ? html`<a href="/merchants/${merchant.id}/erp-credentials" data-testid="credentials-link">凭证 Credentials (ERP, API tokens)</a> · ` : ''}<a href="/merchants/${merchant.id}/catalog" data-testid="catalog-link">类目映射 Category mapping</a> · <a href="/merchants/${merchant.id}/campaigns" data-testid="campaigns-link">优惠券 Coupon campaigns</a> · <a href="/merchants/${merchant.id}/refunds" data-testid="refunds-link">退款售后 Refunds</a> · <a href="/merchants/${merchant.id}/orders" data-testid="orders-link">订单 Orders</a> · <a href="/merchants/${merchant.id}/shipments" data-testid="shipments-link">发货 Shipments</a> · <a href="/merchants/${merchant.id}/webhooks" data-testid="webhooks-link">ERP Webhooks</a> · <a href="/api/merchants/${merchant.id}">JSON</a></p>`,
    { sandbox },
  );
}

function rank(c: ShopConnectionEntity): number {
  return c.status === 'unbound' ? 1 : 0;
}

export function connectResultPage(input: {
  ok: boolean;
  title: string;
  text: string;
  merchantId?: string;
  sandbox: boolean;
}): string {
  return page(
    input.title,
    html`<div class="card"><h1 data-testid="result-title">${input.title}</h1><p class="notice ${input.ok ? 'ok' : 'bad'}" data-testid="result-text">${input.text}</p>
    ${input.merchantId ? html`<a class="button" href="/merchants/${input.merchantId}" data-testid="back-to-merchant">返回店铺 Back to your shops</a>` : html`<a class="button" href="/">首页 Home</a>`}</div>`,
    { sandbox: input.sandbox },
  );
}

export function silentConnectPage(merchantId: string, sandbox: boolean, csrfToken: string): string {
  return page(
    'Connect Youzan',
    html`<div class="card"><h1>连接有赞 Connect your Youzan shop</h1>
    <p>This service runs as a self-built Youzan app: a token comes from the shop id (kdt_id) alone, so an administrator connects it. Ask your administrator to enter your shop id here.</p>
    <form method="post" action="/connect/youzan/silent"><input type="hidden" name="merchantId" value="${merchantId}"><input type="hidden" name="${CSRF_FIELD}" value="${csrfToken}">
    <input name="kdtId" placeholder="kdt_id" required pattern="[0-9]+" data-testid="kdt-id"> <button class="button" type="submit" data-testid="silent-connect">Connect</button></form></div>`,
    { sandbox },
  );
}
