import { accountBar } from '@app/auth/pages/auth.pages';
import type { UserPrincipal } from '@app/auth/principal';
import { merchantNav } from '@app/common/http/merchant-nav';
import { formatTime, html, page } from '../../common/http/html';
import { RefundPageView } from './refunds.service';

const STATUS_TONE: Record<string, string> = {
  requested: 'warn',
  in_progress: 'warn',
  refused: 'muted',
  succeeded: 'ok',
  closed: 'muted',
};

const yuan = (fen: number): string => (fen / 100).toFixed(2);

/** Refunds and returns from both platforms, with what each put back on sale. */
export function refundsPage(
  merchant: { id: string; name: string },
  view: RefundPageView,
  sandbox: boolean,
  principal: UserPrincipal,
): string {
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
    </tr>`,
  );
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  return page(
    `Refunds · ${merchant.name}`,
    html`${accountBar(principal)}${merchantNav(merchant.id, 'refunds', { owner: principal.role === 'owner' })}<div class="card">
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
            <th>Amount</th><th>Units</th><th>Back on sale</th><th>Platform update</th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<p data-testid="no-refunds">No refunds yet.</p>`
      }
    </div>`,
    { sandbox },
  );
}
