import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { ID_GENERATOR, IdGenerator } from '../common/ids';
import { Db } from '../database/db';
import { CredentialNotFoundException } from './auth.errors';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensRepository } from './api-tokens.repository';
import { Principal } from './principal';
import { newSecretToken, sha256Hex } from './secret-token';
import { UsersRepository } from './users.repository';

export const API_TOKEN_PREFIX = 'kzt_';

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly db: Db,
    private readonly tokens: ApiTokensRepository,
    private readonly users: UsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  /** The token is returned once; only its hash is kept. It acts for `userId` (and that user's merchant). */
  async create(
    userId: string,
    merchantId: string | null,
    name: string,
  ): Promise<{ token: string; entity: ApiTokenEntity }> {
    const token = newSecretToken(API_TOKEN_PREFIX);
    const entity = Object.assign(new ApiTokenEntity(), {
      id: this.ids.uuid(),
      userId,
      merchantId,
      name: name.trim(),
      tokenHash: sha256Hex(token),
      createdAt: this.clock.now(),
      revokedAt: null,
    });
    await this.db.transaction(() => this.tokens.insert(entity));
    return { token, entity };
  }

  listByMerchant(merchantId: string): Promise<ApiTokenEntity[]> {
    return this.tokens.listByMerchant(merchantId);
  }

  async revoke(merchantId: string, id: string): Promise<void> {
    const token = await this.tokens.findById(id);
    if (!token || token.merchantId !== merchantId) throw new CredentialNotFoundException(id);
    await this.db.transaction(() => this.tokens.revoke(id, this.clock.now()));
  }

  async resolve(token: string): Promise<Extract<Principal, { kind: 'api-token' }> | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const entity = await this.tokens.findActiveByHash(sha256Hex(token));
    if (!entity) return undefined;
    const user = await this.users.findById(entity.userId);
    if (!user || user.disabledAt !== null || user.merchantId !== entity.merchantId) return undefined;
    return {
      kind: 'api-token',
      userId: user.id,
      email: user.email,
      role: user.role,
      merchantId: user.merchantId,
      tokenId: entity.id,
    };
  }
}
