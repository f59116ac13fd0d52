import { Injectable } from '@nestjs/common';
import { IsNull, LessThan } from 'typeorm';
import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Db } from '@app/database/db';
import { FailureAlertEntity } from './failure-alert.entity';

@Injectable()
export class FailureAlertRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(FailureAlertEntity);
  }

  /** False when the scope already has its alert for the window (the unique index decides). */
  async insertOnce(alert: FailureAlertEntity): Promise<boolean> {
    try {
      await this.repo.insert(alert);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  exists(scopeKey: string, windowStart: number): Promise<boolean> {
    return this.repo.existsBy({ scopeKey, windowStart });
  }

  /** The scope's alert not yet resolved, if any (at most one: a new one is raised only when none is). */
  hasUnresolved(scopeKey: string): Promise<boolean> {
    return this.repo.existsBy({ scopeKey, resolvedAt: IsNull() });
  }

  unresolved(): Promise<FailureAlertEntity[]> {
    return this.repo.find({ where: { resolvedAt: IsNull() }, order: { raisedAt: 'DESC' } });
  }

  /** True when this call resolved it (another instance's check may have done so first). */
  async resolve(id: string, at: number): Promise<boolean> {
    const result = await this.repo.update({ id, resolvedAt: IsNull() }, { resolvedAt: at });
    return (result.affected ?? 0) > 0;
  }

  async deleteResolvedBefore(cutoff: number): Promise<number> {
    const result = await this.repo.delete({ resolvedAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  recent(limit: number): Promise<FailureAlertEntity[]> {
    return this.repo.find({ order: { raisedAt: 'DESC' }, take: limit });
  }
}
