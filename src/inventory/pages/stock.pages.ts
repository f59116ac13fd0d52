import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { html, page, SafeHtml } from '@app/common/http/html';
import { merchantNav } from '@app/common/http/merchant-nav';
import { SkuStockView } from '../dto/stock.views';

export interface StockViewer {
  principal: UserPrincipal;
  csrfToken: string;
  /** Owners change the settings; staff and operators look. */
  mayManage: boolean;
}

export interface StockPageData {
  skus: SkuStockView[];
  /** Platforms whose shop is connected but cannot be written now (revoked, must authorize again). */
  paused: { platform: string; status: string }[];
}

const PLATFORM: Record<string, string> = { kuaishou: '快手 Kuaishou', youzan: '有赞 Youzan' };
const MODE: Record<string, string> = { auto: '自动 Auto', split: '分配 Split', pool: '共享 Pool' };

function shown(s: SkuStockView, paused: Set<string>): SafeHtml {
  if (!s.allocations.length) return html`<span class="badge muted">未绑定 Not bound</span>`;
  return html`${s.allocations.map(
    (a) =>
      html`<div data-testid="shows-${s.skuCode}-${a.platform}">${PLATFORM[a.platform] ?? a.platform}: <strong>${a.established ? a.allotted : '—'}</strong>
      ${paused.has(a.platform) ? html`<span class="badge bad">已暂停 Paused</span>` : !a.established ? html`<span class="badge muted">尚未读取 Not read yet</span>` : a.unwritable ? html`<span class="badge warn" title="${a.unwritable}">暂不能修改 Cannot be lowered now</span>` : a.target !== a.allotted ? html`<span class="badge warn">调整中 Adjusting → ${a.target}</span>` : ''}</div>`,
  )}`;
}

function settingsForm(merchantId: string, s: SkuStockView, viewer: StockViewer): SafeHtml {
  if (!viewer.mayManage) return html``;
  const id = (f: string) => `${f}-${s.skuCode}`;
  return html`<details data-testid="settings-${s.skuCode}"><summary>设置 Settings</summary>
    <form method="post" action="/merchants/${merchantId}/stock/${encodeURIComponent(s.skuCode)}/settings">
      <input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">
      <p><label for="${id('safety')}">安全库存 Safety stock (never offered)</label><br><input id="${id('safety')}" name="safetyStock" inputmode="numeric" pattern="[0-9]*" value="${s.safetyStock}" data-testid="safety-${s.skuCode}"></p>
      <p><label for="${id('mode')}">分配方式 Allocation</label><br><select id="${id('mode')}" name="allocationMode">${['auto', 'split', 'pool'].map((m) => html`<option value="${m}"${m === s.allocationMode ? new SafeHtml(' selected') : ''}>${MODE[m]}</option>`)}</select></p>
      <p><label for="${id('scarce')}">少于此数量时共享 Pool below (sellable units)</label><br><input id="${id('scarce')}" name="scarceBelow" inputmode="numeric" pattern="[0-9]*" value="${s.scarceBelow}"></p>
      <p><label for="${id('tranche')}">共享时每个平台显示 Units per platform while pooling</label><br><input id="${id('tranche')}" name="tranche" inputmode="numeric" pattern="[0-9]*" value="${s.tranche}"></p>
      <button class="button" type="submit" data-testid="save-settings-${s.skuCode}">保存 Save</button>
    </form></details>`;
}

/** Per SKU: what the ERP says we have, what open orders hold, what may be sold, and what each platform shows. */
export function stockPage(
  merchant: { id: string; name: string },
  data: StockPageData,
  sandbox: boolean,
  viewer: StockViewer,
  notice?: { ok: boolean; text: string },
): string {
  const paused = new Set(data.paused.map((p) => p.platform));
  return page(
    `${merchant.name} · 库存 Stock`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'stock', { owner: viewer.mayManage })}
    <h1>库存 Stock</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" role="status" data-testid="notice">${notice.text}</div>` : ''}
    ${data.paused.map((p) => html`<div class="notice bad card" data-testid="paused-${p.platform}">${PLATFORM[p.platform] ?? p.platform}: 已暂停 Paused — ${p.status === 'revoked' ? '店铺已撤回授权 the shop withdrew access' : '需要重新授权 authorize again'}; its units stay counted and the other platform is lowered to fit. <a href="/merchants/${merchant.id}">去授权 Authorize again</a></div>`)}
    <div class="card"><p>现有 Have: 仓库（ERP）报的数量 what the ERP reports · 占用 Held: 未发货订单占用 held by open orders · 可售 Sellable = 现有 − 占用 − 安全库存. 平台显示的数量是服务所知的（最近一次写入或读取） What each platform shows is the service's knowledge (its last write or read back), not a live read.</p>
    ${
      data.skus.length
        ? html`<div class="scroll"><table data-testid="stock-table"><thead><tr><th>商品 SKU</th><th>现有 Have</th><th>占用 Held</th><th>可售 Sellable</th><th>平台显示（服务所知） Platforms show (as the service knows)</th></tr></thead><tbody>
      ${data.skus.map(
        (s) =>
          html`<tr data-testid="stock-${s.skuCode}"><td><strong>${s.skuCode}</strong> ${s.title ?? ''}${s.managed ? '' : html` <span class="badge muted">ERP 尚未报告 ERP has not reported it</span>`}${settingsForm(merchant.id, s, viewer)}</td>
          <td data-testid="have-${s.skuCode}">${s.onHand}</td><td data-testid="held-${s.skuCode}">${s.reserved}</td><td data-testid="sellable-${s.skuCode}">${s.sellable}</td><td>${shown(s, paused)}</td></tr>`,
      )}</tbody></table></div>`
        : html`<p data-testid="no-stock">还没有商品 No SKU yet.</p>`
    }</div>`,
    { sandbox },
  );
}
