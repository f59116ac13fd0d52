import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { Db } from '../database/db';
import { Platform } from '../platforms/ports/platform.types';
import { OAUTH_CLIENTS, PlatformOAuthClient, TokenGrant } from '../platforms/ports/accounts.port';
import { isPlatformError } from '../platforms/platform-error';
import { ConnectFailedException } from './accounts.errors';
import { ConnectionsService } from './connections.service';
import { MerchantsService } from './merchants.service';
import { OAuthStateEntity } from './oauth-state.entity';
import { OAuthStateRepository } from './oauth-state.repository';
import { ShopConnectionEntity } from './shop-connection.entity';

export const STATE_TTL_MS = 10 * 60_000;

export type ConnectStart = { kind: 'redirect'; url: string } | { kind: 'silent-form'; merchantId: string };

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

/** The browser OAuth flow: a one-time state out, a checked grant back, nothing stored on failure. */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger(ConnectService.name);

  constructor(
    private readonly db: Db,
    private readonly states: OAuthStateRepository,
    private readonly merchants: MerchantsService,
    private readonly connections: ConnectionsService,
    private readonly config: AppConfig,
    @Inject(OAUTH_CLIENTS) private readonly oauth: Record<Platform, PlatformOAuthClient>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  callbackUrl(platform: Platform): string {
    return `${this.config.http.publicBaseUrl}/connect/${platform}/callback`;
  }

  /** `sessionHash`: the signed-in browser that starts the flow; only it may finish it. */
  async start(merchantId: string, platform: Platform, sessionHash: string): Promise<ConnectStart> {
    await this.merchants.get(merchantId);
    if (platform === 'youzan' && this.config.platforms.youzan.authorizeType === 'silent')
      return { kind: 'silent-form', merchantId };
    const now = this.clock.now();
    const state = Object.assign(new OAuthStateEntity(), {
      state: randomBytes(24).toString('base64url'),
      merchantId,
      platform,
      sessionHash,
      createdAt: now,
      expiresAt: now + STATE_TTL_MS,
      usedAt: null,
    });
    await this.db.transaction(() => this.states.insert(state));
    return {
      kind: 'redirect',
      url: this.oauth[platform].authorizeUrl({ state: state.state, redirectUri: this.callbackUrl(platform) }),
    };
  }

  async complete(
    platform: Platform,
    query: CallbackQuery,
    session: { sessionHash: string; merchantId: string | null } | undefined,
  ): Promise<ShopConnectionEntity> {
    if (!query.state)
      throw new ConnectFailedException(
        'STATE_MISSING',
        'The authorization answer carried no state. Start connecting again from your shops page.',
      );
    // Checked before the state is used up: a link approved in someone else's browser must neither connect a shop nor spoil the real flow.
    const pending = await this.states.findByState(query.state);
    if (
      pending &&
      (!session || pending.sessionHash !== session.sessionHash || pending.merchantId !== session.merchantId)
    ) {
      this.logger.warn(
        `${platform} callback for merchant ${pending.merchantId} arrived from another browser or account: nothing stored`,
      );
      throw new ConnectFailedException(
        'STATE_OTHER_SESSION',
        'This authorization was started in another browser or by another account, so nothing was connected. If this is your shop, sign in to kwaizan-sync yourself and press Connect on your shops page.',
      );
    }
    const state = await this.db.transaction(() => this.states.consume(query.state!, this.clock.now()));
    if (!state) throw await this.explainBadState(query.state);
    if (state.platform !== platform)
      throw new ConnectFailedException(
        'STATE_WRONG_PLATFORM',
        'This authorization answer belongs to another platform. Start connecting again.',
        state.merchantId,
      );
    if (query.error) {
      throw new ConnectFailedException(
        'GRANT_DENIED',
        `The authorization was not granted (${query.error_description ?? query.error}). Nothing was connected.`,
        state.merchantId,
      );
    }
    if (!query.code)
      throw new ConnectFailedException(
        'CODE_MISSING',
        'The platform sent no authorization code. Start connecting again.',
        state.merchantId,
      );
    let grant: TokenGrant;
    try {
      grant = await this.oauth[platform].exchangeCode({ code: query.code, redirectUri: this.callbackUrl(platform) });
    } catch (error) {
      const detail = isPlatformError(error) ? (error.rawMessage ?? error.message) : (error as Error).message;
      this.logger.warn(`code exchange failed on ${platform}: ${detail}`);
      throw new ConnectFailedException(
        'CODE_REJECTED',
        `The platform did not accept the authorization code (it may have expired or been used already): ${detail}`,
        state.merchantId,
      );
    }
    return this.store(state.merchantId, platform, grant);
  }

  /** Youzan self-built apps: the token comes from the shop id alone (authorize_type=silent). */
  /** Admin-only (the route's policy): a shop id alone yields a token, so no merchant may claim shops this way. */
  async connectSilently(merchantId: string, shopId: string): Promise<ShopConnectionEntity> {
    await this.merchants.get(merchantId);
    const client = this.oauth.youzan;
    if (this.config.platforms.youzan.authorizeType !== 'silent' || !client.silentGrant) {
      throw new ConnectFailedException(
        'MODE_UNSUPPORTED',
        'Youzan is configured for authorization-code grants; use the connect button.',
        merchantId,
      );
    }
    let grant: TokenGrant;
    try {
      grant = await client.silentGrant(shopId);
    } catch (error) {
      const detail = isPlatformError(error) ? (error.rawMessage ?? error.message) : (error as Error).message;
      throw new ConnectFailedException(
        'CODE_REJECTED',
        `Youzan refused a token for shop ${shopId}: ${detail}`,
        merchantId,
      );
    }
    return this.store(merchantId, 'youzan', grant);
  }

  private async store(merchantId: string, platform: Platform, grant: TokenGrant): Promise<ShopConnectionEntity> {
    const missing = this.oauth[platform].requiredScopes.filter((s) => !grant.scopes.includes(s));
    if (missing.length) {
      throw new ConnectFailedException(
        'SCOPES_MISSING',
        `The authorization lacks permissions this service needs: ${missing.join(', ')}. Authorize again and keep all requested permissions.`,
        merchantId,
      );
    }
    return this.connections.saveGrant(merchantId, platform, grant);
  }

  private async explainBadState(state: string): Promise<ConnectFailedException> {
    const known = await this.states.findByState(state);
    if (!known)
      return new ConnectFailedException(
        'STATE_UNKNOWN',
        'This authorization answer is not one we asked for. Start connecting again from your shops page.',
      );
    if (known.usedAt)
      return new ConnectFailedException(
        'STATE_REUSED',
        'This authorization answer was already used. Start connecting again if the shop is not connected.',
        known.merchantId,
      );
    return new ConnectFailedException(
      'STATE_EXPIRED',
      'The authorization took too long and expired. Start connecting again.',
      known.merchantId,
    );
  }
}
