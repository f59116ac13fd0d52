import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD, UserPrincipal } from '@app/auth/principal';
import { formatTime, html, page } from '@app/common/http/html';
import { merchantNav } from '@app/common/http/merchant-nav';
import { CategoryTreeReadEntity } from '../categories/category-tree-read.entity';
import { ListingEntity } from '../listings/listing.entity';
import { EffectiveMapping } from '../mapping/category-mapping.service';
import { draftStartCard, ShopChoice } from './listing-draft.pages';

export interface CatalogViewer {
  principal: UserPrincipal;
  csrfToken: string;
  /** Owners change the mapping; staff refresh trees and look. */
  mayManage: boolean;
  mayRefresh: boolean;
  /** Owners and staff publish listings. */
  mayPublish: boolean;
}

const PUBLISHABLE = ['draft', 'failed'];
const STATUS_TONE: Record<string, string> = { live: 'ok', rejected: 'bad', failed: 'bad', draft: 'muted' };

/** The merchant's listings with their status, audit state and findings (errors first), and a publish button. */
function listingsCard(merchantId: string, listings: ListingEntity[], viewer: CatalogViewer, csrf: unknown) {
  const rows = listings.map((l) => {
    const findings = [...l.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    return html`<tr data-testid="listing-${l.id}">
      <td>${l.sourcePlatform} <code>${l.sourceItemId}</code> → ${l.targetPlatform}
        ${l.targetItemId ? html`<code>${l.targetItemId}</code>` : ''}<br><a href="/merchants/${merchantId}/catalog/listings/${l.id}" data-testid="open-listing-${l.id}">${l.draft.title}</a></td>
      <td><span class="badge ${STATUS_TONE[l.status] ?? 'warn'}" data-testid="listing-status-${l.id}">${l.status}</span>
        ${l.origin === 'bound' ? html`<span class="badge muted">bound</span>` : ''}
        ${l.auditState ? html`<br>audit: ${l.auditState}${l.auditReason ? html` — ${l.auditReason}` : ''}` : ''}
        ${l.reason ? html`<br><small>${l.reason}</small>` : ''}</td>
      <td>${
        findings.length
          ? html`<ul>${findings.map(
              (f) =>
                html`<li><span class="badge ${f.severity === 'error' ? 'bad' : 'warn'}">${f.code}</span> ${f.message.zh} / ${f.message.en}<br><small>${f.hint.zh} / ${f.hint.en}</small></li>`,
            )}</ul>`
          : '—'
      }</td>
      ${
        viewer.mayPublish
          ? html`<td>${
              PUBLISHABLE.includes(l.status)
                ? html`<form method="post" action="/merchants/${merchantId}/catalog/listings/${l.id}/publish">${csrf}<button class="button" type="submit" data-testid="publish-${l.id}">发布 Publish</button></form>`
                : ''
            }</td>`
          : ''
      }
    </tr>`;
  });
  return html`<div class="card" data-testid="listings"><h2>商品发布 Listings</h2>
    ${
      listings.length
        ? html`<div class="scroll"><table><thead><tr><th>Item</th><th>Status</th><th>Findings</th>${viewer.mayPublish ? html`<th></th>` : ''}</tr></thead><tbody>${rows}</tbody></table></div>`
        : html`<p>No listings yet: draft one above (or with <code>POST /api/merchants/${merchantId}/listings</code>).</p>`
    }</div>`;
}

const SOURCE_LABEL: Record<EffectiveMapping['source'], [string, string]> = {
  merchant: ['自定义 Yours', 'ok'],
  default: ['默认 Default', 'muted'],
  none: ['未映射 Not mapped', 'warn'],
};

/** The category mapping section: trees and when they were read, the 26 Youzan categories and their Kuaishou leaves. */
export function catalogPage(
  merchant: { id: string; name: string },
  reads: CategoryTreeReadEntity[],
  mappings: EffectiveMapping[],
  sandbox: boolean,
  viewer: CatalogViewer,
  notice?: { ok: boolean; text: string },
  listings: ListingEntity[] = [],
  shops: ShopChoice[] = [],
): string {
  const base = `/merchants/${merchant.id}/catalog`;
  const csrf = html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">`;
  const rows = mappings.map((m) => {
    const [label, tone] = SOURCE_LABEL[m.source];
    return html`<tr data-testid="mapping-${m.scope}-${m.youzanId}">
      <td>${m.scope === 'item' ? '商品 Item' : '类目 Category'} <code>${m.youzanId}</code> ${m.youzanName ?? ''}</td>
      <td><code>${m.kuaishouCategoryId ?? '—'}</code> ${m.kuaishouPath?.join(' > ') ?? ''}
        ${m.open === false ? html`<span class="badge bad">未开放 Not open for your shop</span>` : ''}</td>
      <td><span class="badge ${tone}">${label}</span></td>
      ${
        viewer.mayManage
          ? html`<td><form method="post" action="${base}/mappings" style="display:inline">${csrf}
          <input type="hidden" name="scope" value="${m.scope}"><input type="hidden" name="youzanId" value="${m.youzanId}">
          <input name="kuaishouCategoryId" size="8" pattern="[0-9]+" required placeholder="leaf id" data-testid="leaf-${m.youzanId}">
          <button class="button secondary" type="submit">保存 Save</button></form>
          <a href="/api/merchants/${merchant.id}/catalog/category-mappings/${m.youzanId}/suggestions">建议 Suggestions</a></td>`
          : ''
      }
    </tr>`;
  });
  return page(
    `${merchant.name} · 类目 Catalog`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'catalog', { owner: viewer.mayManage })}<h1>类目映射 Category mapping</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''}
    <div class="card" data-testid="category-trees"><h2>类目树 Category trees</h2>
      ${
        reads.length
          ? html`<ul>${reads.map((r) => html`<li data-testid="tree-${r.platform}">${r.platform}: ${r.categoryCount} categories, read ${formatTime(r.readAt)}${r.lastError ? html` <span class="badge bad">${r.lastError}</span>` : ''}</li>`)}</ul>`
          : html`<p>No tree read yet.</p>`
      }
      ${viewer.mayRefresh ? html`<form method="post" action="${base}/refresh">${csrf}<button class="button secondary" type="submit" data-testid="refresh-trees">刷新 Read again</button></form>` : ''}
    </div>
    <div class="card"><h2>有赞类目 → 快手叶子类目 Youzan → Kuaishou leaf</h2>
      <table><thead><tr><th>Youzan</th><th>Kuaishou leaf</th><th>Source</th>${viewer.mayManage ? html`<th></th>` : ''}</tr></thead>
      <tbody>${rows}</tbody></table>
      <p><a href="/api/merchants/${merchant.id}/catalog/category-mappings/export.csv" data-testid="export-csv">导出 CSV Export</a></p>
    </div>
    ${viewer.mayPublish ? draftStartCard(merchant.id, shops) : ''}
    ${listingsCard(merchant.id, listings, viewer, csrf)}
    <p><a href="/merchants/${merchant.id}">← ${merchant.name}</a></p>`,
    { sandbox },
  );
}
