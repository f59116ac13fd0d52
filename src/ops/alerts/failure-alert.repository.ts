import { Injectable } from '@nestjs/common';
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

  recent(limit: number): Promise<FailureAlertEntity[]> {
    return this.repo.find({ order: { raisedAt: 'DESC' }, take: limit });
  }
}
