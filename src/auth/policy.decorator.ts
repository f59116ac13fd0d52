import { applyDecorators, createParamDecorator, ExecutionContext, Get, SetMetadata } from '@nestjs/common';
import { Principal, PRINCIPAL_KEY, RequestWithPrincipal } from './principal';

/**
 * Every route declares exactly one policy; the global AccessGuard refuses a route without one.
 * - public: anyone (the handler may still read an optional principal)
 * - signed-in: any user
 * - merchant: a user of the merchant named by the route's `:merchantId` (or `?merchantId=`), with at least `role`;
 *   operators may read (`operators: 'read'`, the default: safe methods only), also change (`'write'`) or nothing (`'none'`)
 * - ops: ops or admin; admin: admin only
 * - erp: a delivery signed with one of the merchant's ERP credentials
 */
export type Policy =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'merchant'; role: 'owner' | 'staff'; operators: OperatorAccess; sessionOnly: boolean }
  | { kind: 'ops' }
  | { kind: 'admin' }
  | { kind: 'erp' };

export type OperatorAccess = 'none' | 'read' | 'write';

export const POLICY_KEY = 'kwaizan:policy';
/** Pages send anonymous visitors to the sign-in page instead of answering 401. */
export const PAGE_KEY = 'kwaizan:page';

export const Public = () => SetMetadata(POLICY_KEY, { kind: 'public' } satisfies Policy);
export const SignedIn = () => SetMetadata(POLICY_KEY, { kind: 'signed-in' } satisfies Policy);
/** `sessionOnly`: not with an API token (managing credentials and tokens needs a person). */
export const MerchantAccess = (
  role: 'owner' | 'staff',
  options: { operators?: OperatorAccess; sessionOnly?: boolean } = {},
) =>
  SetMetadata(POLICY_KEY, {
    kind: 'merchant',
    role,
    operators: options.operators ?? 'read',
    sessionOnly: options.sessionOnly ?? false,
  } satisfies Policy);
export const Ops = () => SetMetadata(POLICY_KEY, { kind: 'ops' } satisfies Policy);
export const Admin = () => SetMetadata(POLICY_KEY, { kind: 'admin' } satisfies Policy);
export const ErpCredential = () => SetMetadata(POLICY_KEY, { kind: 'erp' } satisfies Policy);
export const Page = () => SetMetadata(PAGE_KEY, true);

/** An ops console page's GET: operators only, anonymous visitors sent to the sign-in page. */
export const OpsPage = (path?: string) => applyDecorators(Get(path), Ops(), Page());

/** The caller as the guard established it (undefined only on public routes). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | undefined =>
    ctx.switchToHttp().getRequest<RequestWithPrincipal>()[PRINCIPAL_KEY],
);
