import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { errorWords } from '@app/common/http/error-words';
import { formatTime, html, page, SafeHtml } from '@app/common/http/html';
import { SyncFailureActionEntity, SyncFailureActionKind } from '@app/ops/failures/sync-failure-action.entity';
import { SyncFailureEntity, SyncFailureStatus } from '@app/ops/failures/sync-failure.entity';
import { failureQueryString, FailureCenterForm, PAGE_SIZE } from '../failure-center.query';

const STATUS_LABELS: Record<SyncFailureStatus, [string, string]> = {
  open: ['未解决 Open', 'bad'],
  retrying: ['重试中 Retrying', 'warn'],
  resolved: ['已解决 Resolved', 'ok'],
  dismissed: ['已忽略 Dismissed', 'muted'],
};
export const ACTION_LABELS: Record<SyncFailureActionKind, string> = {
  retry: '重试 Retry',
  replay: '重放 Replay',
  dismiss: '忽略 Dismiss',
};

const csrfOf = (p: UserPrincipal) => (p.kind === 'session' ? p.csrfToken : '');
const status = (s: SyncFailureStatus | null) =>
  s ? html`<span class="badge ${STATUS_LABELS[s][1]}" data-testid="status-${s}">${STATUS_LABELS[s][0]}</span>` : '—';

export function opsNav(current: string): SafeHtml {
  const links = [
    ['/ops/console', '运维控制台 Console'],
    ['/ops/console/failures', '失败中心 Failure center'],
    ['/ops/console/platforms', '平台健康 Platform health'],
    ['/ops/console/live', '实时图表 Live charts'],
    ['/ops-settings', '运维设置 Ops settings'],
  ];
  return html`<nav class="card merchant-nav" aria-label="运维 Ops">
    ${links.map(
      ([href, label]) =>
        html`<a href="${href}" ${href === current ? new SafeHtml('aria-current="page"') : ''}>${label}</a>`,
    )}
  </nav>`;
}

export function consoleHomePage(input: {
  principal: UserPrincipal;
  counts: Record<string, number>;
  alerts: SafeHtml;
  sandbox: boolean;
}): string {
  return page(
    '运维控制台 Ops console',
    html`${accountBar(input.principal)}${opsNav('/ops/console')}
      <div class="card">
        <h1>运维控制台 Ops console</h1>
        <dl data-testid="failure-counts">
          ${(['open', 'retrying', 'resolved', 'dismissed'] as SyncFailureStatus[]).map(
            (s) => html`<dt>${STATUS_LABELS[s][0]}</dt><dd data-testid="count-${s}">${input.counts[s] ?? 0}</dd>`,
          )}
        </dl>
        <p>
          <a class="button" href="/ops/console/failures">失败中心 Failure center</a>
          <a class="button secondary" href="/ops/console/platforms">平台健康 Platform health</a>
        </p>
      </div>
      ${input.alerts}`,
    { sandbox: input.sandbox },
  );
}

function select(name: string, label: string, value: string, options: [string, string][]): SafeHtml {
  return html`<label
    >${label}<br /><select name="${name}" id="f-${name}">
      ${options.map(([v, l]) => html`<option value="${v}" ${v === value ? new SafeHtml('selected') : ''}>${l}</option>`)}
    </select></label
  >`;
}

function field(name: keyof FailureCenterForm, label: string, form: FailureCenterForm, errors: Record<string, string>) {
  return html`<label
    >${label}<br /><input name="${name}" value="${form[name]}" maxlength="100" data-testid="filter-${name}" />${
      errors[name] ? html`<br /><span class="badge bad" role="alert">${errors[name]}</span>` : ''
    }</label
  >`;
}

