import { accountBar } from '@app/auth/pages/auth.pages';
import { UserPrincipal } from '@app/auth/principal';
import { html, page, SafeHtml } from '@app/common/http/html';
import { opsNav } from './failure-center.pages';
import type { QuotaLine } from '../live-figures';

const CHARTS: [string, string][] = [
  ['events', '每秒事件 Events per second'],
  ['propagation', '库存传播延迟 Stock propagation latency p50 / p99 (s)'],
  ['calls', '平台调用与配额 Platform calls per second, with each quota'],
  ['outbox', '发件箱延迟 Outbox lag (s) and rows in flight'],
];

/** Draws the points of /ops/console/live/events as they arrive (EventSource, no reload), with Chart.js served by the service. */
const SCRIPT = `
(function () {
  var MAX = 120;
  var charts = {};
  var quotas = JSON.parse(document.getElementById('quota-lines').textContent);
  function make(id, labels, extra) {
    var el = document.getElementById('chart-' + id);
    var datasets = labels.map(function (l) { return { label: l, data: [], spanGaps: true, pointRadius: 0 }; });
    (extra || []).forEach(function (d) { datasets.push(d); });
    charts[id] = new Chart(el, {
      type: 'line',
      data: { labels: [], datasets: datasets },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
    });
    el.dataset.points = '0';
  }
  make('events', ['events/s']);
  make('propagation', ['p50', 'p99']);
  // A quota is a flat dashed line: the calls per second that use the platform's quota up evenly over its period.
  make('calls', ['kuaishou', 'youzan'], quotas.map(function (q) {
    return { label: q.label, data: [], pointRadius: 0, borderDash: [6, 4], borderWidth: 1 };
  }));
  make('outbox', ['lag s', 'in flight']);
  function push(id, label, values) {
    var c = charts[id];
    c.data.labels.push(label);
    values.forEach(function (v, i) { c.data.datasets[i].data.push(v); });
    if (c.data.labels.length > MAX) { c.data.labels.shift(); c.data.datasets.forEach(function (d) { d.data.shift(); }); }
    c.update('none');
    var el = document.getElementById('chart-' + id);
    el.dataset.points = String(Number(el.dataset.points) + 1);
  }
  var state = document.getElementById('live-state');
  var source = new EventSource('/ops/console/live/events');
  source.onopen = function () { state.textContent = '已连接 Live'; state.className = 'badge ok'; };
  source.onerror = function () { state.textContent = '重新连接中 Reconnecting'; state.className = 'badge warn'; };
  source.addEventListener('point', function (e) {
    var p = JSON.parse(e.data);
    var t = new Date(p.at).toISOString().slice(11, 19);
    push('events', t, [p.eventsPerSecond]);
    push('propagation', t, [p.propagationP50, p.propagationP99]);
    push('calls', t, [p.callsPerSecond.kuaishou || 0, p.callsPerSecond.youzan || 0].concat(
      quotas.map(function (q) { return q.perSecond; })));
    push('outbox', t, [p.outboxLagSeconds, p.outboxInFlight]);
  });
})();
`;

export function livePage(input: { principal: UserPrincipal; quotas: QuotaLine[]; sandbox: boolean }): string {
  // In a JSON script block: `<` escaped so no label can close the element.
  const quotaJson = JSON.stringify(input.quotas).replace(/</g, '\\u003c');
  return page(
    '实时图表 Live charts',
    html`${accountBar(input.principal)}${opsNav('/ops/console/live')}
      <h1>实时图表 Live charts <span id="live-state" class="badge muted" data-testid="live-state">连接中 Connecting</span></h1>
      <p>
        每秒更新，无需刷新；数据来自本实例的指标。 Updated every second without reloading, from this instance's metrics.
      </p>
      <div class="grid">
        ${CHARTS.map(
          ([id, title]) =>
            html`<div class="card">
              <h2 id="title-${id}">${title}</h2>
              <div style="position:relative;height:200px">
                <canvas id="chart-${id}" data-testid="chart-${id}" role="img" aria-labelledby="title-${id}"></canvas>
              </div>
            </div>`,
        )}
      </div>
      <p data-testid="quota-legend">
        配额线 Quota lines (运维设置 ops settings):
        ${input.quotas.map((q) => html`<span class="badge muted" data-platform="${q.platform}">${q.label} ≈ ${q.perSecond}/s</span> `)}
      </p>
      <script type="application/json" id="quota-lines">
        ${new SafeHtml(quotaJson)}
      </script>
      <script src="/ops/console/assets/chart.js"></script>
      <script>
        ${new SafeHtml(SCRIPT)}
      </script>`,
    { sandbox: input.sandbox },
  );
}
