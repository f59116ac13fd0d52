import { Platform, ShopRef } from './platform.types';

/** Accounts and auth: the token provider the adapters call, and each platform's OAuth client. */
export const TOKEN_PROVIDER = Symbol('TOKEN_PROVIDER');
export const OAUTH_CLIENTS = Symbol('OAUTH_CLIENTS');

/** Implemented by accounts; the clients never store tokens. */
export interface TokenProvider {
  accessToken(shop: ShopRef): Promise<string>;
  /**
   * The platform rejected `rejectedToken` as expired: refresh (once for all concurrent callers)
   * and return the new token. Throws PlatformError AUTH_REVOKED when the grant is gone.
   */
  refreshAfterExpiry(shop: ShopRef, rejectedToken: string): Promise<string>;
}

export interface TokenGrant {
  shopId: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
  scopes: string[];
  shopName?: string;
}

/** OAuth of one platform (authorize URL, code exchange, refresh with rotation). */
export interface PlatformOAuthClient {
  readonly platform: Platform;
  /** Scopes the service needs; a grant missing one is refused. */
  readonly requiredScopes: string[];
  authorizeUrl(input: { state: string; redirectUri: string }): string;
  exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenGrant>;
  refresh(refreshToken: string): Promise<TokenGrant>;
  /** Self-built apps without a browser grant (Youzan `authorize_type=silent`, grant id = kdt_id). */
  silentGrant?(shopId: string): Promise<TokenGrant>;
}
