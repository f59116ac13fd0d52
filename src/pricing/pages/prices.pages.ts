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

const listingName = (l: { platform: string; bound: boolean }) =>
  html`${PLATFORM[l.platform] ?? l.platform}${l.bound ? '' : html` <span class="badge muted">已解绑 Unbound</span>`}`;

function effectiveLine(s: SkuPriceOverview): SafeHtml {
  if (s.effectiveSpreadBp === null) return html``;
  const discounts = s.discounts.length
    ? s.discounts.map(
        (d) =>
          html`${PLATFORM[d.platform] ?? d.platform}: ${d.name} −${yuan(d.discountFen)}${d.thresholdFen ? html` (满 from ${yuan(d.thresholdFen)})` : ''} `,
      )
    : html`没有进行中的商家优惠 no merchant-funded discount running`;
  return html`<p data-testid="effective-${s.skuCode}">优惠后价差 Spread after merchant discounts: <strong data-testid="effective-spread-${s.skuCode}">${percent(s.effectiveSpreadBp)}</strong> · ${discounts}</p>`;
}

function violationBlock(s: SkuPriceOverview): SafeHtml {
  const v = s.violation;
  if (!v) return html``;
  const wouldDo =
    v.wouldDo === 'correct'
      ? html`巡检将按策略改价 The audit corrects it per policy: ${v.corrections.map((c) => html`${PLATFORM[c.platform] ?? c.platform} ${yuan(c.fromFen)} → <strong>${yuan(c.toFen)}</strong> `)}`
      : html`巡检只报警，不改价 The audit raises an alert and writes nothing (${v.action})`;
  return html`<div class="notice bad" data-testid="violation-${s.skuCode}">
    <p><strong>价差超限 Over the limit</strong>: ${percent(v.spreadBp)} / ${percent(v.limitBp)} · 优惠后 after merchant discounts ${percent(v.effectiveSpreadBp)}</p>
    <p data-testid="violation-off-${s.skuCode}">偏离的商品 Off: ${v.off.length ? v.off.map((o) => html`${listingName(o)} ${yuan(o.priceFen)} `) : '—'}</p>
    <p data-testid="violation-action-${s.skuCode}">${wouldDo}</p>
  </div>`;
}

function violationsSummary(skus: SkuPriceOverview[]): SafeHtml {
  const over = skus.filter((s) => s.violation);
  if (!over.length)
    return html`<div class="card" data-testid="violations-none">没有超限的商品 No SKU over the limit (as last seen).</div>`;
  return html`<div class="card" data-testid="violations"><h2>价差超限 Violations (${over.length})</h2>
    <div class="scroll"><table><thead><tr><th>SKU</th><th>价差 Spread / 上限 limit</th><th>优惠后 After discounts</th><th>偏离 Off</th><th>策略 Policy would</th></tr></thead><tbody>
    ${over.map(
      (
        s,
      ) => html`<tr data-testid="violation-row-${s.skuCode}"><td><code>${s.skuCode}</code></td><td>${percent(s.violation!.spreadBp)} / ${percent(s.violation!.limitBp)}</td>
      <td>${percent(s.violation!.effectiveSpreadBp)}</td><td>${s.violation!.off.map((o) => html`${listingName(o)} ${yuan(o.priceFen)} `)}</td>
      <td>${s.violation!.wouldDo === 'correct' ? html`改价 correct: ${s.violation!.corrections.map((c) => html`${PLATFORM[c.platform] ?? c.platform} → ${yuan(c.toFen)} `)}` : '报警 alert only'}</td></tr>`,
    )}
    </tbody></table></div></div>`;
}

function skuCard(merchantId: string, s: SkuPriceOverview, viewer: PricesViewer): SafeHtml {
  const platforms = [...new Set(s.listings.map((l) => l.platform))];
  return html`<div class="card" data-testid="price-sku-${s.skuCode}">
    <h2>${s.skuCode} ${s.title ?? ''}</h2>
    <p>价差 Spread: ${spreadBadge(s)} · 主价格 Price master: <strong>${MASTER[s.master] ?? s.master}</strong></p>
    ${effectiveLine(s)}
    ${violationBlock(s)}
    <div class="scroll"><table><thead><tr><th>平台 Platform</th><th>平台显示的价格 Price the platform shows<br><small>(服务上次看到的 as last seen by the service)</small></th><th>优惠后 After merchant discounts</th><th>看到时间 Seen</th></tr></thead><tbody>
    ${s.listings.map((l) => {
      const [state, tone] = SHOP_STATE[l.shopStatus] ?? [l.shopStatus, 'muted'];
      return html`<tr><td>${listingName(l)} <code>${l.platformSkuId}</code> ${state ? html`<span class="badge ${tone}">${state}</span>` : ''}</td>
        <td data-testid="shown-${s.skuCode}-${l.platform}">${yuan(l.lastSeenFen)}</td><td data-testid="effective-${s.skuCode}-${l.platform}">${yuan(l.effectiveFen)}</td><td>${formatTime(l.lastSeenAt)}</td></tr>`;
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
              html`<li>${formatTime(f.createdAt)} · ${PLATFORM[f.platform] ?? f.platform}: ${yuan(f.observedFen)}${f.expectedFen !== null ? html` (我们写的是 we had written ${yuan(f.expectedFen)})` : ''}, 价差 spread ${percent(f.spreadBp)}${f.effectiveSpreadBp !== null ? html`, 优惠后 after discounts ${percent(f.effectiveSpreadBp)}` : ''} — ${f.action}</li>`,
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
    <p class="card">两个平台的价差保持在上限内（默认 10%），价差 = 最高价 ÷ 最低价 − 1。 The gap between the platforms is kept within the limit (10% unless set lower): spread = highest ÷ lowest − 1. Prices shown are the last ones the service saw; the hourly audit reads them again. "After merchant discounts" is what a buyer of one unit pays with the best running campaign coupon that applies at that price: reported, never corrected on.</p>
    ${skus.length ? html`${violationsSummary(skus)}${skus.map((s) => skuCard(merchant.id, s, viewer))}` : html`<div class="card" data-testid="no-prices">还没有绑定的商品 No bound SKU yet.</div>`}`,
    { sandbox },
  );
}
