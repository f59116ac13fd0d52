import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiTokensService } from './api-tokens.service';
import { CsrfRejectedException, ForbiddenException, UnauthenticatedException } from './auth.errors';
import { ErpCredentialsService } from './erp-credentials.service';
import { PAGE_KEY, Policy, POLICY_KEY } from './policy.decorator';
import { CSRF_FIELD, CSRF_HEADER, Principal, PRINCIPAL_KEY, RequestWithPrincipal, UserPrincipal } from './principal';
import { SESSION_COOKIE, SessionsService } from './sessions.service';
import { isOperator } from './user.entity';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Req = RawBodyRequest<Request> & RequestWithPrincipal;

/** Denies by default: a route without a policy answers 403 for everyone (and fails the authorization matrix test). */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
    private readonly erp: ErpCredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Req>();
    const policy = this.reflector.getAllAndOverride<Policy | undefined>(POLICY_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!policy) {
      this.logger.error(`${req.method} ${req.route?.path ?? req.path} has no access policy: refused`);
      throw new ForbiddenException('This route declares no access policy.');
    }
    if (policy.kind === 'erp') {
      req[PRINCIPAL_KEY] = await this.erp.authenticate(req.headers, req.rawBody ?? Buffer.alloc(0));
      return true;
    }
    // On a public route a bad credential is ignored (a platform push may carry headers of its own).
    const principal =
      policy.kind === 'public' ? await this.principalOf(req).catch(() => undefined) : await this.principalOf(req);
    if (principal) req[PRINCIPAL_KEY] = principal;
    if (policy.kind === 'public') return true;
    if (!principal) {
      if (
        this.reflector.getAllAndOverride<boolean>(PAGE_KEY, [context.getHandler(), context.getClass()]) &&
        SAFE_METHODS.has(req.method)
      ) {
        context
          .switchToHttp()
          .getResponse<Response>()
          .redirect(303, `/sign-in?next=${encodeURIComponent(req.originalUrl)}`);
      }
      throw new UnauthenticatedException();
    }
    this.checkCsrf(req, principal);
    this.authorize(policy, principal, req);
    return true;
  }

  private async principalOf(req: Req): Promise<UserPrincipal | undefined> {
    const authorization = req.headers.authorization;
    if (authorization) {
      const [scheme, token] = authorization.split(' ');
      const principal = scheme === 'Bearer' && token ? await this.apiTokens.resolve(token) : undefined;
      if (!principal) throw new UnauthenticatedException('The API token is unknown or revoked.');
      return principal;
    }
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    return cookie ? this.sessions.resolve(cookie) : undefined;
  }

  /** Cookies ride along on cross-site requests; the session's own token in a header or form field does not. */
  private checkCsrf(req: Req, principal: Principal): void {
    if (principal.kind !== 'session' || SAFE_METHODS.has(req.method)) return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = req.headers[CSRF_HEADER] ?? (body && typeof body === 'object' ? body[CSRF_FIELD] : undefined);
    if (typeof sent !== 'string' || sent !== principal.csrfToken) throw new CsrfRejectedException();
    if (body && typeof body === 'object' && CSRF_FIELD in body) delete body[CSRF_FIELD];
  }

  private authorize(policy: Exclude<Policy, { kind: 'public' | 'erp' }>, principal: UserPrincipal, req: Req): void {
    if (policy.kind === 'signed-in') return;
    if (policy.kind === 'ops') {
      if (!isOperator(principal.role)) throw new ForbiddenException('Only ops and admin users may do this.');
      return;
    }
    if (policy.kind === 'admin') {
      if (principal.role !== 'admin') throw new ForbiddenException('Only admin users may do this.');
      return;
    }
    if (policy.sessionOnly && principal.kind !== 'session')
      throw new ForbiddenException('Sign in to do this (API tokens may not).');
    const merchantId = merchantIdOf(req);
    if (isOperator(principal.role)) {
      if (policy.operators === 'write' || (policy.operators === 'read' && SAFE_METHODS.has(req.method))) return;
      throw new ForbiddenException("Operators may read a merchant's data but not change it.");
    }
    if (!merchantId || principal.merchantId !== merchantId)
      throw new ForbiddenException('This belongs to another merchant.');
    if (policy.role === 'owner' && principal.role !== 'owner')
      throw new ForbiddenException('Only the merchant owner may do this.');
  }
}

function merchantIdOf(req: Req): string | undefined {
  const fromParams = (req.params as Record<string, string | undefined>).merchantId;
  if (fromParams) return fromParams;
  const fromQuery = (req.query as Record<string, unknown>).merchantId;
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}
