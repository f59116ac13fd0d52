import { accountBar } from '@app/auth/pages/auth.pages';
import { CSRF_FIELD } from '@app/auth/principal';
import { FieldError } from '@app/common/errors/domain.exception';
import { html, page, SafeHtml } from '@app/common/http/html';
import { merchantNav } from '@app/common/http/merchant-nav';
import { ChannelCategoryProperty, ChannelItem } from '@app/platforms/ports/catalog.port';
import { ListingPropertyValue } from '../listings/listing-validation';
import { ListingEntity } from '../listings/listing.entity';
import { CatalogViewer } from './catalog.pages';

export interface ShopChoice {
  id: string;
  platform: string;
  name: string;
}

/** What the draft form shows in its inputs: the stored draft, or what the merchant just sent back. */
export interface DraftFormValues {
  categoryId: string;
  title: string;
  imageUrls: string;
  properties: ListingPropertyValue[];
}

const csrfField = (viewer: CatalogViewer) =>
  html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrfToken}">`;

const shopLabel = (s: ShopChoice) => `${s.platform === 'kuaishou' ? '快手 Kuaishou' : '有赞 Youzan'} · ${s.name}`;

/** The catalog page's card that starts a draft: the source shop whose items to pick from. */
export function draftStartCard(merchantId: string, shops: ShopChoice[]): SafeHtml {
  if (shops.length < 2)
    return html`<div class="card" data-testid="draft-start"><h2>起草 Draft a listing</h2><p>Connect a Kuaishou and a Youzan shop first.</p></div>`;
  return html`<div class="card" data-testid="draft-start"><h2>起草 Draft a listing</h2>
    <form method="get" action="/merchants/${merchantId}/catalog/drafts/new">
      <label for="draft-source">从店铺选择商品 Pick an item of</label>
      <select id="draft-source" name="sourceConnectionId" data-testid="draft-source">
        ${shops.map((s) => html`<option value="${s.id}">${shopLabel(s)}</option>`)}
      </select>
      <button class="button secondary" type="submit" data-testid="draft-pick">选择 Choose</button>
    </form></div>`;
}

