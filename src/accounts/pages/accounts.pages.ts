import { formatTime, html, page, SafeHtml } from '../../common/http/html';
import { Platform } from '../../platforms/channel.port';
import { MerchantEntity } from '../merchant.entity';
import { MerchantOverview } from '../merchants.service';
import { ShopConnectionEntity } from '../shop-connection.entity';

const PLATFORM_NAMES: Record<Platform, string> = { kuaishou: '快手小店 Kuaishou', youzan: '有赞 Youzan' };
const STATUS_LABEL: Record<string, [string, string]> = {
  active: ['Connected', 'ok'],
  needs_reauth: ['Authorize again', 'bad'],
  revoked: ['Access withdrawn', 'bad'],
  unbound: ['Unbound', 'muted'],
};

export function homePage(merchants: MerchantEntity[], sandbox: boolean): string {
  return page(
    'Merchants',
    html`<div class="card"><h1>Merchants</h1>
      <table data-testid="merchant-list"><tr><th>Name</th><th>Since</th></tr>
      ${merchants.map((m) => html`<tr><td><a href="/merchants/${m.id}">${m.name}</a></td><td>${formatTime(m.createdAt)}</td></tr>`)}
      </table></div>
      <div class="card"><h2>New merchant</h2>
      <form method="post" action="/merchants"><input name="name" placeholder="Shop owner or brand" required maxlength="100" data-testid="merchant-name">
      <button class="button" type="submit" data-testid="create-merchant">Create</button></form></div>
      ${sandbox ? html`<div class="card notice ok">Sandbox mode: both platforms are local emulators with demo shops. Connecting a shop opens the emulator's authorization page.</div>` : ''}`,
    { sandbox },
  );
}

function connectionCard(merchantId: string, platform: Platform, connection: ShopConnectionEntity | undefined, now: number): SafeHtml {
  if (!connection || connection.status === 'unbound') {
    return html`<div class="card" data-testid="connection-${platform}">
      <h2>${PLATFORM_NAMES[platform]}</h2>
      <p><span class="badge muted" data-testid="status-${platform}">${connection ? 'Unbound' : 'Not connected'}</span></p>
      <a class="button" href="/connect/${platform}?merchantId=${merchantId}" data-testid="connect-${platform}">Connect ${PLATFORM_NAMES[platform]}</a></div>`;
  }
  const [label, tone] = STATUS_LABEL[connection.status];
  const dueSoon = connection.reauthDueAt !== null;
  return html`<div class="card" data-testid="connection-${platform}">
    <h2>${PLATFORM_NAMES[platform]}</h2>
    <p><span class="badge ${tone}" data-testid="status-${platform}">${label}</span>
    ${dueSoon ? html` <span class="badge warn" data-testid="reauth-due-${platform}">Authorize again before ${formatTime(connection.reauthDueAt)}</span>` : ''}</p>
    ${connection.statusReason && connection.status !== 'active' ? html`<p class="notice bad">${connection.statusReason}</p>` : ''}
    <dl>
      <dt>Shop</dt><dd data-testid="shop-${platform}">${connection.shopName ?? '—'} <code>${connection.shopId}</code></dd>
      <dt>Token valid until</dt><dd data-testid="expiry-${platform}">${connection.status === 'active' ? formatTime(connection.accessTokenExpiresAt) : '—'}${connection.status === 'active' && (connection.accessTokenExpiresAt ?? 0) < now ? ' (renewing)' : ''}</dd>
      <dt>Authorization ends</dt><dd>${formatTime(connection.refreshTokenExpiresAt)}</dd>
      <dt>Permissions</dt><dd>${connection.scopeList.join(', ') || '—'}</dd>
      ${connection.failureCount ? html`<dt>Refresh problems</dt><dd>${connection.failureCount} × ${connection.lastError ?? ''}</dd>` : ''}
    </dl>
    <p><a class="button ${connection.status === 'active' && !dueSoon ? 'secondary' : ''}" href="/connect/${platform}?merchantId=${merchantId}" data-testid="reconnect-${platform}">${connection.status === 'active' ? 'Reconnect' : 'Authorize again'}</a>
    <form method="post" action="/merchants/${merchantId}/connections/${connection.id}/unbind" style="display:inline" onsubmit="return confirm('Stop syncing this shop? History is kept.')">
      <button class="button danger" type="submit" data-testid="unbind-${platform}">Unbind</button></form></p>
  </div>`;
}

export function merchantPage(overview: MerchantOverview, sandbox: boolean, now: number, notice?: { ok: boolean; text: string }): string {
  const { merchant, connections, pairs } = overview;
  const current = (platform: Platform) =>
    connections.filter((c) => c.platform === platform).sort((a, b) => rank(a) - rank(b) || b.updatedAt - a.updatedAt)[0];
  const activePair = pairs.find((p) => p.status === 'active');
  return page(
    merchant.name,
    html`<h1 data-testid="merchant-name">${merchant.name}</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''}
    <div class="grid">${connectionCard(merchant.id, 'kuaishou', current('kuaishou'), now)}${connectionCard(merchant.id, 'youzan', current('youzan'), now)}</div>
    <div class="card" data-testid="store-pair"><h2>Store pair</h2>
      ${activePair ? html`<p><span class="badge ok">Syncing</span> Kuaishou and Youzan shops are paired; catalog, prices, stock and orders sync between them.</p>` : html`<p><span class="badge muted">Not paired</span> Connect one shop on each platform to start syncing.</p>`}
    </div>
    <p><a href="/api/merchants/${merchant.id}">JSON</a></p>`,
    { sandbox },
  );
}

function rank(c: ShopConnectionEntity): number {
  return c.status === 'unbound' ? 1 : 0;
}

export function connectResultPage(input: { ok: boolean; title: string; text: string; merchantId?: string; sandbox: boolean }): string {
  return page(
    input.title,
    html`<div class="card"><h1 data-testid="result-title">${input.title}</h1><p class="notice ${input.ok ? 'ok' : 'bad'}" data-testid="result-text">${input.text}</p>
    ${input.merchantId ? html`<a class="button" href="/merchants/${input.merchantId}" data-testid="back-to-merchant">Back to your shops</a>` : html`<a class="button" href="/">Home</a>`}</div>`,
    { sandbox: input.sandbox },
  );
}

export function silentConnectPage(merchantId: string, sandbox: boolean): string {
  return page(
    'Connect Youzan',
    html`<div class="card"><h1>Connect your Youzan shop</h1>
    <p>This service runs as a self-built Youzan app: enter the shop id (kdt_id) that authorized it.</p>
    <form method="post" action="/connect/youzan/silent"><input type="hidden" name="merchantId" value="${merchantId}">
    <input name="kdtId" placeholder="kdt_id" required pattern="[0-9]+" data-testid="kdt-id"> <button class="button" type="submit" data-testid="silent-connect">Connect</button></form></div>`,
    { sandbox },
  );
}