export function failureListPage(input: {
  principal: UserPrincipal;
  form: FailureCenterForm;
  errors: Record<string, string>;
  items: SyncFailureEntity[];
  total: number;
  page: number;
  sandbox: boolean;
}): string {
  const { form, errors } = input;
  const pages = Math.max(1, Math.ceil(input.total / PAGE_SIZE));
  const link = (p: number) => `/ops/console/failures?${failureQueryString(form, p)}`;
  const filters = html`<form method="get" action="/ops/console/failures" class="card" aria-label="筛选 Filter">
    <div class="grid">
      ${select('status', '状态 Status', form.status, [
        ['open,retrying', '待处理 Needs attention'],
        ['open', '未解决 Open'],
        ['retrying', '重试中 Retrying'],
        ['resolved', '已解决 Resolved'],
        ['dismissed', '已忽略 Dismissed'],
        ['all', '全部 All'],
      ])}
      ${select('platform', '平台 Platform', form.platform, [
        ['', '全部 All'],
        ['kuaishou', '快手 Kuaishou'],
        ['youzan', '有赞 Youzan'],
      ])}
      ${field('context', '模块 Context', form, errors)} ${field('shopRef', '店铺 Shop', form, errors)}
      ${field('errorCode', '错误代码 Error code', form, errors)} ${field('q', '搜索 Search', form, errors)}
    </div>
    ${errors.status ? html`<p class="badge bad" role="alert">${errors.status}</p>` : ''}
    ${errors.platform ? html`<p class="badge bad" role="alert">${errors.platform}</p>` : ''}
    ${errors.page ? html`<p class="badge bad" role="alert">${errors.page}</p>` : ''}
    <p><button class="button" type="submit" data-testid="apply-filter">筛选 Filter</button></p>
  </form>`;
  const rows = input.items.map(
    (f) => html`<tr data-testid="failure-row" data-id="${f.id}">
      <td>
        <input type="checkbox" name="ids" value="${f.id}" id="sel-${f.id}" aria-label="选择 Select ${f.operation} ${f.entityRef ?? ''}" />
      </td>
      <td>${status(f.status)}</td>
      <td><a href="/ops/console/failures/${f.id}" data-testid="failure-link">${f.context} · ${f.operation}</a></td>
      <td>${f.platform ?? '—'}<br /><small>${f.shopRef ?? ''}</small></td>
      <td>${f.entityRef ?? '—'}</td>
      <td><code>${f.errorCode}</code><br /><small>${errorWords(f.errorCode)}</small></td>
      <td>${f.attempts}</td>
      <td>${formatTime(f.updatedAt)}</td>
    </tr>`,
  );
  const list = html`<form method="post" action="/ops/console/failures/confirm" class="card">
    <input type="hidden" name="${CSRF_FIELD}" value="${csrfOf(input.principal)}" />
    <h2>失败记录 Failures <small data-testid="failure-total">${input.total}</small></h2>
    <div class="scroll">
      <table data-testid="failure-list">
        <tr>
          <th><span class="sr">选 Sel</span></th>
          <th>状态 Status</th>
          <th>操作 Operation</th>
          <th>平台/店铺 Platform/shop</th>
          <th>对象 Entity</th>
          <th>错误 Error</th>
          <th>次数 Attempts</th>
          <th>更新 Updated</th>
        </tr>
        ${rows}
      </table>
    </div>
    ${input.items.length ? '' : html`<p data-testid="no-failures">没有符合条件的失败记录。 No failures match.</p>`}
    <p>
      ${select('action', '对所选 With the selected', 'retry', Object.entries(ACTION_LABELS))}
      <label>备注 Note<br /><input name="note" maxlength="500" data-testid="bulk-note" /></label>
      <button class="button" type="submit" data-testid="bulk-submit">下一步 Next</button>
    </p>
    <p>
      第 ${input.page} / ${pages} 页 Page ${input.page} of ${pages}
      ${input.page > 1 ? html`<a href="${link(input.page - 1)}" data-testid="prev-page">上一页 Previous</a>` : ''}
      ${input.page < pages ? html`<a href="${link(input.page + 1)}" data-testid="next-page">下一页 Next</a>` : ''}
    </p>
  </form>`;
  return page(
    '失败中心 Failure center',
    html`${accountBar(input.principal)}${opsNav('/ops/console/failures')}
      <h1>失败中心 Failure center</h1>
      ${filters}${list}`,
    { sandbox: input.sandbox },
  );
}

