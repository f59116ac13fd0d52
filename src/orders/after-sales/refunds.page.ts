import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { PageNotice } from '@app/auth/merchant-page';
import { merchantNav } from '@app/common/http/merchant-nav';
import { formatTime, html, page, SafeHtml } from '../../common/http/html';
import type { RefundAction } from '../../platforms/ports/after-sales.port';
import { RefundPageView, RefundView } from './refunds.service';

const STATUS_TONE: Record<string, string> = {
  requested: 'warn',
  in_progress: 'warn',
  refused: 'muted',
  succeeded: 'ok',
  closed: 'muted',
};

const yuan = (fen: number): string => (fen / 100).toFixed(2);

const ACTION_LABEL: Record<RefundAction, string> = {
  agree: '同意退款 Agree',
  refuse: '拒绝 Refuse',
  agree_return: '同意退货 Agree return',
  confirm_received: '确认收货 Goods received',
};

/** One small form per action the platform offers now; a refusal asks for its reason (and Kuaishou's code). */
function actionForms(
  merchantId: string,
  r: RefundView,
  csrf: string,
  reasons?: { code: number; text: string }[],
): SafeHtml | string {
  if (!r.actions.length || !csrf) return '';
  const action = `/merchants/${merchantId}/refunds/${r.id}/actions`;
  const hidden = (a: RefundAction) =>
    html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><input type="hidden" name="action" value="${a}">`;
  return html`${r.actions.map((a) => {
    const extra =
      a === 'refuse'
        ? html`<input name="reason" required maxlength="200" placeholder="reason" size="10">${
            r.platform !== 'kuaishou'
              ? ''
              : reasons?.length
                ? html`<select name="reasonCode" required data-testid="refund-reason-codes-${r.platformRefundId}">${reasons.map((c) => html`<option value="${String(c.code)}">${String(c.code)} ${c.text}</option>`)}</select>`
                : html`<input name="reasonCode" required inputmode="numeric" pattern="[0-9]{1,6}" placeholder="code" size="4">`
          }`
        : a === 'agree_return' && r.platform === 'youzan'
          ? html`<input name="returnName" required maxlength="40" placeholder="name" size="6"><input name="returnMobile" required placeholder="mobile" size="8"><input name="returnAddress" required maxlength="200" placeholder="return address" size="12">`
          : '';
    return html`<form method="post" action="${action}" style="display:inline" data-testid="refund-action-${a}-${r.platformRefundId}">${hidden(a)}${extra}<button class="button ${a === 'refuse' ? 'secondary' : ''}" type="submit">${ACTION_LABEL[a]}</button></form> `;
  })}`;
}

/** Refunds and returns from both platforms, with what each put back on sale. */
export function refundsPage(
  merchant: { id: string; name: string },
  view: RefundPageView,
  sandbox: boolean,
  principal: UserPrincipal,
  notice?: PageNotice,
  /** The platform's refusal reason codes per refund (registry id), where they were read for the page. */
  reasons: Map<string, { code: number; text: string }[]> = new Map(),
): string {
  // Owners and staff answer refunds; ops and admins only look.
  const mayAct = principal.role === 'owner' || principal.role === 'staff';
  const csrf = principal.kind === 'session' && mayAct ? principal.csrfToken : '';
  const rows = view.items.map(
    (r) => html`<tr data-testid="refund-${r.platform}-${r.platformRefundId}">
      <td>${r.platform}</td>
      <td><code>${r.platformRefundId}</code></td>
      <td><code>${r.platformOrderId}</code> ${r.platformLineIds.length > 1 ? `(${r.platformLineIds.length} lines)` : ''}</td>
      <td><span class="badge ${STATUS_TONE[r.status] ?? 'muted'}">${r.status}</span> <code>${r.rawStatus}</code></td>
      <td>${r.kind}${r.priceProtection ? ' · price protection' : ''}</td>
      <td>¥${yuan(r.amountFen)}</td>
      <td>${r.quantity ?? '—'}</td>
      <td data-testid="restock-${r.platformRefundId}">${r.restockUnits}</td>
      <td>${formatTime(r.platformUpdatedAt)}</td>
      <td>${actionForms(merchant.id, r, csrf, reasons.get(r.id))}</td>
    </tr>`,
  );
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  return page(
    `Refunds · ${merchant.name}`,
    html`${accountBar(principal)}${merchantNav(merchant.id, 'refunds', { owner: principal.role === 'owner' })}${
      notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''
    }<div class="card">
      <h1>退款售后 Refunds</h1>
      <p><a href="/merchants/${merchant.id}">${merchant.name}</a> · <a href="/api/merchants/${merchant.id}/refunds">JSON</a>
        · ${view.total} refunds, page ${view.page} of ${pages}</p>
      <form method="get"><select name="status"><option value="">all statuses</option>
        ${['requested', 'in_progress', 'refused', 'succeeded', 'closed'].map((s) => html`<option value="${s}">${s}</option>`)}
      </select> <select name="platform"><option value="">both platforms</option><option value="kuaishou">kuaishou</option><option value="youzan">youzan</option></select>
      <input name="platformOrderId" placeholder="platform order id" size="24"> <button class="button secondary" type="submit">Filter</button></form>
      ${
        rows.length
          ? html`<div class="scroll"><table data-testid="refunds"><thead><tr><th>Platform</th><th>Refund</th><th>Order</th><th>Status</th><th>Kind</th>
            <th>Amount</th><th>Units</th><th>Back on sale</th><th>Platform update</th><th>Actions</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<p data-testid="no-refunds">No refunds yet.</p>`
      }
    </div>`,
    { sandbox },
  );
}
