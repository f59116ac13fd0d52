import { formatTime, html, page, SafeHtml } from '@app/common/http/html';
import { merchantNav } from '@app/common/http/merchant-nav';
import type { MerchantSummary } from '../merchant-directory.port';
import { CSRF_FIELD, UserPrincipal } from '../principal';
import type { UserEntity, UserRole } from '../user.entity';

export type Notice = { ok: boolean; text: string };

export const ROLE_LABELS: Record<UserRole, string> = {
  owner: '店主 Owner',
  staff: '店员 Staff',
  ops: '运维 Ops',
  admin: '管理员 Admin',
};

const notice = (n: Notice | undefined) =>
  n ? html`<p class="notice ${n.ok ? 'ok' : 'bad'}" data-testid="users-notice">${n.text}</p>` : '';

/**
 * Users with their state and the actions the viewer may take: an owner manages their merchant's
 * users at `/merchants/:id/users/…`; an admin manages everyone at `/users/…` and may reset passwords.
 */
function usersTable(users: UserEntity[], viewer: UserPrincipal, actionBase: string, admin: boolean): SafeHtml {
  const csrf = viewer.kind === 'session' ? viewer.csrfToken : '';
  const form = (u: UserEntity, action: string, fields: SafeHtml | string, label: string, cls = 'secondary') =>
    html`<form method="post" action="${actionBase}/${u.id}/${action}" style="display:inline"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">${fields}<button class="button ${cls}" type="submit" data-testid="user-${action}-${u.id}">${label}</button></form>`;
  const actions = (u: UserEntity) => {
    if (u.id === viewer.userId) return html`<span class="badge muted">你 You</span>`;
    const role =
      u.role === 'owner' || u.role === 'staff'
        ? u.role === 'owner'
          ? form(u, 'role', html`<input type="hidden" name="role" value="staff">`, '设为店员 Make staff')
          : form(u, 'role', html`<input type="hidden" name="role" value="owner">`, '设为店主 Make owner')
        : !admin
          ? ''
          : u.role === 'admin'
            ? form(u, 'role', html`<input type="hidden" name="role" value="ops">`, '设为运维 Make ops')
            : form(u, 'role', html`<input type="hidden" name="role" value="admin">`, '设为管理员 Make admin');
    const toggle =
      u.disabledAt === null ? form(u, 'disable', '', '停用 Disable', 'danger') : form(u, 'enable', '', '启用 Enable');
    const reset = admin
      ? form(
          u,
          'password',
          html`<input name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="200" placeholder="新密码 New password (≥ 10)" data-testid="user-password-input-${u.id}"> `,
          '重置密码 Reset password',
        )
      : '';
    return html`${role} ${toggle} ${reset}`;
  };
  return html`<div class="scroll"><table data-testid="user-list"><tr><th>邮箱 Email</th><th>角色 Role</th>${admin ? html`<th>商家 Merchant</th>` : ''}<th>状态 State</th><th></th></tr>
    ${users.map(
      (u) =>
        html`<tr data-testid="user-row-${u.id}"><td style="overflow-wrap:anywhere">${u.email}</td><td>${ROLE_LABELS[u.role]}</td>${admin ? html`<td>${u.merchantId ? html`<a href="/merchants/${u.merchantId}">${u.merchantId.slice(0, 8)}</a>` : '—'}</td>` : ''}<td>${
          u.disabledAt === null
            ? html`<span class="badge ok" data-testid="user-state-${u.id}">有效 Active</span>`
            : html`<span class="badge muted" data-testid="user-state-${u.id}">已停用 Disabled since ${formatTime(u.disabledAt)}</span>`
        }</td><td>${actions(u)}</td></tr>`,
    )}
    </table></div>`;
}

export function signInPage(options: {
  next?: string;
  error?: string;
  email?: string;
  csrfToken: string;
  sandbox: boolean;
}): string {
  return page(
    '登录 Sign in',
    html`<div class="card" style="max-width:420px;margin:0 auto">
      <h1>登录 Sign in</h1>
      ${options.error ? html`<p class="notice bad" data-testid="sign-in-error">${options.error}</p>` : ''}
      <form method="post" action="/sign-in">
        <p><label>邮箱 Email<br><input name="email" type="email" autocomplete="username" required maxlength="254" value="${options.email ?? ''}" data-testid="sign-in-email" style="width:100%;box-sizing:border-box"></label></p>
        <p><label>密码 Password<br><input name="password" type="password" autocomplete="current-password" required maxlength="200" data-testid="sign-in-password" style="width:100%;box-sizing:border-box"></label></p>
        <input type="hidden" name="next" value="${options.next ?? '/'}">
        <input type="hidden" name="${CSRF_FIELD}" value="${options.csrfToken}">
        <button class="button" type="submit" data-testid="sign-in-submit">登录 Sign in</button>
      </form>
      ${options.sandbox ? html`<p class="notice ok">沙箱模式 Sandbox mode: the demo sign-ins are printed once in the service log at first start.</p>` : ''}
    </div>`,
    { sandbox: options.sandbox },
  );
}

