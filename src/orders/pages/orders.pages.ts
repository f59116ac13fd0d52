import { merchantNav } from '@app/common/http/merchant-nav';
import { accountBar } from '@app/auth/pages/auth.pages';
import { UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page } from '@app/common/http/html';
import { OrderView } from '../order.view';
import { ShopOnTime } from '../orders.service';

const RISK_LABEL: Record<string, [string, string]> = {
  h12: ['12 h 内 Under 12 h', 'warn'],
  h4: ['4 h 内 Under 4 h', 'bad'],
  overdue: ['已超时 Overdue', 'bad'],
};

const fen = (value: number) => `¥${(value / 100).toFixed(2)}`;

/** The merchant's orders of both platforms: every id, status, deadline and risk, and the on-time rate per shop. */
export function ordersPage(
  merchant: { id: string; name: string },
  orders: { items: OrderView[]; total: number },
  onTime: ShopOnTime[],
  principal: UserPrincipal,
  filter: { id?: string; status?: string },
  sandbox: boolean,
): string {
  const rows = orders.items.map(
    (o) => html`<tr data-testid="order-${o.platformOrderId}">
      <td>${o.platform}</td>
      <td><code data-testid="platform-id">${o.platformOrderId}</code>${o.platform === 'youzan' && o.lines.length ? html`<br><small>lines: ${o.lines.map((l) => l.lineId).join(', ')}</small>` : ''}</td>
      <td><code data-testid="erp-id">${o.erpOrderId ?? '—'}</code></td>
      <td data-testid="status">${o.status} <small>(${o.rawStatus})</small></td>
      <td data-testid="deadline">${formatTime(o.deadline.at)}${o.deadline.source ? html` <small>${o.deadline.source}</small>` : ''}
        ${o.deadline.risk ? html`<span class="badge ${RISK_LABEL[o.deadline.risk][1]}" data-testid="risk">${RISK_LABEL[o.deadline.risk][0]}</span>` : ''}
        ${o.deadline.holds.length ? html`<span class="badge muted">${o.deadline.holds.join(', ')}</span>` : ''}</td>
      <td>${fen(o.amounts.paidFen)}</td>
      <td>${o.buyer.name ?? ''} ${o.buyer.phone ?? ''}</td>
      <td><a href="/api/merchants/${merchant.id}/orders/${o.id}">JSON</a></td>
    </tr>`,
  );
  return page(
    `${merchant.name} · 订单 Orders`,
    html`${accountBar(principal)}${merchantNav(merchant.id, 'orders', { owner: principal.role === 'owner' })}<h1>订单 Orders</h1>
    <p><a href="/merchants/${merchant.id}">← ${merchant.name}</a></p>
    <div class="card" data-testid="on-time"><h2>准时发货率 On-time shipping (30 days)</h2>
      ${
        onTime.length
          ? html`<ul>${onTime.map((s) => html`<li data-testid="on-time-${s.platform}">${s.platform}: ${s.rate === null ? '—' : `${(s.rate * 100).toFixed(1)} %`} (${s.onTime}/${s.due})</li>`)}</ul>`
          : html`<p>No shop connected.</p>`
      }
    </div>
    <div class="card">
      <form method="get" action="/merchants/${merchant.id}/orders">
        <input name="id" value="${filter.id ?? ''}" placeholder="任意订单号 Any order id" data-testid="order-search">
        <input name="status" value="${filter.status ?? ''}" placeholder="paid,shipped">
        <button class="button secondary" type="submit">查找 Find</button>
      </form>
      <p>${orders.total} orders</p>
      <div class="scroll"><table data-testid="orders"><thead><tr><th>Platform</th><th>Order id</th><th>ERP id</th><th>Status</th><th>Ship by</th><th>Paid</th><th>Buyer (masked)</th><th></th></tr></thead>
      <tbody>${rows}</tbody></table></div>
    </div>`,
    { sandbox },
  );
}
