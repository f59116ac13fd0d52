import { Clock, SystemClock } from '@app/common/clock';
import { KuaishouConfig } from '@app/config/app-config';
import { PlatformOAuthClient, TokenGrant } from '../ports/accounts.port';
import { PlatformError } from '../platform-error';
import { PlatformGateway } from '../shared/platform-gateway';
import { KuaishouEnvelope, KuaishouHttpClient } from './kuaishou-http.client';
import { idFrom } from './kuaishou-ids';

/** Refresh-token lifetime when the code exchange does not state one (documented only for refresh). */
const DEFAULT_REFRESH_LIFETIME_S = 180 * 86_400;

export interface KuaishouOAuthOptions {
  timeoutMs?: number;
  clock?: Clock;
  http?: KuaishouHttpClient;
}

/**
 * Kuaishou OAuth2: the authorize URL, the code exchange (grant_type is the literal `code`) and the
 * refresh with rotation. The new refresh token keeps the original expiry, so its expires_in shrinks.
 */
export class KuaishouOAuthClient implements PlatformOAuthClient {
  readonly platform = 'kuaishou' as const;
  readonly requiredScopes: string[];
  private readonly http: KuaishouHttpClient;
  private readonly clock: Clock;

  constructor(
    private readonly config: KuaishouConfig,
    private readonly gateway: PlatformGateway,
    options: KuaishouOAuthOptions = {},
  ) {
    this.requiredScopes = [...config.scopes];
    this.clock = options.clock ?? new SystemClock();
    this.http =
      options.http ?? new KuaishouHttpClient(config, { timeoutMs: options.timeoutMs ?? 10_000, clock: this.clock });
  }

  authorizeUrl(input: { state: string; redirectUri: string }): string {
    const query = new URLSearchParams({
      app_id: this.config.appKey,
      redirect_uri: input.redirectUri,
      scope: this.config.scopes.join(','),
      response_type: 'code',
      state: input.state,
    });
    return `${this.config.authorizeUrl}?${query.toString()}`;
  }

  async exchangeCode(input: { code: string; redirectUri: string }): Promise<TokenGrant> {
    // A code works once: never repeat the exchange.
    const answer = await this.gateway.call({ api: 'oauth2.access_token', idempotent: false }, () =>
      this.http.oauth('access_token', 'GET', { grant_type: 'code', code: input.code }),
    );
    const grant = this.toGrant(answer);
    if (!grant.shopId)
      throw new PlatformError({
        platform: 'kuaishou',
        api: 'oauth2.access_token',
        code: 'UNKNOWN',
        message: 'oauth2.access_token returned no open_id',
      });
    return { ...grant, shopName: await this.shopName(grant.accessToken) };
  }

  /**
   * Rotates the refresh token. Repeating after an ambiguous failure is safe: the old refresh token
   * keeps working for a few minutes after rotation.
   */
  async refresh(refreshToken: string): Promise<TokenGrant> {
    const answer = await this.gateway.call({ api: 'oauth2.refresh_token', idempotent: true }, () =>
      this.http.oauth('refresh_token', 'POST', { grant_type: 'refresh_token', refresh_token: refreshToken }),
    );
    return this.toGrant(answer);
  }

  private toGrant(answer: KuaishouEnvelope): TokenGrant {
    const now = this.clock.now();
    const accessToken = String(answer.access_token ?? '');
    if (!accessToken)
      throw new PlatformError({
        platform: 'kuaishou',
        api: 'oauth2',
        code: 'UNKNOWN',
        message: 'token answer without access_token',
      });
    const refreshToken = answer.refresh_token ? String(answer.refresh_token) : undefined;
    const refreshLifetime =
      answer.refresh_token_expires_in !== undefined
        ? Number(answer.refresh_token_expires_in)
        : DEFAULT_REFRESH_LIFETIME_S;
    return {
      shopId: answer.open_id !== undefined ? idFrom(answer.open_id) : '',
      accessToken,
      accessTokenExpiresAt: now + Number(answer.expires_in ?? 0) * 1000,
      refreshToken,
      refreshTokenExpiresAt: refreshToken ? now + refreshLifetime * 1000 : undefined,
      scopes: parseScopes(answer.scopes),
    };
  }

  private async shopName(accessToken: string): Promise<string | undefined> {
    try {
      const answer = await this.gateway.call({ api: 'open.shop.info.get', idempotent: true }, () =>
        this.http.call({ api: 'open.shop.info.get', accessToken, param: {} }),
      );
      const data = (answer.data ?? {}) as { shopName?: string };
      return data.shopName || undefined;
    } catch {
      // The name is a convenience for the merchant's screen; the grant is valid without it.
      return undefined;
    }
  }
}

function parseScopes(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(/[,\s]+/).filter(Boolean);
  return [];
}
