import type { UserRole } from './user.entity';

/** Who is calling: a signed-in user (session cookie), a script (API token) or an ERP (signed delivery). */
export type Principal =
  | {
      kind: 'session';
      userId: string;
      email: string;
      role: UserRole;
      merchantId: string | null;
      sessionHash: string;
      csrfToken: string;
    }
  | { kind: 'api-token'; userId: string; email: string; role: UserRole; merchantId: string | null; tokenId: string }
  | { kind: 'erp'; merchantId: string; keyId: string; deliveryId: string };

export type UserPrincipal = Extract<Principal, { kind: 'session' | 'api-token' }>;

export const PRINCIPAL_KEY = 'kwaizanPrincipal';

export interface RequestWithPrincipal {
  [PRINCIPAL_KEY]?: Principal;
}

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';