function auditTable(actions: SyncFailureActionEntity[], withFailure: boolean): SafeHtml {
  return html`<table data-testid="audit">
    <tr>
      <th>时间 When</th>
      <th>谁 Who</th>
      ${withFailure ? html`<th>失败记录 Failure</th>` : ''}
      <th>操作 Action</th>
      <th>备注 Note</th>
      <th>结果 Result</th>
    </tr>
    ${actions.map(
      (a) => html`<tr data-testid="audit-row" data-failure="${a.failureId}">
        <td>${formatTime(a.createdAt)}</td>
        <td>${a.actorEmail}</td>
        ${withFailure ? html`<td><a href="/ops/console/failures/${a.failureId}">${a.failureId.slice(0, 8)}</a></td>` : ''}
        <td>${ACTION_LABELS[a.action]}</td>
        <td>${a.note ?? '—'}</td>
        <td data-testid="audit-result">
          ${a.outcome === 'refused' ? html`<span class="badge muted">未执行 Not done</span>` : ''} ${status(a.statusAfter)}
          ${a.detail ? html`<br /><small>${a.detail}</small>` : ''}
        </td>
      </tr>`,
    )}
  </table>`;
}

function actionForm(principal: UserPrincipal, f: SyncFailureEntity): SafeHtml {
  const closed = f.status === 'resolved' || f.status === 'dismissed';
  const allowed: SyncFailureActionKind[] = closed
    ? f.replay
      ? ['replay']
      : []
    : f.replay
      ? ['retry', 'replay', 'dismiss']
      : ['dismiss'];
  if (!allowed.length) return html`<p>此记录已关闭。 This failure is closed.</p>`;
  return html`<form method="post" action="/ops/console/failures/confirm">
    <input type="hidden" name="${CSRF_FIELD}" value="${csrfOf(principal)}" />
    <input type="hidden" name="ids" value="${f.id}" />
    <label>备注 Note<br /><input name="note" maxlength="500" data-testid="action-note" /></label>
    <p>
      ${allowed.map(
        (a) =>
          html`<button class="button ${a === 'dismiss' ? 'danger' : ''}" type="submit" name="action" value="${a}" data-testid="action-${a}">
            ${ACTION_LABELS[a]}
          </button> `,
      )}
    </p>
  </form>`;
}

export function failureDetailPage(input: {
  principal: UserPrincipal;
  failure: SyncFailureEntity;
  actions: SyncFailureActionEntity[];
  sandbox: boolean;
}): string {
  const f = input.failure;
  return page(
    '失败详情 Failure',
    html`${accountBar(input.principal)}${opsNav('')}
      <div class="card">
        <h1>${f.context} · ${f.operation}</h1>
        <dl data-testid="failure-detail">
          <dt>状态 Status</dt>
          <dd data-testid="failure-status">${status(f.status)}</dd>
          <dt>错误 Error</dt>
          <dd><code>${f.errorCode}</code> ${errorWords(f.errorCode)}</dd>
          <dt>原因 Reason</dt>
          <dd>${f.reason}</dd>
          <dt>平台 Platform</dt>
          <dd>${f.platform ?? '—'} ${f.shopRef ?? ''}</dd>
          <dt>对象 Entity</dt>
          <dd>${f.entityType ?? ''} ${f.entityRef ?? '—'}</dd>
          <dt>平台原始回答 Raw platform answer</dt>
          <dd data-testid="raw-answer"><code>${f.platformCode ?? '—'}</code><pre style="white-space:pre-wrap">${f.platformMessage ?? '—'}</pre></dd>
          <dt>次数 Attempts</dt>
          <dd>${f.attempts} (${f.autoRetries} 次重试 retries)</dd>
          <dt>下次自动重试 Next retry</dt>
          <dd>${formatTime(f.nextRetryAt)}</dd>
          <dt>创建 Created</dt>
          <dd>${formatTime(f.createdAt)}</dd>
          <dt>关闭 Closed</dt>
          <dd>${formatTime(f.closedAt)} ${f.closedNote ?? ''}</dd>
        </dl>
        ${actionForm(input.principal, f)}
      </div>
      <div class="card">
        <h2>操作记录 Audit</h2>
        ${auditTable(input.actions, false)}
      </div>
      <p><a href="/ops/console/failures">返回失败中心 Back to the failure center</a></p>`,
    { sandbox: input.sandbox },
  );
}