/** The source shop's items, each with a button drafting it for the merchant's shop on the other platform. */
export function sourceItemsPage(
  merchant: { id: string; name: string },
  source: ShopChoice,
  target: ShopChoice | undefined,
  items: ChannelItem[],
  sandbox: boolean,
  viewer: CatalogViewer,
  notice?: { ok: boolean; text: string },
): string {
  const rows = items.map(
    (item) => html`<tr data-testid="source-item-${item.itemId}">
      <td>${item.title}<br><small><code>${item.itemId}</code>${item.outerItemId ? html` · ${item.outerItemId}` : ''} · ${item.skus.length} SKU</small></td>
      <td>${
        target && viewer.mayPublish
          ? html`<form method="post" action="/merchants/${merchant.id}/catalog/drafts">${csrfField(viewer)}
          <input type="hidden" name="sourceConnectionId" value="${source.id}">
          <input type="hidden" name="sourceItemId" value="${item.itemId}">
          <input type="hidden" name="targetConnectionId" value="${target.id}">
          <button class="button" type="submit" data-testid="draft-${item.itemId}">起草 Draft</button></form>`
          : ''
      }</td></tr>`,
  );
  return page(
    `${merchant.name} · 起草 Draft`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'catalog', { owner: viewer.mayManage })}
    <h1>起草 Draft a listing</h1>
    ${notice ? html`<div class="notice ${notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${notice.text}</div>` : ''}
    <div class="card"><p>${shopLabel(source)} → ${target ? shopLabel(target) : 'no shop on the other platform'}</p>
      ${
        items.length
          ? html`<div class="scroll"><table><thead><tr><th>Item</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>`
          : html`<p>No items in this shop.</p>`
      }</div>
    <p><a href="/merchants/${merchant.id}/catalog">← 类目 Catalog</a></p>`,
    { sandbox },
  );
}

function errorsFor(field: string, errors: Map<string, string[]>): SafeHtml {
  const messages = errors.get(field) ?? [];
  return html`<div class="field-error" data-testid="error-${field}" role="alert">${messages.map(
    (m) => html`<small class="bad badge">${m}</small> `,
  )}</div>`;
}

function propertyInput(prop: ChannelCategoryProperty, value: ListingPropertyValue | undefined): SafeHtml {
  const name = `prop_${prop.id}`;
  const chosen = new Set(value?.valueIds ?? []);
  const testid = `prop-${prop.id}`;
  if ((prop.inputType === 'single' || prop.inputType === 'multi') && prop.values.length) {
    const multi = prop.inputType === 'multi';
    return html`<select id="${name}" name="${name}" data-testid="${testid}" ${multi ? html`multiple size="${Math.min(6, prop.values.length)}"` : ''}>
      ${multi ? '' : html`<option value="">—</option>`}
      ${prop.values.map((v) => html`<option value="${v.id}" ${chosen.has(v.id) ? 'selected' : ''}>${v.name}</option>`)}
    </select>${multi && prop.maxValues ? html` <small>≤ ${prop.maxValues}</small>` : ''}`;
  }
  const text = value?.text ?? value?.imageUrls?.join(' ') ?? '';
  return html`<input id="${name}" name="${name}" value="${text}" data-testid="${testid}" ${prop.inputType === 'number' ? 'inputmode="decimal"' : ''}>`;
}

/**
 * One draft: the validator's findings (errors first) and a form for its category, title, images and
 * the target category's properties (required ones marked), each field with its own messages.
 */
export function listingDraftPage(
  merchant: { id: string; name: string },
  listing: ListingEntity,
  properties: ChannelCategoryProperty[],
  values: DraftFormValues,
  sandbox: boolean,
  viewer: CatalogViewer,
  options: { notice?: { ok: boolean; text: string }; formErrors?: FieldError[]; propertiesError?: string } = {},
): string {
  const base = `/merchants/${merchant.id}/catalog/listings/${listing.id}`;
  const editable = ['draft', 'failed', 'rejected'].includes(listing.status) && !listing.targetItemId;
  const errors = new Map<string, string[]>();
  const add = (field: string, message: string) => errors.set(field, [...(errors.get(field) ?? []), message]);
  for (const f of options.formErrors ?? []) for (const m of f.messages) add(f.field, m);
  if (!options.formErrors?.length)
    for (const f of listing.findings.filter((x) => x.severity === 'error'))
      add(f.field.startsWith('imageUrls') ? 'imageUrls' : f.field, `${f.code}: ${f.message.zh} / ${f.hint.zh}`);
  const shownFields = new Set(['categoryId', 'title', 'imageUrls', ...properties.map((p) => `properties[${p.id}]`)]);
  const findings = [...listing.findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  const errorCount = listing.findings.filter((f) => f.severity === 'error').length;
  const byId = new Map(values.properties.map((p) => [p.propertyId, p]));
  const ordered = [...properties].sort((a, b) => Number(b.required) - Number(a.required));
  return page(
    `${merchant.name} · ${listing.draft.title}`,
    html`${accountBar(viewer.principal)}${merchantNav(merchant.id, 'catalog', { owner: viewer.mayManage })}
    <h1>商品草稿 Draft</h1>
    ${options.notice ? html`<div class="notice ${options.notice.ok ? 'ok' : 'bad'} card" data-testid="notice">${options.notice.text}</div>` : ''}
    <div class="card" data-testid="draft-summary">
      <dl><dt>Item</dt><dd>${listing.sourcePlatform} <code>${listing.sourceItemId}</code> → ${listing.targetPlatform}</dd>
      <dt>Code</dt><dd><code>${listing.outerItemId}</code></dd>
      <dt>Status</dt><dd><span class="badge" data-testid="draft-status">${listing.status}</span></dd>
      <dt>Check</dt><dd data-testid="draft-verdict">${
        errorCount
          ? html`<span class="badge bad">${errorCount} 个问题 error(s) to fix</span>`
          : html`<span class="badge ok">可以发布 Ready to publish</span>`
      }</dd></dl>
      ${
        findings.length
          ? html`<ul data-testid="draft-findings">${findings.map(
              (f) =>
                html`<li data-testid="finding-${f.code}"><span class="badge ${f.severity === 'error' ? 'bad' : 'warn'}">${f.code}</span> <code>${f.field}</code> ${f.message.zh} / ${f.message.en}${shownFields.has(f.field) ? '' : html`<br><small>${f.hint.zh} / ${f.hint.en}</small>`}</li>`,
            )}</ul>`
          : ''
      }
    </div>
    ${
      editable && viewer.mayPublish
        ? html`<form class="card" method="post" action="${base}/draft" data-testid="draft-form">${csrfField(viewer)}
      <h2>补全 Complete the draft</h2>
      <p><label for="categoryId">类目 Category (leaf id)</label><br>
        <input id="categoryId" name="categoryId" value="${values.categoryId}" inputmode="numeric" data-testid="draft-category">
        ${errorsFor('categoryId', errors)}</p>
      <p><label for="title">标题 Title</label><br>
        <input id="title" name="title" value="${values.title}" style="width:100%" data-testid="draft-title">
        ${errorsFor('title', errors)}</p>
      <p><label for="imageUrls">图片 Images (one URL per line)</label><br>
        <textarea id="imageUrls" name="imageUrls" rows="3" style="width:100%" data-testid="draft-images">${values.imageUrls}</textarea>
        ${errorsFor('imageUrls', errors)}</p>
      ${options.propertiesError ? html`<p class="notice bad" data-testid="properties-error">${options.propertiesError}</p>` : ''}
      ${
        ordered.length
          ? html`<h3>类目属性 Category properties</h3>${ordered.map(
              (
                prop,
              ) => html`<p data-testid="field-${prop.id}"><label for="prop_${prop.id}">${prop.name}${prop.required ? html` <span class="badge bad">必填 required</span>` : ''}</label><br>
              ${propertyInput(prop, byId.get(prop.id))}
              ${errorsFor(`properties[${prop.id}]`, errors)}</p>`,
            )}`
          : listing.categoryId
            ? html`<p>This category has no properties to fill.</p>`
            : html`<p>Set a category to see its properties.</p>`
      }
      <button class="button" type="submit" data-testid="draft-save">保存并校验 Save and check</button>
    </form>
    ${
      errorCount === 0 && !options.formErrors?.length
        ? html`<form method="post" action="/merchants/${merchant.id}/catalog/listings/${listing.id}/publish">${csrfField(viewer)}<button class="button" type="submit" data-testid="draft-publish">发布 Publish</button></form>`
        : ''
    }`
        : ''
    }
    <p><a href="/merchants/${merchant.id}/catalog">← 类目 Catalog</a></p>`,
    { sandbox },
  );
}
