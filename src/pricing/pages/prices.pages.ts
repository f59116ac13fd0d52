import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { fenToYuan } from '@app/common/money';
import { formatTime, html, page, SafeHtml } from '@app/common/http/html';
import { merchantNav } from '@app/common/http/merchant-nav';
import { SkuPriceOverview } from '../price-overview.service';

export interface PricesViewer {
  principal: UserPrincipal;
  csrfToken: string;
  /** Owners set prices; staff and operators look. */
  mayManage: boolean;
}

const PLATFORM: Record<string, string> = { kuaishou: '快手 Kuaishou', youzan: '有赞 Youzan' };
const MASTER: Record<string, string> = { erp: 'ERP', kuaishou: '快手 Kuaishou', youzan: '有赞 Youzan' };
const SHOP_STATE: Record<string, [string, string]> = {
  active: ['', ''],
  needs_reauth: ['已暂停 Paused: authorize again', 'bad'],
  revoked: ['已暂停 Paused: access withdrawn', 'bad'],
  unbound: ['已解绑 Unbound', 'muted'],
};

const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '—' : `¥${fenToYuan(fen)}`);
const percent = (bp: number) => `${(bp / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

function spreadBadge(s: SkuPriceOverview): SafeHtml {
  if (s.spreadBp === null)
    return html`<span class="badge muted" data-testid="spread-${s.skuCode}">尚无两个价格 Not two prices seen yet</span>`;
  return html`<span class="badge ${s.withinLimit ? 'ok' : 'bad'}" data-testid="spread-${s.skuCode}">${percent(s.spreadBp)} / ${percent(s.limitBp)} ${s.withinLimit ? '在上限内 Within the limit' : '超过上限 Over the limit'}</span>`;
}

function skuCard(merchantId: string, s: SkuPriceOverview, viewer: PricesViewer): SafeHtml {
  const platforms = [...new Set(s.listings.map((l) => l.platform))];
  return html`<div class="card" data-testid="price-sku-${s.skuCode}">
    <h2>${s.skuCode} ${s.title ?? ''}</h2>
    <p>价差 Spread: ${spreadBadge(s)} · 主价格 Price master: <strong>${MASTER[s.master] ?? s.master}</strong></p>
    <div class="scroll"><table><thead><tr><th>平台 Platform</th><th>平台显示的价格 Price the platform shows<br><small>(服务上次看到的 as last seen by the service)</small></th><th>看到时间 Seen</th></tr></thead><tbody>
    ${s.listings.map((l) => {
      const [state, tone] = SHOP_STATE[l.shopStatus] ?? [l.shopStatus, 'muted'];
      return html`<tr><td>${PLATFORM[l.platform] ?? l.platform} <code>${l.platformSkuId}</code> ${state ? html`<span class="badge ${tone}">${state}</span>` : ''}</td>
        <td data-testid="shown-${s.skuCode}-${l.platform}">${yuan(l.lastSeenFen)}</td><td>${formatTime(l.lastSeenAt)}</td></tr>`;
    })}
    </tbody></table></div>
    ${
      s.pendingWrites.length
        ? html`<p data-testid="pending-${s.skuCode}"><span class="badge warn">写入中 Being written</span> ${s.pendingWrites.map((w) => html`${PLATFORM[w.platform] ?? w.platform} → ${yuan(w.priceFen)} `)}</p>`
        : ''
    }
    ${
      s.findings.length
        ? html`<details data-testid="findings-${s.skuCode}"><summary>巡检发现 Audit findings (${s.findings.length})</summary><ul>${s.findings.map(
            (f) =>
              html`<li>${formatTime(f.createdAt)} · ${PLATFORM[f.platform] ?? f.platform}: ${yuan(f.observedFen)}${f.expectedFen !== null ? html` (我们写的是 we had written ${yuan(f.expectedFen)})` : ''}, 价差 spread ${percent(f.spreadBp)} — ${f.action}</li>`,
          )}</ul></details>`
        : ''
    }
    ${
      viewer.mayManage
        ? html`<form method="post" action="/merchants/${merchantId}/prices/${encodeURIComponent(s.skuCode)}" data-testid="price-form-${s.skuCode}">
      <input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">
      <label>新价格 New price (元 yuan) <input name="priceYuan" inputmode="decimal" required pattern="[0-9]{1,6}([.][0-9]{1,2})?" size="9" placeholder="99.90" data-testid="price-yuan-${s.skuCode}"></label>
      <label>平台 Platform <select name="platform" data-testid="price-platform-${s.skuCode}"><option value="">两个平台（按策略）Both, per policy</option>${platforms.map((p) => html`<option value="${p}">${PLATFORM[p] ?? p}</option>`)}</select></label>
      <button class="button" type="submit" data-testid="price-submit-${s.skuCode}">设置 Set price</button></form>`
        : ''
    }
  </div>`;
}

/** The price overview of a merchant: per SKU what each platform shows, the spread against the limit, findings, writes in flight. */
export function pricesPage(
  merchant: { id: string; name: string },
  skus: SkuPriceOverview[],
  sandbox: boolean,
  viewer: PricesViewer,
  notice?: { ok: boolean; text: string },
): string {
  return page(
    `${merchant.name} · 价格 Prices`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'prices', { owner: viewer.mayManage })}
    <h1>价格 Prices</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" role="status" data-testid="notice">${notice.text}</div>` : ''}
    <p class="card">两个平台的价差保持在上限内（默认 10%），价差 = 最高价 ÷ 最低价 − 1。 The gap between the platforms is kept within the limit (10% unless set lower): spread = highest ÷ lowest − 1. Prices shown are the last ones the service saw; the hourly audit reads them again.</p>
    ${skus.length ? skus.map((s) => skuCard(merchant.id, s, viewer)) : html`<div class="card" data-testid="no-prices">还没有绑定的商品 No bound SKU yet.</div>`}`,
    { sandbox },
  );
}
