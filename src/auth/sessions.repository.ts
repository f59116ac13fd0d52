import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Db } from '../database/db';
import { SessionEntity } from './session.entity';
import { SignInLimitEntity } from './sign-in-limit.entity';

@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(SessionEntity);
  }

  async insert(session: SessionEntity): Promise<void> {
    await this.repo.insert(session);
  }

  findByHash(idHash: string): Promise<SessionEntity | null> {
    return this.repo.findOneBy({ idHash });
  }

  async touch(idHash: string, now: number): Promise<void> {
    await this.repo.update({ idHash }, { lastSeenAt: now });
  }

  async delete(idHash: string): Promise<void> {
    await this.repo.delete({ idHash });
  }

  async deleteByUserExcept(userId: string, keepHash: string | null): Promise<void> {
    const qb = this.repo.createQueryBuilder().delete().where('user_id = :userId', { userId });
    if (keepHash) qb.andWhere('id_hash <> :keepHash', { keepHash });
    await qb.execute();
  }

  /** Also the sign-in limiter's expired counts (`expire` is the store's epoch-ms end of a window). */
  async purgeExpired(now: number, idleMs: number): Promise<void> {
    await this.repo.delete({ expiresAt: LessThan(now) });
    await this.repo.delete({ lastSeenAt: LessThan(now - idleMs) });
    await this.db.manager.getRepository(SignInLimitEntity).delete({ expire: LessThan(Date.now()) });
  }
}
