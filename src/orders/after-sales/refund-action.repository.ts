import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../common/errors/db-errors';
import { Db } from '../../database/db';
import type { RefundAction } from '../../platforms/ports/after-sales.port';
import { RefundActionEntity, RefundActionStatus } from './refund-action.entity';

/** The seller-action journal of the after-sales registry. */
@Injectable()
export class RefundActionRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(RefundActionEntity);
  }

  /** False when the same action on the same refund version is already journaled. */
  async insertIfNew(row: RefundActionEntity): Promise<boolean> {
    try {
      await this.repo.insert(row);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  findOnce(refundId: string, action: RefundAction, platformVersion: string): Promise<RefundActionEntity | null> {
    return this.repo.findOneBy({ refundId, action, platformVersion });
  }

  /** Takes a failed attempt back for one more try; false when another request took it first. */
  async retryFailed(id: string, actorId: string, now: number): Promise<boolean> {
    const result = await this.repo.update(
      { id, status: 'failed' },
      { status: 'sending', actorId, error: null, createdAt: now, settledAt: null },
    );
    return (result.affected ?? 0) > 0;
  }

  async settle(
    id: string,
    status: RefundActionStatus,
    now: number,
    detail: { error?: string | null; statusAfter?: string | null },
  ): Promise<void> {
    await this.repo.update(
      { id },
      {
        status,
        settledAt: now,
        error: detail.error?.slice(0, 500) ?? null,
        ...(detail.statusAfter !== undefined ? { statusAfter: detail.statusAfter?.slice(0, 40) ?? null } : {}),
      },
    );
  }

  lastApplied(refundId: string, action: RefundAction): Promise<RefundActionEntity | null> {
    return this.repo.findOne({ where: { refundId, action, status: 'applied' }, order: { createdAt: 'DESC' } });
  }

  ofRefund(refundId: string): Promise<RefundActionEntity[]> {
    return this.repo.find({ where: { refundId }, order: { createdAt: 'ASC' } });
  }
}
