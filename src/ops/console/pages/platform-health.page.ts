import { accountBar } from '@app/auth/pages/auth.pages';
import { UserPrincipal } from '@app/auth/principal';
import { ConnectionStatus } from '@app/accounts/shop-connection.entity';
import { formatTime, html, page, SafeHtml } from '@app/common/http/html';
import { BreakerState } from '@app/platforms/shared/platform-gateway';
import { FailureAlertEntity } from '@app/ops/alerts/failure-alert.entity';
import { OpsAlertEntity, OpsAlertKind } from '@app/ops/alerts/ops-alert.entity';
import { opsNav } from './failure-center.pages';
import { PlatformHealthView, RECENT_HOURS, ShopRow } from '../platform-health.service';
import { BreakerRow, UsageRow } from '../platform-figures';

const PLATFORM_LABELS: Record<string, string> = { kuaishou: '快手 Kuaishou', youzan: '有赞 Youzan' };
const BREAKER_LABELS: Record<BreakerState, [string, string]> = {
  closed: ['正常 Closed', 'ok'],
  half_open: ['试探中 Half-open', 'warn'],
  open: ['已熔断 Open', 'bad'],
};
const CONNECTION_LABELS: Record<ConnectionStatus, [string, string]> = {
  active: ['授权有效 Grant valid', 'ok'],
  needs_reauth: ['授权已失效，需重新授权 Grant lost: authorize again', 'bad'],
  revoked: ['授权已撤销 Grant lost: revoked', 'bad'],
  unbound: ['已解绑 Unbound', 'muted'],
};

const count = (n: number, testid: string) =>
  html`<span class="badge ${n > 0 ? 'bad' : 'ok'}" data-testid="${testid}">${n}</span>`;

