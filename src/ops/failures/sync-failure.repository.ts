import { Injectable } from '@nestjs/common';
import { Brackets, In, LessThan } from 'typeorm';
import { Db } from '@app/database/db';
import { SyncFailureActionEntity } from './sync-failure-action.entity';
import { SyncFailureEntity, SyncFailureStatus } from './sync-failure.entity';

export interface FailureFilter {
  status?: SyncFailureStatus[];
  context?: string;
  platform?: string;
  shopRef?: string;
  errorCode?: string;
  entityRef?: string;
  search?: string;
}

@Injectable()
export class SyncFailureRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(SyncFailureEntity);
  }

  private get actions() {
    return this.db.manager.getRepository(SyncFailureActionEntity);
  }

  saveAction(entity: SyncFailureActionEntity): Promise<SyncFailureActionEntity> {
    return this.actions.save(entity);
  }

  actionsOfBatch(batchId: string): Promise<SyncFailureActionEntity[]> {
    return this.actions.find({ where: { batchId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  actionsOfFailure(failureId: string, limit = 100): Promise<SyncFailureActionEntity[]> {
    return this.actions.find({ where: { failureId }, order: { createdAt: 'DESC', id: 'ASC' }, take: limit });
  }

  findByIds(ids: string[]): Promise<SyncFailureEntity[]> {
    return ids.length ? this.repo.findBy({ id: In(ids) }) : Promise.resolve([]);
  }

  findById(id: string): Promise<SyncFailureEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async lockById(id: string): Promise<SyncFailureEntity | null> {
    return this.db.forUpdate(this.repo.createQueryBuilder('f').where('f.id = :id', { id })).getOne();
  }

  async lockOpenByDedupeKey(dedupeKey: string): Promise<SyncFailureEntity | null> {
    return this.db
      .forUpdate(this.repo.createQueryBuilder('f').where('f.dedupe_key = :dedupeKey', { dedupeKey }))
      .getOne();
  }

  /** Retention: only closed failures (resolved or dismissed); open ones stay whatever their age. */
  async deleteClosedBefore(cutoff: number): Promise<number> {
    const closed: SyncFailureStatus[] = ['resolved', 'dismissed'];
    return (await this.repo.delete({ status: In(closed), closedAt: LessThan(cutoff) })).affected ?? 0;
  }

  save(entity: SyncFailureEntity): Promise<SyncFailureEntity> {
    return this.repo.save(entity);
  }

  async page(filter: FailureFilter, offset: number, limit: number): Promise<[SyncFailureEntity[], number]> {
    const qb = this.repo.createQueryBuilder('f');
    if (filter.status?.length) qb.andWhere('f.status IN (:...status)', { status: filter.status });
    if (filter.context) qb.andWhere('f.context = :context', { context: filter.context });
    if (filter.platform) qb.andWhere('f.platform = :platform', { platform: filter.platform });
    if (filter.shopRef) qb.andWhere('f.shop_ref = :shopRef', { shopRef: filter.shopRef });
    if (filter.errorCode) qb.andWhere('f.error_code = :errorCode', { errorCode: filter.errorCode });
    if (filter.entityRef) qb.andWhere('f.entity_ref = :entityRef', { entityRef: filter.entityRef });
    if (filter.search) {
      const like = `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('f.reason LIKE :like', { like })
            .orWhere('f.entity_ref LIKE :like', { like })
            .orWhere('f.operation LIKE :like', { like }),
        ),
      );
    }
    return qb.orderBy('f.created_at', 'DESC').addOrderBy('f.id', 'ASC').skip(offset).take(limit).getManyAndCount();
  }

  dueForRetry(now: number, limit: number): Promise<SyncFailureEntity[]> {
    return this.repo
      .createQueryBuilder('f')
      .where('f.status = :status', { status: 'open' })
      .andWhere('f.next_retry_at IS NOT NULL AND f.next_retry_at <= :now', { now })
      .andWhere('f.replay IS NOT NULL')
      .orderBy('f.next_retry_at', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Makes the open, retryable failures of a platform with one of these codes due now. */
  async pullForwardTransient(platform: string, codes: string[], now: number, exceptId?: string): Promise<number> {
    const qb = this.repo
      .createQueryBuilder()
      .update(SyncFailureEntity)
      .set({ nextRetryAt: now })
      .where('status = :status', { status: 'open' })
      .andWhere('platform = :platform', { platform })
      .andWhere('error_code IN (:...codes)', { codes })
      .andWhere('replay IS NOT NULL')
      .andWhere('next_retry_at IS NOT NULL AND next_retry_at > :now', { now });
    if (exceptId) qb.andWhere('id <> :exceptId', { exceptId });
    return (await qb.execute()).affected ?? 0;
  }

  async countOpenCreatedSince(since: number, merchantId: string | null): Promise<number> {
    const qb = this.repo
      .createQueryBuilder('f')
      .where("f.status = 'open'")
      .andWhere('f.created_at >= :since', { since });
    if (merchantId) qb.andWhere('f.merchant_id = :merchantId', { merchantId });
    return qb.getCount();
  }

  /** Open failures opened since `since`, counted per merchant (failures without one left out). */
  async openCountsByMerchantSince(since: number): Promise<{ merchantId: string; n: number }[]> {
    const rows = await this.repo
      .createQueryBuilder('f')
      .select('f.merchant_id', 'merchantId')
      .addSelect('COUNT(*)', 'n')
      .where("f.status = 'open'")
      .andWhere('f.created_at >= :since', { since })
      .andWhere('f.merchant_id IS NOT NULL')
      .groupBy('f.merchant_id')
      .getRawMany<{ merchantId: string; n: number | string }>();
    return rows.map((r) => ({ merchantId: r.merchantId, n: Number(r.n) }));
  }

  async openCountsByShop(): Promise<{ platform: string | null; shopRef: string | null; n: number }[]> {
    const rows = await this.repo
      .createQueryBuilder('f')
      .select('f.platform', 'platform')
      .addSelect('f.shop_ref', 'shopRef')
      .addSelect('COUNT(*)', 'n')
      .where("f.status = 'open'")
      .groupBy('f.platform')
      .addGroupBy('f.shop_ref')
      .getRawMany<{ platform: string | null; shopRef: string | null; n: number | string }>();
    return rows.map((r) => ({ platform: r.platform, shopRef: r.shopRef, n: Number(r.n) }));
  }

  async countByStatus(): Promise<Record<string, number>> {
    const rows: { status: string; n: string | number }[] = await this.repo
      .createQueryBuilder('f')
      .select('f.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('f.status')
      .getRawMany();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
