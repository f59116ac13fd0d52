import { merchantNav } from '@app/common/http/merchant-nav';
import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page } from '@app/common/http/html';
import { MERCHANT_EVENT_TYPES } from '@app/messaging/contracts/merchant-event-raised/merchant-event-raised.contract';
import { OutboundDeliveryEntity, OutboundDeliveryStatus } from '../outbound-delivery.entity';
import { WebhookSubscriptionEntity } from '../webhook-subscription.entity';

export interface WebhooksViewer {
  principal: UserPrincipal;
  csrfToken: string;
  /** Owners manage subscriptions and replay; staff and operators look. */
  mayManage: boolean;
}

const STATUS_TONE: Record<OutboundDeliveryStatus, string> = {
  pending: 'warn',
  delivered: 'ok',
  failed: 'bad',
  cancelled: 'muted',
};

/** Subscriptions, the secret once after a create or rotate, and the recent deliveries with replay. */
export function webhooksPage(
  merchant: { id: string; name: string },
  subscriptions: WebhookSubscriptionEntity[],
  deliveries: OutboundDeliveryEntity[],
  sandbox: boolean,
  viewer: WebhooksViewer,
  notice?: { ok: boolean; text: string },
  issuedSecret?: { subscriptionId: string; secret: string },
): string {
  const base = `/merchants/${merchant.id}/webhooks`;
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">`;
  const subscriptionRows = subscriptions.map(
    (s) => html`<tr data-testid="subscription-${s.id}">
      <td><code>${s.url}</code>${s.description ? html`<br>${s.description}` : ''}</td>
      <td>${s.eventTypes.join(', ')}</td>
      <td>${s.previousSecretUntil && s.previousSecretUntil > Date.now() ? html`old secret signs until ${formatTime(s.previousSecretUntil)}` : '—'}</td>
      ${
        viewer.mayManage
          ? html`<td><form method="post" action="${base}/subscriptions/${s.id}/rotate" style="display:inline">${csrf}<button class="button secondary" type="submit">轮换密钥 Rotate secret</button></form>
            <form method="post" action="${base}/subscriptions/${s.id}/delete" style="display:inline">${csrf}<button class="button danger" type="submit">删除 Delete</button></form></td>`
          : ''
      }
    </tr>`,
  );
  const deliveryRows = deliveries.map(
    (d) => html`<tr data-testid="delivery-${d.id}">
      <td>${formatTime(d.createdAt)}</td><td>${d.eventType}</td><td><code>${d.subject}</code></td>
      <td><span class="badge ${STATUS_TONE[d.status]}">${d.status}</span></td>
      <td>${d.attempts}</td><td>${d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '')}</td>
      ${
        viewer.mayManage && (d.status === 'delivered' || d.status === 'failed')
          ? html`<td><form method="post" action="${base}/deliveries/${d.id}/replay">${csrf}<button class="button secondary" type="submit">重发 Replay</button></form></td>`
          : html`<td></td>`
      }
    </tr>`,
  );
  const checkboxes = MERCHANT_EVENT_TYPES.map(
    (t) =>
      html`<label style="display:inline-block;margin-right:12px"><input type="checkbox" name="eventTypes" value="${t}"> ${t}</label>`,
  );
  return page(
    `${merchant.name} · Webhooks`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'webhooks', { owner: viewer.mayManage })}<h1>ERP Webhooks</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''}
    ${
      issuedSecret
        ? html`<div class="notice ok card" data-testid="issued-secret">签名密钥（仅显示一次） Signing secret, shown only now: <code>${issuedSecret.secret}</code></div>`
        : ''
    }
    <div class="card"><h2>订阅 Subscriptions</h2>
      ${subscriptions.length ? html`<div class="scroll"><table><thead><tr><th>URL</th><th>Events</th><th>Rotation</th>${viewer.mayManage ? html`<th></th>` : ''}</tr></thead><tbody>${subscriptionRows}</tbody></table></div>` : html`<p>No subscription yet.</p>`}
      ${
        viewer.mayManage
          ? html`<form method="post" action="${base}/subscriptions" data-testid="create-subscription">${csrf}
          <p><input name="url" size="60" style="max-width:100%;box-sizing:border-box" required placeholder="https://erp.example.com/hooks"> <input name="description" placeholder="description"></p>
          <p>${checkboxes}</p><button class="button" type="submit">添加 Add subscription</button></form>`
          : ''
      }
    </div>
    <div class="card"><h2>投递记录 Delivery log</h2>
      ${deliveries.length ? html`<div class="scroll"><table><thead><tr><th>Created</th><th>Event</th><th>Subject</th><th>Status</th><th>Attempts</th><th>Last answer</th><th></th></tr></thead><tbody>${deliveryRows}</tbody></table></div>` : html`<p>Nothing delivered yet.</p>`}
    </div>
    <p><a href="/merchants/${merchant.id}">← ${merchant.name}</a></p>`,
    { sandbox },
  );
}