function usageTable(rows: UsageRow[], what: string, testid: string, windowMinutes?: number): SafeHtml {
  const withErrors = windowMinutes !== undefined;
  if (!rows.length)
    return html`<p data-testid="${testid}-none">
      ${withErrors ? `${windowMinutes} 分钟内无调用 No calls in the last ${windowMinutes} min.` : '最近一分钟无调用 No calls in the last minute.'}
    </p>`;
  // The error figures come right after the name, so a phone shows them before the table scrolls sideways.
  return html`<div class="scroll">
    <table data-testid="${testid}">
      <thead>
        <tr>
          <th scope="col">${what}</th>
          ${
            withErrors
              ? html`<th scope="col">错误率 Error rate</th>
                <th scope="col">失败 Errors</th>
                <th scope="col">${windowMinutes} 分钟调用 Calls in ${windowMinutes} min</th>`
              : ''
          }
          <th scope="col">一分钟调用 Calls / min</th>
          <th scope="col">峰值/秒 Peak per s</th>
          <th scope="col">限额/秒 Limit per s</th>
          <th scope="col">使用率 Use</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((r) => {
          const use = r.limitQps ? Math.round((r.peakPerSecond / r.limitQps) * 100) : null;
          const rate = r.errorRatePercent;
          return html`<tr data-testid="${testid}-row" data-key="${r.key}">
            <td style="min-width:9em;overflow-wrap:anywhere"><code>${r.key}</code></td>
            ${
              withErrors
                ? html`<td data-testid="error-rate">
                    ${rate === null ? '—' : html`<span class="badge ${rate >= 50 ? 'bad' : rate > 0 ? 'warn' : 'ok'}">${rate}%</span>`}
                  </td>
                  <td data-testid="window-errors">${r.windowErrors}</td>
                  <td data-testid="window-calls">${r.windowCalls}</td>`
                : ''
            }
            <td>${r.lastMinute}</td>
            <td>${r.peakPerSecond}</td>
            <td>${r.limitQps ?? '—'}</td>
            <td>
              ${use === null ? '—' : html`<span class="badge ${use >= 90 ? 'bad' : use >= 70 ? 'warn' : 'ok'}">${use}%</span>`}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

function instancesCard(view: PlatformHealthView): SafeHtml {
  return html`<div class="card" data-testid="instances">
    <h2>实例 Instances (${view.instances.length})</h2>
    ${
      view.instances.length
        ? html`<ul>
          ${view.instances.map(
            (i) =>
              html`<li data-testid="instance" data-instance="${i.instance}">
                <code>${i.instance}</code>${i.self ? html` <span class="badge muted">本页 This page</span>` : ''}
                · 启动 started ${formatTime(i.startedAt)} · 上报 reported ${formatTime(i.reportedAt)}
              </li>`,
          )}
        </ul>`
        : html`<p>没有实例上报 No instance reported.</p>`
    }
    <p>
      <small
        >熔断器与调用量由每个实例每 5 秒写入数据库，这里合并显示；30 秒未上报的实例不计入。 Every instance writes its breakers and
        calls to the database every 5 s; they are shown together here, leaving out instances silent for 30 s. Peak per
        second is the sum of each instance's busiest second (at most that).</small
      >
    </p>
  </div>`;
}

function breakerList(breakers: BreakerRow[]): SafeHtml {
  return html`${breakers.map(
    (b) =>
      html`<dt>熔断器 Breaker <code>${b.group}</code></dt>
        <dd>
          <span class="badge ${BREAKER_LABELS[b.state][1]}" data-testid="breaker-${b.group}" data-state="${b.state}"
            >${BREAKER_LABELS[b.state][0]}</span
          >
          <small data-testid="breaker-instances-${b.group}">
            ${b.instances.map(
              (i) =>
                html`<span data-instance="${i.instance}" data-state="${i.state}" style="display:block;overflow-wrap:anywhere"
                  >${i.instance}: ${BREAKER_LABELS[i.state][0]}</span
                >`,
            )}
          </small>
        </dd>`,
  )}`;
}

function shopRow(s: ShopRow): SafeHtml {
  const [label, tone] = CONNECTION_LABELS[s.status];
  return html`<tr data-testid="shop-row" data-shop="${s.shopId}" data-platform="${s.platform}">
    <td>${PLATFORM_LABELS[s.platform]}</td>
    <td>${s.shopName ?? s.shopId}<br /><code>${s.shopId}</code></td>
    <td>${s.merchantName}</td>
    <td>
      <span class="badge ${tone}" data-testid="grant-state" data-grant="${s.grantLost ? 'lost' : s.status}">${label}</span>
      ${s.statusReason && s.grantLost ? html`<br /><small>${s.statusReason}</small>` : ''}
    </td>
    <td>${s.grantLost ? '—' : formatTime(s.accessTokenExpiresAt)}</td>
    <td data-testid="reauth-by">${s.grantLost ? '现在 Now' : formatTime(s.reauthBy)}</td>
    <td>${count(s.openFailures, 'shop-open-failures')}</td>
    <td>${count(s.stockDrift, 'shop-stock-drift')}</td>
    <td data-testid="deadline-risks">
      12 h: ${s.deadlineRisks.h12} · 4 h: ${s.deadlineRisks.h4} · 逾期 overdue:
      <span class="badge ${s.deadlineRisks.overdue ? 'bad' : 'ok'}">${s.deadlineRisks.overdue}</span>
    </td>
  </tr>`;
}

export function alertsCard(alerts: FailureAlertEntity[]): SafeHtml {
  return html`<div class="card" data-testid="failure-alerts">
    <h2>失败告警 Sync failure alerts</h2>
    ${
      alerts.length
        ? html`<ul>
          ${alerts.map(
            (a) =>
              html`<li data-testid="failure-alert" data-scope="${a.scopeKey}" data-resolved="${a.resolvedAt ? 'yes' : 'no'}">
                <span class="badge ${a.resolvedAt ? 'muted' : 'bad'}">${formatTime(a.raisedAt)}</span>
                ${a.resolvedAt ? html`<span class="badge ok">已解除 Resolved ${formatTime(a.resolvedAt)}</span>` : ''}
                ${a.merchantId ? html`商户 Merchant <code>${a.merchantId}</code>` : '全部商户 All merchants'}:
                ${a.openFailures} 条未解决失败 open failures within ${a.windowMinutes} min (阈值 threshold ${a.threshold})
              </li>`,
          )}
        </ul>`
        : html`<p data-testid="no-alerts">没有告警 No alerts.</p>`
    }
    <p><a href="/ops-settings">阈值与窗口在运维设置中 Threshold and window are in the ops settings</a></p>
  </div>`;
}

const ALERT_LABELS: Record<OpsAlertKind, string> = {
  breaker_open: '熔断器打开 Breaker open',
  error_rate: '错误率过高 Error rate above the threshold',
  no_successful_call: '无成功调用 No successful call',
};

function alertFigures(a: OpsAlertEntity): string {
  const f = a.figures;
  if (a.kind === 'breaker_open') return `实例 instances: ${(f.instances as string[]).join(', ')}`;
  if (a.kind === 'error_rate')
    return `${f.errors} / ${f.calls} 次调用失败 calls failed (${f.ratePercent}%, 阈值 threshold ${f.thresholdPercent}%) within ${f.windowMinutes} min`;
  return `${f.failedCalls} 次调用全部失败 calls, all failed, within ${f.minutes} min`;
}

/** Alerts the scheduled check raised on platform conditions: active ones first, then recently resolved. */
export function platformAlertsCard(alerts: OpsAlertEntity[]): SafeHtml {
  const sorted = [...alerts].sort((a, b) => Number(!!a.resolvedAt) - Number(!!b.resolvedAt) || b.raisedAt - a.raisedAt);
  return html`<div class="card" data-testid="platform-alerts">
    <h2>平台告警 Platform alerts</h2>
    ${
      sorted.length
        ? html`<ul>
          ${sorted.map(
            (a) =>
              html`<li data-testid="platform-alert" data-alert-kind="${a.kind}" data-scope="${a.scopeKey}" data-resolved="${a.resolvedAt ? 'yes' : 'no'}">
                <span class="badge ${a.resolvedAt ? 'muted' : 'bad'}">${formatTime(a.raisedAt)}</span>
                ${a.resolvedAt ? html`<span class="badge ok">已解除 Resolved ${formatTime(a.resolvedAt)}</span>` : ''}
                ${PLATFORM_LABELS[a.platform] ?? a.platform} · ${ALERT_LABELS[a.kind]} <code>${a.scopeKey}</code>:
                ${alertFigures(a)}
              </li>`,
          )}
        </ul>`
        : html`<p data-testid="no-platform-alerts">没有平台告警 No platform alerts.</p>`
    }
    <p><a href="/ops-settings">阈值在运维设置中，每分钟检查 Thresholds are in the ops settings; checked every minute</a></p>
  </div>`;
}

export function platformHealthPage(input: {
  principal: UserPrincipal;
  view: PlatformHealthView;
  sandbox: boolean;
}): string {
  const { view } = input;
  return page(
    '平台健康 Platform health',
    html`${accountBar(input.principal)}${opsNav('/ops/console/platforms')}
      <h1>平台健康 Platform health</h1>
      <p>
        ${formatTime(view.at)}。熔断器与调用量合并所有实例。 Breakers and calls are those of every instance; the rest is read
        from the database.
      </p>
      ${instancesCard(view)}
      ${platformAlertsCard(view.platformAlerts)} ${alertsCard(view.alerts)}
      <div class="grid">
        ${view.platforms.map(
          (p) =>
            html`<div class="card" data-testid="platform-${p.platform}">
              <h2>${PLATFORM_LABELS[p.platform]}</h2>
              <dl>
                ${breakerList(p.breakers)}
                <dt>${view.windowMinutes} 分钟错误率 Error rate in ${view.windowMinutes} min</dt>
                <dd data-testid="platform-error-rate-${p.platform}">
                  ${p.errorRatePercent === null ? '—' : `${p.errorRatePercent}%`} (${p.windowErrors} / ${p.windowCalls})
                </dd>
                <dt>未解决失败 Open sync failures</dt>
                <dd>${count(p.openFailures, `open-failures-${p.platform}`)}</dd>
                <dt>库存偏差 Stock drift found (${RECENT_HOURS} h)</dt>
                <dd>${count(p.stockDrift, `stock-drift-${p.platform}`)}</dd>
              </dl>
              <h3>按接口 Per API</h3>
              ${usageTable(p.apis, '接口 API', `api-usage-${p.platform}`, view.windowMinutes)}
              <h3>按店铺 Per shop</h3>
              ${usageTable(p.shopCalls, '店铺 Shop', `shop-usage-${p.platform}`)}
            </div>`,
        )}
      </div>
      <div class="card">
        <h2>店铺 Shops: 授权与发货期限 grants and shipping deadlines</h2>
        ${
          view.shops.length
            ? html`<div class="scroll">
              <table data-testid="shops">
                <thead>
                  <tr>
                    <th scope="col">平台 Platform</th>
                    <th scope="col">店铺 Shop</th>
                    <th scope="col">商户 Merchant</th>
                    <th scope="col">授权 Grant</th>
                    <th scope="col">令牌到期 Token expires</th>
                    <th scope="col">重新授权期限 Re-authorize by</th>
                    <th scope="col">未解决失败 Open failures</th>
                    <th scope="col">库存偏差 Stock drift (${RECENT_HOURS} h)</th>
                    <th scope="col">待发货风险订单 Orders at deadline risk</th>
                  </tr>
                </thead>
                <tbody>
                  ${view.shops.map(shopRow)}
                </tbody>
              </table>
            </div>`
            : html`<p>还没有店铺 No shops connected yet.</p>`
        }
      </div>
      <div class="card">
        <h2>商户 Merchants: 价格、优惠券、Webhook prices, coupons, webhooks</h2>
        ${
          view.merchants.length
            ? html`<div class="scroll">
              <table data-testid="merchants">
                <thead>
                  <tr>
                    <th scope="col">商户 Merchant</th>
                    <th scope="col">比价超限 SKUs over the parity limit</th>
                    <th scope="col">优惠券异常 Coupon anomalies (${RECENT_HOURS} h)</th>
                    <th scope="col">Webhook 投递失败 Deliveries failed</th>
                    <th scope="col">Webhook 重试中 Deliveries retrying</th>
                  </tr>
                </thead>
                <tbody>
                  ${view.merchants.map(
                    (m) =>
                      html`<tr data-testid="merchant-row" data-merchant="${m.merchantId}">
                        <td>${m.name}</td>
                        <td>${count(m.parityViolations, 'parity-violations')}</td>
                        <td>${count(m.couponAnomalies, 'coupon-anomalies')}</td>
                        <td>${count(m.webhooksFailed, 'webhooks-failed')}</td>
                        <td>${count(m.webhooksRetrying, 'webhooks-retrying')}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
            : html`<p>还没有商户 No merchants yet.</p>`
        }
      </div>`,
    { sandbox: input.sandbox },
  );
}
