import { Injectable } from '@nestjs/common';
import { IsNull, LessThan, Not } from 'typeorm';
import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Db } from '@app/database/db';
import { AlertFigures, OpsAlertEntity } from './ops-alert.entity';

@Injectable()
export class OpsAlertRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(OpsAlertEntity);
  }

  /** False when the condition already has its active alert (the unique index decides between instances). */
  async insertActive(alert: OpsAlertEntity): Promise<boolean> {
    try {
      await this.repo.insert({ ...alert, openMarker: 1, resolvedAt: null });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  active(): Promise<OpsAlertEntity[]> {
    return this.repo.find({ where: { openMarker: Not(IsNull()) }, order: { raisedAt: 'DESC' } });
  }

  async touch(id: string, figures: AlertFigures, at: number): Promise<void> {
    await this.repo.update({ id, openMarker: Not(IsNull()) }, { figures, lastSeenAt: at });
  }

  /** True when this call resolved it (another instance's check may have done so first). */
  async resolve(id: string, at: number): Promise<boolean> {
    const result = await this.repo.update({ id, openMarker: Not(IsNull()) }, { openMarker: null, resolvedAt: at });
    return (result.affected ?? 0) > 0;
  }

  async deleteResolvedBefore(cutoff: number): Promise<number> {
    const result = await this.repo.delete({ resolvedAt: LessThan(cutoff) });
    return result.affected ?? 0;
  }

  recent(limit: number): Promise<OpsAlertEntity[]> {
    return this.repo.find({ order: { raisedAt: 'DESC' }, take: limit });
  }
}