export function confirmActionPage(input: {
  principal: UserPrincipal;
  action: SyncFailureActionKind;
  failures: SyncFailureEntity[];
  missing: number;
  note?: string;
  sandbox: boolean;
}): string {
  return page(
    '确认 Confirm',
    html`${accountBar(input.principal)}${opsNav('')}
      <form method="post" action="/ops/console/failures/actions" class="card">
        <input type="hidden" name="${CSRF_FIELD}" value="${csrfOf(input.principal)}" />
        <input type="hidden" name="action" value="${input.action}" />
        <input type="hidden" name="note" value="${input.note ?? ''}" />
        <h1>确认${ACTION_LABELS[input.action]} ${input.failures.length} 条？ Confirm: ${ACTION_LABELS[input.action]} ${input.failures.length}?</h1>
        ${input.missing ? html`<p class="notice bad">${input.missing} 条记录已不存在。 ${input.missing} no longer exist.</p>` : ''}
        <p>备注 Note: ${input.note ?? '—'}</p>
        <ul data-testid="confirm-list">
          ${input.failures.map(
            (f) => html`<li>
              <input type="hidden" name="ids" value="${f.id}" />${status(f.status)} ${f.context} · ${f.operation} ·
              ${f.entityRef ?? ''} <code>${f.errorCode}</code>
            </li>`,
          )}
        </ul>
        <p>
          <button class="button" type="submit" data-testid="confirm-action">确认 Confirm</button>
          <a class="button secondary" href="/ops/console/failures">取消 Cancel</a>
        </p>
      </form>`,
    { sandbox: input.sandbox },
  );
}

export function batchResultPage(input: {
  principal: UserPrincipal;
  actions: SyncFailureActionEntity[];
  sandbox: boolean;
}): string {
  const done = input.actions.filter((a) => a.outcome === 'done').length;
  const first = input.actions[0];
  return page(
    '操作结果 Result',
    html`${accountBar(input.principal)}${opsNav('')}
      <div class="card">
        <h1>操作结果 Result</h1>
        <p class="notice ${done === input.actions.length ? 'ok' : 'bad'}" data-testid="batch-summary">
          ${first ? html`${first.actorEmail} · ${formatTime(first.createdAt)} · ${ACTION_LABELS[first.action]}: ` : ''}
          已执行 ${done} / ${input.actions.length} 条 Done for ${done} of ${input.actions.length}. 以下为当时记录的结果。 Below is
          what happened at that time.
        </p>
        ${auditTable(input.actions, true)}
      </div>
      <p><a href="/ops/console/failures">返回失败中心 Back to the failure center</a></p>`,
    { sandbox: input.sandbox },
  );
}

export function formErrorPage(input: {
  principal: UserPrincipal;
  errors: Record<string, string>;
  sandbox: boolean;
}): string {
  return page(
    '未执行 Not done',
    html`${accountBar(input.principal)}${opsNav('')}
      <div class="card">
        <h1>未执行 Nothing was done</h1>
        <ul data-testid="form-errors">
          ${Object.values(input.errors).map((e) => html`<li>${e}</li>`)}
        </ul>
        <p><a href="/ops/console/failures">返回失败中心 Back to the failure center</a></p>
      </div>`,
    { sandbox: input.sandbox },
  );
}