/** Bar shown on every signed-in page: who is signed in, sign out. */
export function accountBar(principal: UserPrincipal): SafeHtml {
  return html`<div class="card" style="display:flex;gap:12px;align-items:center;flex-wrap:wrap" data-testid="account-bar">
    <span data-testid="signed-in-as">${principal.email}</span> <span class="badge muted">${ROLE_LABELS[principal.role]}</span>
    <a href="/account/password">修改密码 Change password</a>
    ${principal.kind === 'session' ? html`<form method="post" action="/sign-out" style="display:inline"><input type="hidden" name="${CSRF_FIELD}" value="${principal.csrfToken}"><button class="button secondary" type="submit" data-testid="sign-out">退出 Sign out</button></form>` : ''}
  </div>`;
}

export function opsLandingPage(
  principal: UserPrincipal,
  merchants: MerchantSummary[],
  sandbox: boolean,
  admin?: { users: UserEntity[]; notice?: Notice },
): string {
  return page(
    '运维 Ops',
    html`${accountBar(principal)}
      <div class="card"><h1>运维 Ops</h1>
      <p><a href="/ops/console" data-testid="ops-console-link">运维控制台 Ops console</a> · <a href="/ops/failures">同步失败 Sync failures (JSON)</a> · <a href="/ops-settings" data-testid="ops-settings-link">运维设置 Ops settings</a> · <a href="/metrics">指标 Metrics</a> · <a href="/health">健康 Health</a> · <a href="/docs">API</a></p></div>
      <div class="card"><h2>商家 Merchants</h2>
      <table data-testid="merchant-list"><tr><th>名称 Name</th><th>创建 Since</th></tr>
      ${merchants.map((m) => html`<tr><td><a href="/merchants/${m.id}">${m.name}</a></td><td>${formatTime(m.createdAt)}</td></tr>`)}
      </table></div>
      ${
        principal.role === 'admin' && principal.kind === 'session'
          ? html`<div class="card"><h2>新商家 New merchant</h2>
      <form method="post" action="/merchants"><input type="hidden" name="${CSRF_FIELD}" value="${principal.csrfToken}"><input name="name" placeholder="商家名称 Shop owner or brand" required maxlength="100" data-testid="merchant-name">
      <button class="button" type="submit" data-testid="create-merchant">创建 Create</button></form>
      <p>Then create its owner: <code>npm run user:create -- --role=owner --merchant=&lt;id&gt; --email=… --password=…</code> or <code>POST /api/users</code>.</p></div>`
          : ''
      }
      ${
        principal.role === 'admin' && admin
          ? html`<div class="card" id="users"><h2>用户 Users</h2>
      <p>停用的用户不能登录，其会话和 API 令牌立即失效。 A disabled user cannot sign in; their sessions end and their API tokens are revoked at once.</p>
      ${notice(admin.notice)}${usersTable(admin.users, principal, '/users', true)}</div>`
          : ''
      }`,
    { sandbox },
  );
}

export function changePasswordPage(
  principal: UserPrincipal,
  sandbox: boolean,
  notice?: { ok: boolean; text: string },
): string {
  return page(
    '修改密码 Change password',
    html`${accountBar(principal)}<div class="card" style="max-width:420px">
      <h1>修改密码 Change password</h1>
      ${notice ? html`<p class="notice ${notice.ok ? 'ok' : 'bad'}" data-testid="password-notice">${notice.text}</p>` : ''}
      <form method="post" action="/account/password">
        <input type="hidden" name="${CSRF_FIELD}" value="${principal.kind === 'session' ? principal.csrfToken : ''}">
        <p><label>当前密码 Current password<br><input name="currentPassword" type="password" autocomplete="current-password" required></label></p>
        <p><label>新密码 New password (≥ 10)<br><input name="newPassword" type="password" autocomplete="new-password" required minlength="10"></label></p>
        <button class="button" type="submit">保存 Save</button>
      </form></div>`,
    { sandbox },
  );
}

