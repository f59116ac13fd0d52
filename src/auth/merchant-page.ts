import type { UserPrincipal } from './principal';

/** Who is looking at a merchant page, as the page templates take it. */
export interface MerchantPageViewer {
  principal: UserPrincipal;
  /** The session's CSRF token for the page's forms ('' for an API token, which has no forms). */
  csrfToken: string;
  /** Owners may change things; staff only look. */
  mayManage: boolean;
}

/** The line at the top of a page after a form's redirect (`?ok=` or `?error=`). */
export interface PageNotice {
  ok: boolean;
  text: string;
}

/** The viewer every merchant page passes to its template. */
export function merchantPageViewer(principal: UserPrincipal): MerchantPageViewer {
  return {
    principal,
    csrfToken: principal.kind === 'session' ? principal.csrfToken : '',
    mayManage: principal.role === 'owner',
  };
}

/** The notice from a redirect's `ok` / `error` query values (error wins), cut to `max` characters. */
export function pageNotice(ok: unknown, error: unknown, max = 300): PageNotice | undefined {
  if (error) return { ok: false, text: String(error).slice(0, max) };
  if (ok) return { ok: true, text: String(ok).slice(0, max) };
  return undefined;
}
