import { merchantNav } from '@app/common/http/merchant-nav';
import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page, SafeHtml } from '@app/common/http/html';
import { CampaignReport } from '../campaign.service';

export interface CampaignsViewer {
  principal: UserPrincipal;
  csrfToken: string;
  mayManage: boolean;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** Coupon campaigns: the create form (owners) and each campaign's report (shared budget, who paid). */
export function campaignsPage(
  merchant: { id: string; name: string },
  reports: CampaignReport[],
  sandbox: boolean,
  viewer: CampaignsViewer,
  notice?: { ok: boolean; text: string },
): string {
  const base = `/merchants/${merchant.id}/campaigns`;
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">`;
  const field = (name: string, label: string, attrs: string, value = '') =>
    html`<p><label for="campaign-${name}">${label}</label>
      <input id="campaign-${name}" name="${name}" ${attrs === 'date' ? html`type="date"` : html`inputmode="numeric" pattern="[0-9]+"`} value="${value}" required></p>`;
  const form = viewer.mayManage
    ? html`<div class="card"><h2>新建活动 New campaign</h2>
      <form method="post" action="${base}" data-testid="campaign-form">${csrf}
        <p><label for="campaign-name">名称 Name</label> <input id="campaign-name" name="name" maxlength="100" required></p>
        <p><label for="campaign-discountFen">优惠金额 Discount (分 fen)</label>
          <input id="campaign-discountFen" name="discountFen" inputmode="numeric" pattern="[0-9]*"></p>
        <p><label for="campaign-payPercent">或折扣 Or pay % (88 = 8.8折, Youzan only)</label>
          <input id="campaign-payPercent" name="payPercent" inputmode="numeric" pattern="[0-9]*" size="3">
          <label for="campaign-max">最多优惠 Max off per order (分 fen, needed with a rate)</label>
          <input id="campaign-max" name="maxMerchantDiscountFen" inputmode="numeric" pattern="[0-9]*"></p>
        <p><label for="campaign-platform">平台 Platforms</label>
          <select id="campaign-platform" name="platform"><option value="">both 两个平台</option>
          <option value="kuaishou">Kuaishou only</option><option value="youzan">Youzan only</option></select></p>
        ${field('thresholdFen', '使用门槛 Threshold (分 fen, 0 = none)', 'num', '0')}
        ${field('budget', '总预算 Budget (coupons, both platforms)', 'num')}
        ${field('perBuyerLimit', '每人限领 Per-buyer limit', 'num', '1')}
        ${field('startDate', '开始日期 Start date', 'date')}
        ${field('endDate', '结束日期 End date', 'date')}
        <button class="button" type="submit" data-testid="create-campaign">创建 Create</button>
      </form></div>`
    : '';
  const cards = reports.map(
    (r) => html`<div class="card" data-testid="campaign-${r.campaign.id}">
      <h2>${r.campaign.name} <span class="badge ${r.campaign.status === 'live' ? 'ok' : 'warn'}">${r.campaign.status}</span></h2>
      <p>${r.campaign.payPercent === null ? html`${yuan(r.campaign.discountFen)} off` : html`pay ${r.campaign.payPercent}% (${r.campaign.payPercent / 10}折)`}${r.campaign.thresholdFen ? html` orders from ${yuan(r.campaign.thresholdFen)}` : ''},
        ${formatTime(r.campaign.startsAt)} – ${formatTime(r.campaign.endsAt)}</p>
      <p data-testid="budget">预算 Budget ${r.campaign.budget} · 已领 claimed ${r.claimedTotal} · 已用 redeemed ${r.redeemedTotal} ·
        剩余 remaining <strong>${r.remainingBudget}</strong></p>
      <div class="scroll"><table><thead><tr><th>Platform</th><th>Coupon</th><th>Allotted</th><th>Claimed</th><th>Used</th><th>Merchant paid</th><th>Platform paid</th></tr></thead>
      <tbody>${r.platforms.map(
        (
          p,
        ) => html`<tr data-testid="platform-${p.platform}"><td>${p.platform}</td><td><code>${p.couponId ?? '—'}</code></td>
          <td>${p.allotted}</td><td>${p.claimed ?? '?'}</td><td>${p.used ?? '?'}</td>
          <td>${yuan(p.merchantCostFen)}</td><td>${yuan(p.platformCostFen)}</td></tr>`,
      )}</tbody></table></div>
      <p>异常 Anomalies: ${Object.entries(r.anomalies)
        .filter(([, n]) => n > 0)
        .map(
          ([k, n]) => html`<span class="badge bad">${k} ${n}</span> `,
        )}${Object.values(r.anomalies).some((n) => n > 0) ? '' : 'none'}
        · <a href="/api/merchants/${merchant.id}/campaigns/${r.campaign.id}/anomalies">evidence (JSON)</a></p>
      ${viewer.mayManage && r.campaign.status !== 'ended' ? actions(base, r, csrf) : ''}
    </div>`,
  );
  return page(
    `${merchant.name} · 优惠券 Campaigns`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'campaigns', { owner: viewer.mayManage })}<h1>优惠券活动 Coupon campaigns</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''}
    ${form}
    ${reports.length ? cards : html`<p>No campaign yet.</p>`}
    <p><a href="/merchants/${merchant.id}">← ${merchant.name}</a></p>`,
    { sandbox },
  );
}

/** End and edit (owners): empty edit fields stay as they are; a platform that cannot change one says so. */
function actions(base: string, r: CampaignReport, csrf: SafeHtml): SafeHtml {
  const id = r.campaign.id;
  return html`<form method="post" action="${base}/${id}/edit" data-testid="edit-campaign-${id}">${csrf}
      <label for="edit-budget-${id}">总预算 Budget</label>
      <input id="edit-budget-${id}" name="budget" inputmode="numeric" pattern="[0-9]*" placeholder="${String(r.campaign.budget)}" size="6">
      <label for="edit-end-${id}">结束日期 End date</label> <input id="edit-end-${id}" name="endDate" type="date">
      <label for="edit-limit-${id}">每人限领 Per-buyer limit</label>
      <input id="edit-limit-${id}" name="perBuyerLimit" inputmode="numeric" pattern="[0-9]*" placeholder="${String(r.campaign.perBuyerLimit)}" size="3">
      <button class="button" type="submit">修改 Edit on every platform</button>
    </form>
    <form method="post" action="${base}/${id}/end" data-testid="end-campaign-${id}">${csrf}
      <button class="button" type="submit">结束 End on every platform</button>
    </form>`;
}
