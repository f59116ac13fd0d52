import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Db } from '../database/db';
import { OAuthStateEntity } from './oauth-state.entity';

@Injectable()
export class OAuthStateRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(OAuthStateEntity);
  }

  async insert(state: OAuthStateEntity): Promise<void> {
    await this.repo.insert(state);
  }

  /** Marks the state used if it is unused and unexpired; the database decides, so a replay loses. */
  async consume(state: string, now: number): Promise<OAuthStateEntity | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where('state = :state AND used_at IS NULL AND expires_at > :now', { state, now })
      .execute();
    if (!result.affected) return null;
    return this.repo.findOneBy({ state });
  }

  findByState(state: string): Promise<OAuthStateEntity | null> {
    return this.repo.findOneBy({ state });
  }

  /** Retention: states that expired before the cutoff, used or not; returns how many went. */
  async deleteExpiredBefore(cutoff: number): Promise<number> {
    return (await this.repo.delete({ expiresAt: LessThan(cutoff) })).affected ?? 0;
  }
}
