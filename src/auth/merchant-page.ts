import { applyDecorators, Controller, createParamDecorator, ExecutionContext, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { MerchantAccess, Page } from './policy.decorator';
import { PRINCIPAL_KEY, RequestWithPrincipal, UserPrincipal } from './principal';

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

/** A merchant page controller: HTML under `/merchants/:merchantId/<path>`, left out of the API docs. */
export const MerchantPages = (path: string) =>
  applyDecorators(ApiExcludeController(), Controller(`merchants/:merchantId/${path}`));

/** The page's GET: staff may look, and anonymous visitors are sent to the sign-in page. */
export const MerchantPageView = () => applyDecorators(Get(), MerchantAccess('staff'), Page());

/** What a merchant page's GET hands its template besides its data. */
export interface MerchantPageContext {
  viewer: MerchantPageViewer;
  notice: PageNotice | undefined;
}

/**
 * The viewer (from the signed-in principal) and the notice (from `?ok=` / `?error=`, cut to `max` characters),
 * for a route under `@MerchantPageView()` (whose guard ensures a user principal).
 */
export const MerchantPageRequest = createParamDecorator(
  (max: number | undefined, ctx: ExecutionContext): MerchantPageContext => {
    const req = ctx.switchToHttp().getRequest<Request & RequestWithPrincipal>();
    const query = req.query as Record<string, unknown>;
    return {
      viewer: merchantPageViewer(req[PRINCIPAL_KEY] as UserPrincipal),
      notice: pageNotice(query.ok, query.error, max),
    };
  },
);
