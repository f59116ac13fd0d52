const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof SafeHtml ? v.html : escapeHtml(v))).join('')
      : value instanceof SafeHtml
        ? value.html
        : escapeHtml(value);
    out += rendered + strings[i + 1];
  });
  return new SafeHtml(out);
}

const STYLE = `
  body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1d2129}
  header{background:#1d2129;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:center}
  header a{color:#fff;text-decoration:none;font-weight:600}
  main{max-width:1100px;margin:24px auto;padding:0 16px}
  .card{background:#fff;border-radius:8px;padding:16px 20px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
  .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(320px,100%),1fr));gap:16px}
  .badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600}
  .ok{background:#e8f7ee;color:#0e7a3a}.warn{background:#fff4e0;color:#a35a00}.bad{background:#fdecec;color:#b42318}.muted{background:#eef0f3;color:#4e5969}
  .button{display:inline-block;border:0;border-radius:6px;padding:8px 14px;background:#165dff;color:#fff;text-decoration:none;font-size:14px;cursor:pointer}
  .button.secondary{background:#eef0f3;color:#1d2129}.button.danger{background:#fdecec;color:#b42318}
  table{border-collapse:collapse;width:100%;font-size:14px}td,th{padding:6px 8px;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}
  dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;font-size:14px}dt{color:#4e5969}dd{margin:0;min-width:0;overflow-wrap:anywhere}
  .notice{padding:12px 16px;border-radius:6px;margin-bottom:16px}.notice.ok{border:1px solid #b7e4c7}.notice.bad{border:1px solid #f4c7c3}
  input{padding:7px 10px;border:1px solid #c9cdd4;border-radius:6px;font-size:14px}
  input,select,textarea{max-width:100%;box-sizing:border-box}
  code{background:#eef0f3;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
  .merchant-nav{display:flex;flex-wrap:wrap;gap:8px 16px;padding:10px 16px}.merchant-nav a{color:#165dff;text-decoration:none}.merchant-nav a[aria-current=page]{color:#1d2129;font-weight:700}
  .scroll{overflow-x:auto}label{font-size:14px}
  @media (max-width:480px){main{padding:0 8px;margin:12px auto}.card{padding:12px}header{padding:10px 12px;gap:10px}td,th{padding:4px 6px}}
`;

export function page(title: string, body: SafeHtml, options: { sandbox?: boolean } = {}): string {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · kwaizan-sync</title><style>${new SafeHtml(STYLE)}</style></head>
<body><header><a href="/">kwaizan-sync</a><a href="/docs">API</a>${options.sandbox ? html`<span class="badge warn" data-testid="sandbox-badge">SANDBOX</span>` : ''}</header>
<main>${body}</main></body></html>`.html;
}

export function formatTime(epochMs: number | null | undefined): string {
  if (!epochMs) return '—';
  return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