export function erpCredentialsPage(input: {
  principal: UserPrincipal;
  merchantId: string;
  credentials: { keyId: string; name: string; createdAt: number; expiresAt: number | null; revokedAt: number | null }[];
  tokens: { id: string; name: string; createdAt: number; revokedAt: number | null }[];
  issued?: { keyId: string; secret: string };
  issuedToken?: string;
  users: UserEntity[];
  usersNotice?: Notice;
  now: number;
  sandbox: boolean;
}): string {
  const csrf = input.principal.kind === 'session' ? input.principal.csrfToken : '';
  const state = (c: (typeof input.credentials)[number]) =>
    c.revokedAt
      ? html`<span class="badge muted">已撤销 Revoked</span>`
      : c.expiresAt !== null && c.expiresAt <= input.now
        ? html`<span class="badge muted">已过期 Expired</span>`
        : c.expiresAt !== null
          ? html`<span class="badge warn">轮换中 Rotating, ends ${formatTime(c.expiresAt)}</span>`
          : html`<span class="badge ok">有效 Active</span>`;
  return page(
    '凭证 Credentials',
    html`${accountBar(input.principal)}${merchantNav(input.merchantId, 'credentials', { owner: true })}
    <div class="card"><h1>ERP 凭证 ERP credentials</h1>
    <p>Your ERP signs each stock delivery with a key id and secret (see the README, “ERP stock webhook”). Keep several active while you switch an ERP to a new one, then revoke the old one.</p>
    ${
      input.issued
        ? html`<div class="notice ok" data-testid="issued-credential"><p>新凭证 New credential — the secret is shown only now:</p>
      <dl><dt>Key id</dt><dd><code data-testid="issued-key-id">${input.issued.keyId}</code></dd><dt>Secret</dt><dd><code data-testid="issued-secret">${input.issued.secret}</code></dd></dl></div>`
        : ''
    }
    <table data-testid="credential-list"><tr><th>名称 Name</th><th>Key id</th><th>创建 Created</th><th>状态 State</th><th></th></tr>
    ${input.credentials.map(
      (c) =>
        html`<tr><td>${c.name}</td><td><code>${c.keyId}</code></td><td>${formatTime(c.createdAt)}</td><td>${state(c)}</td><td>${
          c.revokedAt
            ? ''
            : html`<form method="post" action="/merchants/${input.merchantId}/erp-credentials/${c.keyId}/revoke" onsubmit="return confirm('Deliveries signed with this key will be refused. Revoke?')"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button class="button danger" type="submit" data-testid="revoke-${c.keyId}">撤销 Revoke</button></form>`
        }</td></tr>`,
    )}
    </table></div>
    <div class="card"><h2>新建 New credential</h2>
    <form method="post" action="/merchants/${input.merchantId}/erp-credentials"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
    <input name="name" placeholder="名称 Name, e.g. warehouse ERP" required maxlength="100" data-testid="credential-name"> <button class="button" type="submit" data-testid="create-credential">创建 Create</button></form></div>
    <div class="card"><h2>API 令牌 API tokens</h2>
    <p>For scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as you for this merchant, but cannot manage credentials or tokens.</p>
    ${input.issuedToken ? html`<div class="notice ok" data-testid="issued-token"><p>新令牌 New token — shown only now:</p><code data-testid="issued-token-value">${input.issuedToken}</code></div>` : ''}
    <table data-testid="token-list"><tr><th>名称 Name</th><th>创建 Created</th><th>状态 State</th><th></th></tr>
    ${input.tokens.map(
      (tk) =>
        html`<tr><td>${tk.name}</td><td>${formatTime(tk.createdAt)}</td><td>${tk.revokedAt ? html`<span class="badge muted">已撤销 Revoked</span>` : html`<span class="badge ok">有效 Active</span>`}</td><td>${
          tk.revokedAt
            ? ''
            : html`<form method="post" action="/merchants/${input.merchantId}/api-tokens/${tk.id}/revoke"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button class="button danger" type="submit">撤销 Revoke</button></form>`
        }</td></tr>`,
    )}
    </table>
    <form method="post" action="/merchants/${input.merchantId}/api-tokens"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
    <input name="name" placeholder="名称 Name, e.g. my script" required maxlength="100" data-testid="token-name"> <button class="button" type="submit" data-testid="create-token">创建 Create</button></form></div>
    <div class="card" id="users"><h2>用户 Users</h2>
    <p>停用的用户不能登录，其会话和 API 令牌立即失效；店铺至少保留一位店主。 A disabled user cannot sign in; their sessions end and their API tokens are revoked at once. The shop keeps at least one owner.</p>
    ${notice(input.usersNotice)}${usersTable(input.users, input.principal, `/merchants/${input.merchantId}/users`, false)}</div>
    <p><a href="/merchants/${input.merchantId}">返回 Back to your shops</a></p>`,
    { sandbox: input.sandbox },
  );
}
