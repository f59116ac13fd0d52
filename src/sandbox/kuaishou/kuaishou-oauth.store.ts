import { randomBytes } from 'node:crypto';
import { EmulatorClock } from '../shared/emulator-clock';
import { KS_OAUTH, KsApiError, ksError } from './kuaishou-emulator.errors';

export interface KsGrant {
  id: string;
  openId: string;
  scopes: string[];
  revoked: boolean;
  /** The 180-day cap of the original authorization; every rotated refresh token inherits it. */
  refreshExpiresAt: number;
}

interface AccessTokenRecord {
  grantId?: string;
  kind: 'code' | 'client';
  scopes: string[];
  expiresAt: number;
}

interface RefreshTokenRecord {
  grantId: string;
  expiresAt: number;
  rotatedAt?: number;
}

interface AuthCode {
  openId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface KsTokenAnswer {
  result: 1;
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  open_id?: string;
  scopes: string[];
  token_type?: string;
}

export interface KsOAuthFailure {
  result: number;
  error: string;
  error_msg: string;
}

export interface KsOAuthTimings {
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  /** How long a rotated refresh token keeps working (documented "within 5 minutes"). */
  refreshGraceMs: number;
  codeTtlMs: number;
}

export type TokenCheck = { kind: 'shop'; grant: KsGrant; scopes: string[] } | KsApiError;

const fail = (kind: { result: number; error: string }, message: string): KsOAuthFailure => ({
  result: kind.result,
  error: kind.error,
  error_msg: message,
});

/** Authorization codes, grants and rotating tokens of the emulated app, on the emulator's clock. */
export class KuaishouOAuthStore {
  private readonly grants = new Map<string, KsGrant>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthCode>();
  private grantSeq = 0;

  constructor(
    private readonly clock: EmulatorClock,
    private readonly timings: KsOAuthTimings,
  ) {}

  issueCode(openId: string, scopes: string[], redirectUri: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, {
      openId,
      scopes,
      redirectUri,
      expiresAt: this.clock.now() + this.timings.codeTtlMs,
      used: false,
    });
    return code;
  }

  exchangeCode(code: string | undefined): KsTokenAnswer | KsOAuthFailure {
    if (!code) return fail(KS_OAUTH.INVALID_REQUEST, 'code is required');
    const record = this.codes.get(code);
    // A code lives 2 minutes and works once.
    if (!record || record.used || this.clock.now() >= record.expiresAt)
      return fail(KS_OAUTH.INVALID_GRANT, 'code is invalid or expired');
    record.used = true;
    return this.grant(record.openId, record.scopes);
  }

  /** A new grant for a shop (the authorize flow, or the control API's shortcut). */
  grant(openId: string, scopes: string[]): KsTokenAnswer {
    const now = this.clock.now();
    const grant: KsGrant = {
      id: `g${++this.grantSeq}`,
      openId,
      scopes: [...scopes],
      revoked: false,
      refreshExpiresAt: now + this.timings.refreshTokenTtlS * 1000,
    };
    this.grants.set(grant.id, grant);
    const refreshToken = this.newToken('ChJvYXV0aC5yZWZyZXNoVG9rZW4');
    this.refreshTokens.set(refreshToken, { grantId: grant.id, expiresAt: grant.refreshExpiresAt });
    return {
      result: 1,
      access_token: this.issueAccessToken(grant),
      expires_in: this.timings.accessTokenTtlS,
      refresh_token: refreshToken,
      refresh_token_expires_in: this.timings.refreshTokenTtlS,
      open_id: openId,
      scopes: [...scopes],
    };
  }

  clientCredentials(scopes: string[]): KsTokenAnswer {
    const token = this.newToken('ChFvYXV0aC5hY2Nlc3NUb2tlbh');
    this.accessTokens.set(token, {
      kind: 'client',
      scopes,
      expiresAt: this.clock.now() + this.timings.accessTokenTtlS * 1000,
    });
    return { result: 1, access_token: token, token_type: 'bearer', expires_in: this.timings.accessTokenTtlS, scopes };
  }

  refresh(refreshToken: string | undefined): KsTokenAnswer | KsOAuthFailure {
    if (!refreshToken) return fail(KS_OAUTH.INVALID_REQUEST, 'refresh_token is required');
    const now = this.clock.now();
    const record = this.refreshTokens.get(refreshToken);
    if (!record) return fail(KS_OAUTH.ACCESS_DENIED, 'invalid refresh_token');
    const grant = this.grants.get(record.grantId);
    if (!grant || grant.revoked) return fail(KS_OAUTH.ACCESS_DENIED, 'refreshToken.revokedAuthorization');
    if (record.rotatedAt !== undefined && now >= record.rotatedAt + this.timings.refreshGraceMs)
      return fail(KS_OAUTH.ACCESS_DENIED, 'refreshToken.discarded');
    if (now >= record.expiresAt) return fail(KS_OAUTH.ACCESS_DENIED, 'invalid refresh_token');
    record.rotatedAt ??= now;
    const next = this.newToken('ChJvYXV0aC5yZWZyZXNoVG9rZW4');
    // The new refresh token inherits the original expiry: after ~180 days the merchant must authorize again.
    this.refreshTokens.set(next, { grantId: grant.id, expiresAt: record.expiresAt });
    return {
      result: 1,
      access_token: this.issueAccessToken(grant),
      expires_in: this.timings.accessTokenTtlS,
      refresh_token: next,
      refresh_token_expires_in: Math.max(0, Math.floor((record.expiresAt - now) / 1000)),
      scopes: [...grant.scopes],
    };
  }

  /** The merchant cancels the authorization (or the subscription / test-user period ends). */
  revoke(openId: string): number {
    let count = 0;
    for (const grant of this.grants.values()) {
      if (grant.openId === openId && !grant.revoked) {
        grant.revoked = true;
        count++;
      }
    }
    return count;
  }

  /** Whether the shop currently authorizes the app with this scope (push delivery depends on it). */
  hasActiveGrant(openId: string, scope: string): boolean {
    for (const grant of this.grants.values()) {
      if (
        grant.openId === openId &&
        !grant.revoked &&
        grant.scopes.includes(scope) &&
        this.clock.now() < grant.refreshExpiresAt
      )
        return true;
    }
    return false;
  }

  check(token: string): TokenCheck {
    const record = this.accessTokens.get(token);
    if (!record) return ksError.tokenInvalid();
    if (record.kind === 'client') return ksError.mainAccount();
    const grant = record.grantId ? this.grants.get(record.grantId) : undefined;
    if (!grant) return ksError.tokenInvalid();
    if (grant.revoked) return ksError.revoked();
    if (this.clock.now() >= record.expiresAt) return ksError.tokenExpired();
    return { kind: 'shop', grant, scopes: record.scopes };
  }

  private issueAccessToken(grant: KsGrant): string {
    const token = this.newToken('ChFvYXV0aC5hY2Nlc3NUb2tlbh');
    this.accessTokens.set(token, {
      grantId: grant.id,
      kind: 'code',
      scopes: [...grant.scopes],
      expiresAt: this.clock.now() + this.timings.accessTokenTtlS * 1000,
    });
    return token;
  }

  private newToken(prefix: string): string {
    return prefix + randomBytes(48).toString('base64url');
  }
}
