import { accountBar, Notice } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page } from '@app/common/http/html';
import { OpsSettingChangeEntity } from '@app/ops/settings/ops-setting-change.entity';
import { OpsSettingState } from '@app/ops/settings/ops-settings.service';

const GROUPS: Record<string, string> = {
  retention: '数据保留 Retention',
  'sign-in': '登录与会话 Sign-in and sessions',
  failures: '同步失败 Sync failures',
  alerts: '平台告警 Platform alerts',
  quotas: '平台配额 Platform quotas',
};

const shown = (v: number | number[]) => (Array.isArray(v) ? v.join(',') : String(v));

/** Ops read the settings; an admin edits them. `entered` keeps what the admin typed after a refusal. */
export function opsSettingsPage(input: {
  principal: UserPrincipal;
  settings: OpsSettingState[];
  changes: OpsSettingChangeEntity[];
  notice?: Notice;
  fieldErrors?: Record<string, string[]>;
  entered?: Record<string, string>;
  sandbox: boolean;
}): string {
  const admin = input.principal.role === 'admin' && input.principal.kind === 'session';
  const csrf = input.principal.kind === 'session' ? input.principal.csrfToken : '';
  const row = (s: OpsSettingState) => {
    const key = s.definition.key;
    const errors = input.fieldErrors?.[key];
    const value = admin
      ? html`<input
          name="${key}"
          value="${input.entered?.[key] ?? shown(s.value)}"
          inputmode="${s.definition.kind === 'int' ? 'numeric' : 'text'}"
          maxlength="300"
          data-testid="setting-${key}"
          style="max-width:220px"
        />`
      : html`<span data-testid="setting-${key}">${shown(s.value)}</span>`;
    const state = s.override
      ? html`<span class="badge warn">已修改 Changed</span> ${s.override.updatedBy},
          ${formatTime(s.override.updatedAt)}${
            admin
              ? html` <label
                  ><input type="checkbox" name="reset_${key}" value="1" data-testid="reset-${key}" /> 恢复默认 Back to
                  default</label
                >`
              : ''
          }`
      : html`<span class="badge muted">默认 Default</span>`;
    return html`<tr data-testid="setting-row-${key}">
      <td>${s.definition.label}<br /><small>${s.definition.help}</small></td>
      <td>
        ${value}
        ${s.definition.unit}${errors ? html`<br /><span class="badge bad" data-testid="setting-error-${key}">${errors.join('; ')}</span>` : ''}
      </td>
      <td>${shown(s.defaultValue)}</td>
      <td>${state}</td>
    </tr>`;
  };
  const groups = Object.entries(GROUPS).map(
    ([group, title]) =>
      html`<tr>
          <th colspan="4">${title}</th>
        </tr>
        ${input.settings.filter((s) => s.definition.group === group).map(row)}`,
  );
  const table = html`<table data-testid="settings-list">
    <tr>
      <th>设置 Setting</th>
      <th>当前值 Value</th>
      <th>默认 Default</th>
      <th>状态 State</th>
    </tr>
    ${groups}
  </table>`;
  return page(
    '运维设置 Ops settings',
    html`${accountBar(input.principal)}
      <div class="card">
        <h1>运维设置 Ops settings</h1>
        <p>
          默认值来自环境变量；修改后无需重启，所有实例在 5 秒内生效，每次修改都有记录。 Defaults come from the
          environment; a change applies on every instance within 5 seconds without a restart, and every change is
          recorded.
        </p>
        ${input.notice ? html`<p class="notice ${input.notice.ok ? 'ok' : 'bad'}" data-testid="settings-notice">${input.notice.text}</p>` : ''}
        ${
          admin
            ? html`<form method="post" action="/ops-settings">
                <input type="hidden" name="${CSRF_FIELD}" value="${csrf}" />${table}
                <p><button class="button" type="submit" data-testid="save-settings">保存 Save</button></p>
              </form>`
            : html`${table}
                <p>只有管理员可以修改。 Only an admin can change them.</p>`
        }
      </div>
      <div class="card">
        <h2>修改记录 Changes</h2>
        <table data-testid="settings-changes">
          <tr>
            <th>时间 When</th>
            <th>谁 Who</th>
            <th>设置 Setting</th>
            <th>旧值 → 新值 Old → new</th>
          </tr>
          ${input.changes.map(
            (c) =>
              html`<tr>
                <td>${formatTime(c.changedAt)}</td>
                <td>${c.changedBy}</td>
                <td>${c.name}</td>
                <td>${shown(c.oldValue)} → ${shown(c.newValue)}</td>
              </tr>`,
          )}
        </table>
      </div>
      <p><a href="/">返回 Back</a></p>`,
    { sandbox: input.sandbox },
  );
}
