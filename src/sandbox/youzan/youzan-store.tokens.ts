import { gw } from './youzan-emulator.errors';
import {
  ACCESS_TOKEN_TTL_MS,
  CODE_TTL_MS,
  REFRESH_TOKEN_TTL_MS,
  SCOPE,
  Shop,
  TokenError,
} from './youzan-emulator.model';
import { YzStoreBase } from './youzan-store.base';
import { randomBytes } from 'node:crypto';

/** /auth/token: authorization codes, refresh and silent grants, and the shop behind an access token. */
export abstract class YzTokensStore extends YzStoreBase {
  issueCode(kdtId: number, redirectUri?: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { kdtId, redirectUri, expiresAt: this.clock.now() + CODE_TTL_MS, used: false });
    this.authorizeShop(kdtId);
    return code;
  }

  /** Checks client credentials and that the app type allows this flow. */
  checkClient(clientId: unknown, clientSecret: unknown, flow: 'authorization_code' | 'refresh_token' | 'silent'): void {
    if (clientId !== this.options.clientId) throw new TokenError(1103, 'Client 不存在');
    if (clientSecret !== this.options.clientSecret) throw new TokenError(1000, '应用信息错误(client_secret)');
    const { appType } = this.options;
    if ((flow === 'authorization_code' && appType === 'self_use') || (flow === 'silent' && appType === 'tool'))
      throw new TokenError(1105, '不支持的应用类型');
  }

  exchangeCode(code: unknown, redirectUri: unknown): Record<string, unknown> {
    const grant = typeof code === 'string' ? this.codes.get(code) : undefined;
    if (!grant || grant.used || grant.expiresAt <= this.clock.now()) throw new TokenError(1005, '非法授权码');
    if (redirectUri !== undefined && grant.redirectUri !== undefined && redirectUri !== grant.redirectUri)
      throw new TokenError(1103, '授权码与应用回调地址不匹配');
    grant.used = true;
    const shop = this.shop(grant.kdtId);
    if (shop.revoked || !shop.authorized) throw new TokenError(1004, '授权已过期');
    return this.issueTokens(shop.kdtId, true);
  }

  /** Rotation: the presented refresh token dies at once; the old access token after the grace. */
  refresh(refreshToken: unknown): Record<string, unknown> {
    const rt = typeof refreshToken === 'string' ? this.refreshTokens.get(refreshToken) : undefined;
    if (!rt || rt.used) throw new TokenError(1103, '授权关系不存在或 refresh_token 已失效');
    const shop = this.shop(rt.kdtId);
    if (shop.revoked || !shop.authorized || rt.expiresAt <= this.clock.now()) throw new TokenError(1004, '授权已过期');
    rt.used = true;
    this.refreshTokens.delete(refreshToken as string);
    const diesAt = this.clock.now() + this.options.oldAccessTokenGraceMs;
    for (const token of this.accessTokens.values())
      if (token.kdtId === rt.kdtId && token.diesAt === undefined) token.diesAt = diesAt;
    return this.issueTokens(rt.kdtId, true);
  }

  silent(grantId: unknown, refresh: unknown): Record<string, unknown> {
    const kdtId = Number(grantId);
    const shop = this.shops.get(kdtId);
    if (!shop) throw new TokenError(1103, '授权关系不存在');
    if (shop.revoked || !shop.authorized) throw new TokenError(1004, '授权已过期');
    const current = this.silentTokens.get(kdtId);
    const live = current ? this.accessTokens.get(current) : undefined;
    if (refresh !== true && current && live && live.expiresAt > this.clock.now() && live.diesAt === undefined) {
      return { access_token: current, expires: live.expiresAt, scope: SCOPE, authority_id: String(kdtId) };
    }
    const tokens = this.issueTokens(kdtId, refresh === true);
    this.silentTokens.set(kdtId, tokens.access_token as string);
    return tokens;
  }

  issueTokens(kdtId: number, withRefresh: boolean): Record<string, unknown> {
    const now = this.clock.now();
    const accessToken = randomBytes(16).toString('hex');
    this.accessTokens.set(accessToken, { kdtId, expiresAt: now + ACCESS_TOKEN_TTL_MS });
    const data: Record<string, unknown> = {
      access_token: accessToken,
      expires: now + ACCESS_TOKEN_TTL_MS,
      scope: SCOPE,
      authority_id: String(kdtId),
    };
    if (withRefresh) {
      const refreshToken = randomBytes(16).toString('hex');
      this.refreshTokens.set(refreshToken, { kdtId, expiresAt: now + REFRESH_TOKEN_TTL_MS, used: false });
      data.refresh_token = refreshToken;
    }
    return data;
  }

  /** The gateway's credential check (4201 missing/revoked, 4203 unknown, 4202 expired). */
  shopForToken(token: string | undefined): Shop {
    if (!token) throw gw.tokenMissing();
    const record = this.accessTokens.get(token);
    if (!record) throw gw.tokenUnknown();
    const shop = this.shop(record.kdtId);
    if (shop.revoked) throw gw.shopRevoked();
    const now = this.clock.now();
    if (record.expiresAt <= now || (record.diesAt !== undefined && record.diesAt <= now)) throw gw.tokenExpired();
    return shop;
  }
}
