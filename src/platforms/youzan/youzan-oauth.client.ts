import { Clock, SystemClock } from '@app/common/clock';
import { YouzanConfig } from '@app/config/app-config';
import { PlatformOAuthClient, TokenGrant } from '../ports/accounts.port';
import { PlatformError } from '../platform-error';
import { PlatformGateway } from '../shared/platform-gateway';
import { parseYouzanBody } from './youzan-error.parser';
import { postForJson } from './youzan-http.client';
import { idString } from './youzan-values';

export interface YouzanOAuthOptions {
  timeoutMs?: number;
  clock?: Clock;
  /** Refresh tokens live about 28 days (doc digest, unverified; Youzan does not send it). */
  refreshTokenLifetimeMs?: number;
  requiredScopes?: string[];
}

interface TokenData {
  access_token?: string;
  expires?: number | string;
  scope?: string;
  authority_id?: number | string;
  refresh_token?: string;
}

const TOKEN_API = 'auth.token';
const DAY_MS = 24 * 3600 * 1000;

/**
 * Youzan Cloud token endpoint: `POST /auth/token`, JSON only, keyed by `authorize_type`
 * (not `grant_type`). `expires` is an absolute epoch in ms; `authority_id` is the kdt_id.
 * Tool (marketplace) apps exchange a `code`; self-built apps use `silent` with the kdt_id.
 */
export class YouzanOAuthClient implements PlatformOAuthClient {
  readonly platform = 'youzan' as const;
  readonly requiredScopes: string[];
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly refreshTokenLifetimeMs: number;

  constructor(
    private readonly config: YouzanConfig,
    private readonly gateway: PlatformGateway,
    options: YouzanOAuthOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.clock = options.clock ?? new SystemClock();
    this.refreshTokenLifetimeMs = options.refreshTokenLifetimeMs ?? 28 * DAY_MS;
    this.requiredScopes = options.requiredScopes ?? ['item', 'trade', 'logistics'];
  }

  /**
   * Real tool apps are authorized from the Youzan app market, which then calls the app's
   * callback with `?code=`; this URL (YOUZAN_AUTHORIZE_URL) only serves already-subscribed
   * shops (diy.youzanyun.com, unconfirmed) and the sandbox's authorize page.
   */
  authorizeUrl(input: { state: string; redirectUri: string }): string {
    const query = new URLSearchParams({
      client_id: this.config.clientId,
      response_type: 'code',
      state: input.state,
      redirect_uri: input.redirectUri,
    });
    return `${this.config.authorizeUrl}?${query.toString()}`;
  }

  /** A code lives 2 minutes and works once; a reused one answers 1005. Not retried. */
  async exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenGrant> {
    return this.token(
      { authorize_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri },
      false,
    );
  }

  /** Rotation: the answer carries a new refresh token; the old one must not be used again. Not retried. */
  async refresh(refreshToken: string): Promise<TokenGrant> {
    return this.token({ authorize_type: 'refresh_token', refresh_token: refreshToken }, false);
  }

  /** Self-built (自用型) apps: a token for a shop by kdt_id; `refresh: true` forces a new one with a refresh token. */
  async silentGrant(kdtId: string, refresh = true): Promise<TokenGrant> {
    return this.token({ authorize_type: 'silent', grant_id: kdtId, refresh }, true);
  }

  private async token(fields: Record<string, string | boolean>, idempotent: boolean): Promise<TokenGrant> {
    const body = JSON.stringify({
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
      ...fields,
    });
    const data = (await this.gateway.call({ api: TOKEN_API, idempotent }, () => this.post(body))) as TokenData;
    if (!data?.access_token)
      throw new PlatformError({
        platform: 'youzan',
        api: TOKEN_API,
        code: 'UNKNOWN',
        message: 'token answer without access_token',
      });
    const expires = Number(data.expires);
    return {
      shopId: idString(data.authority_id),
      accessToken: data.access_token,
      accessTokenExpiresAt: Number.isFinite(expires) && expires > 0 ? expires : this.clock.now() + 7 * DAY_MS,
      refreshToken: data.refresh_token || undefined,
      refreshTokenExpiresAt: data.refresh_token ? this.clock.now() + this.refreshTokenLifetimeMs : undefined,
      scopes: (data.scope ?? '').split(/\s+/).filter(Boolean),
    };
  }

  private async post(body: string): Promise<unknown> {
    const json = await postForJson(
      `${this.config.apiBaseUrl}/auth/token`,
      body,
      { 'Content-Type': 'application/json;charset=UTF-8', 'User-Agent': 'YZY-Open-Client 1.0.0 - Node (kwaizan-sync)' },
      TOKEN_API,
      this.timeoutMs,
    );
    const parsed = parseYouzanBody(TOKEN_API, json);
    if (!parsed.ok) throw parsed.error;
    return parsed.data;
  }
}
