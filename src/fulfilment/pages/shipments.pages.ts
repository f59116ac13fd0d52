import { merchantNav } from '@app/common/http/merchant-nav';
import { accountBar } from '@app/auth/pages/auth.pages';
import { UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page } from '@app/common/http/html';
import { ShipmentEntity, ShipmentStatus } from '../shipment.entity';

const STATUS_LABEL: Record<ShipmentStatus, [string, string]> = {
  requested: ['待发送 Requested', 'muted'],
  sending: ['发送中 Sending', 'muted'],
  unknown: ['待确认 Unknown', 'warn'],
  shipped: ['已发货 Shipped', 'ok'],
  failed: ['失败 Failed', 'bad'],
};

/** The merchant's shipments: order, carrier and waybill, status, and the platform's reason for a failure. */
export function shipmentsPage(
  merchant: { id: string; name: string },
  shipments: ShipmentEntity[],
  sandbox: boolean,
  principal: UserPrincipal,
): string {
  const rows = shipments.map((s) => {
    const [label, tone] = STATUS_LABEL[s.status];
    return html`<tr data-testid="shipment-${s.id}">
      <td>${s.platform} <code>${s.platformOrderId}</code></td>
      <td>${s.carrier} <code>${s.trackingNo}</code></td>
      <td>${s.lines ? s.lines.map((l) => `${l.lineId}×${l.quantity}`).join(', ') : '整单 Whole order'}</td>
      <td>${s.source}</td>
      <td><span class="badge ${tone}" data-testid="status-${s.id}">${label}</span>
        ${s.reason ? html`<div data-testid="reason-${s.id}">${s.reason}</div>` : ''}</td>
      <td>${formatTime(s.createdAt)}</td>
      <td>${formatTime(s.shippedAt)}</td>
    </tr>`;
  });
  return page(
    `${merchant.name} · 发货 Shipments`,
    html`${accountBar(principal)}${merchantNav(merchant.id, 'shipments', { owner: principal.role === 'owner' })}<h1>发货回传 Shipments</h1>
    <p><a href="/merchants/${merchant.id}">${merchant.name}</a> · <a href="/api/merchants/${merchant.id}/shipments">JSON</a></p>
    <div class="card" data-testid="shipments">
      ${
        shipments.length
          ? html`<div class="scroll"><table><thead><tr><th>订单 Order</th><th>物流 Carrier / waybill</th><th>商品 Lines</th><th>来源 Source</th><th>状态 Status</th><th>创建 Created</th><th>发货 Shipped</th></tr></thead>
          <tbody>${rows}</tbody></table></div>`
          : html`<p>No shipment yet. The ERP sends them to <code>POST /webhooks/erp/shipments</code>.</p>`
      }
    </div>`,
    { sandbox },
  );
}
