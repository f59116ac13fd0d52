import { FailureFilter } from '../failures/sync-failure.repository';
import { SyncFailureStatus } from '../failures/sync-failure.entity';
import { SyncFailureActionKind } from '../failures/sync-failure-action.entity';

export const FAILURE_STATUSES: SyncFailureStatus[] = ['open', 'retrying', 'resolved', 'dismissed'];
export const FAILURE_ACTIONS: SyncFailureActionKind[] = ['retry', 'replay', 'dismiss'];
export const PLATFORMS = ['kuaishou', 'youzan'];
export const PAGE_SIZE = 25;

/** What the filter form holds, as typed (so the form shows it back). */
export interface FailureCenterForm {
  status: string;
  context: string;
  platform: string;
  shopRef: string;
  errorCode: string;
  q: string;
}

export interface ParsedFailureQuery {
  form: FailureCenterForm;
  filter: FailureFilter;
  page: number;
  /** Field → words; the list still shows, with the faulty field left out. */
  errors: Record<string, string>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/**
 * The failure center's query string → a repository filter. Never throws: a bad field is named in
 * `errors` and ignored, so a hand-edited URL gets a page that says what was wrong (not a 500).
 * Status defaults to the failures that still need someone (open and retrying); `all` shows every one.
 */
export function parseFailureQuery(query: Record<string, unknown>): ParsedFailureQuery {
  const form: FailureCenterForm = {
    status: text(query.status) || 'open,retrying',
    context: text(query.context),
    platform: text(query.platform),
    shopRef: text(query.shopRef),
    errorCode: text(query.errorCode),
    q: text(query.q),
  };
  const errors: Record<string, string> = {};
  const filter: FailureFilter = {};
  if (form.status !== 'all') {
    const statuses = form.status
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = statuses.filter((s) => !FAILURE_STATUSES.includes(s as SyncFailureStatus));
    if (bad.length) errors.status = `未知状态 Unknown status: ${bad.join(', ')}`;
    else filter.status = statuses as SyncFailureStatus[];
  }
  const bounded = (key: 'context' | 'shopRef' | 'errorCode', max: number) => {
    if (!form[key]) return;
    if (form[key].length > max) errors[key] = `最多 ${max} 个字符 At most ${max} characters`;
    else filter[key] = key === 'errorCode' ? form[key].toUpperCase() : form[key];
  };
  bounded('context', 80);
  bounded('shopRef', 100);
  bounded('errorCode', 40);
  if (form.platform) {
    if (PLATFORMS.includes(form.platform)) filter.platform = form.platform;
    else errors.platform = '平台只能是快手或有赞 Platform is kuaishou or youzan';
  }
  if (form.q) {
    if (form.q.length > 100) errors.q = '最多 100 个字符 At most 100 characters';
    else filter.search = form.q;
  }
  const pageText = text(query.page) || '1';
  let page = 1;
  if (/^\d{1,5}$/.test(pageText) && Number(pageText) >= 1 && Number(pageText) <= 10_000) page = Number(pageText);
  else errors.page = '页码应为 1 到 10000 的整数 Page is a whole number from 1 to 10000';
  return { form, filter, page, errors };
}

/** The query string of a filter form, for paging links (empty fields left out). */
export function failureQueryString(form: FailureCenterForm, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v) params.set(k, v);
  if (page > 1) params.set('page', String(page));
  return params.toString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ParsedAction {
  action?: SyncFailureActionKind;
  ids: string[];
  note?: string;
  errors: Record<string, string>;
}

/** A bulk or single action form: `action`, `ids` (one or many), `note`. */
export function parseActionForm(body: Record<string, unknown>): ParsedAction {
  const errors: Record<string, string> = {};
  const action = text(body.action) as SyncFailureActionKind;
  if (!FAILURE_ACTIONS.includes(action)) errors.action = '请选择操作：重试、重放或忽略 Choose retry, replay or dismiss';
  const raw = body.ids;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(text).filter(Boolean);
  const ids = [...new Set(list)];
  if (!ids.length) errors.ids = '请至少选择一条失败记录 Select at least one failure';
  else if (ids.some((id) => !UUID.test(id))) errors.ids = '失败记录编号无效 A failure id is not valid';
  else if (ids.length > 150) errors.ids = '一次最多 150 条 At most 150 at a time';
  const note = text(body.note);
  if (note.length > 500) errors.note = '备注最多 500 个字符 The note is at most 500 characters';
  if (action === 'dismiss' && !note) errors.note = '忽略时请写明原因 Say why when dismissing';
  return { action: errors.action ? undefined : action, ids, note: note || undefined, errors };
}
