import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan } from 'typeorm';
import { isUniqueViolation } from '../common/errors/db-errors';
import { Db } from '../database/db';
import type { Platform } from '../platforms/ports/platform.types';
import { ChannelOrderLineEntity } from './channel-order-line.entity';
import { ChannelOrderEntity } from './channel-order.entity';
import { OrderReconcileRunEntity } from './order-reconcile-run.entity';
import { OrderShopPolicyEntity } from './order-shop-policy.entity';
import { OrderSyncStateEntity } from './order-sync-state.entity';
import { PlatformPushEntity } from './platform-push.entity';

@Injectable()
export class OrderRepository {
  constructor(private readonly db: Db) {}

  private get m() {
    return this.db.manager;
  }

  lockByPlatformId(platform: Platform, platformOrderId: string): Promise<ChannelOrderEntity | null> {
    return this.db
      .forUpdate(
        this.m
          .getRepository(ChannelOrderEntity)
          .createQueryBuilder('o')
          .where('o.platform = :platform AND o.platform_order_id = :platformOrderId', { platform, platformOrderId }),
      )
      .getOne();
  }

  findByPlatformId(platform: Platform, platformOrderId: string): Promise<ChannelOrderEntity | null> {
    return this.m.getRepository(ChannelOrderEntity).findOneBy({ platform, platformOrderId });
  }

  /** Inserts a new order; false when another writer inserted it first. */
  async insertOrder(order: ChannelOrderEntity): Promise<boolean> {
    try {
      await this.m.getRepository(ChannelOrderEntity).insert(order);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async saveOrder(order: ChannelOrderEntity): Promise<void> {
    await this.m.getRepository(ChannelOrderEntity).save(order);
  }

  lines(orderId: string): Promise<ChannelOrderLineEntity[]> {
    return this.m.getRepository(ChannelOrderLineEntity).find({ where: { orderId }, order: { platformLineId: 'ASC' } });
  }

  async saveLine(line: ChannelOrderLineEntity): Promise<void> {
    await this.m.getRepository(ChannelOrderLineEntity).save(line);
  }

  /** Lines of a shop's platform SKU that arrived before the SKU was bound. */
  async unboundLines(
    connectionId: string,
    platformItemId: string,
    platformSkuId: string,
  ): Promise<{ line: ChannelOrderLineEntity; order: ChannelOrderEntity }[]> {
    const lines = await this.m
      .getRepository(ChannelOrderLineEntity)
      .createQueryBuilder('l')
      .innerJoin(ChannelOrderEntity, 'o', 'o.id = l.order_id')
      .where('o.connection_id = :connectionId', { connectionId })
      .andWhere('l.platform_item_id = :platformItemId AND l.platform_sku_id = :platformSkuId', {
        platformItemId,
        platformSkuId,
      })
      .andWhere({ merchantSkuId: IsNull() })
      .getMany();
    const result: { line: ChannelOrderLineEntity; order: ChannelOrderEntity }[] = [];
    for (const line of lines) {
      const order = await this.m.getRepository(ChannelOrderEntity).findOneBy({ id: line.orderId });
      if (order) result.push({ line, order });
    }
    return result;
  }

  listByMerchant(merchantId: string, limit: number, offset: number): Promise<[ChannelOrderEntity[], number]> {
    return this.m
      .getRepository(ChannelOrderEntity)
      .findAndCount({ where: { merchantId }, order: { platformCreatedAt: 'DESC' }, take: limit, skip: offset });
  }

  findForMerchant(merchantId: string, id: string): Promise<ChannelOrderEntity | null> {
    return this.m.getRepository(ChannelOrderEntity).findOneBy({ merchantId, id });
  }

  /** Platform order ids are unique per platform; a merchant may hold the same number on both. */
  findByPlatformOrderIdForMerchant(merchantId: string, platformOrderId: string): Promise<ChannelOrderEntity[]> {
    return this.m.getRepository(ChannelOrderEntity).findBy({ merchantId, platformOrderId });
  }

  /** Orders holding a line with this platform line id (a Youzan line `oid`). */
  async findByLineIdForMerchant(merchantId: string, platformLineId: string): Promise<ChannelOrderEntity[]> {
    return this.m
      .getRepository(ChannelOrderEntity)
      .createQueryBuilder('o')
      .innerJoin(ChannelOrderLineEntity, 'l', 'l.order_id = o.id')
      .where('o.merchant_id = :merchantId AND l.platform_line_id = :platformLineId', { merchantId, platformLineId })
      .getMany();
  }

  findByErpIdForMerchant(merchantId: string, erpOrderId: string): Promise<ChannelOrderEntity | null> {
    return this.m.getRepository(ChannelOrderEntity).findOneBy({ merchantId, erpOrderId });
  }

  lockById(id: string): Promise<ChannelOrderEntity | null> {
    return this.db
      .forUpdate(this.m.getRepository(ChannelOrderEntity).createQueryBuilder('o').where('o.id = :id', { id }))
      .getOne();
  }

  linesOf(orderIds: string[]): Promise<ChannelOrderLineEntity[]> {
    if (!orderIds.length) return Promise.resolve([]);
    return this.m
      .getRepository(ChannelOrderLineEntity)
      .find({ where: { orderId: In(orderIds) }, order: { platformLineId: 'ASC' } });
  }

  search(
    merchantId: string,
    filter: {
      platform?: string;
      statuses?: string[];
      risk?: string;
      connectionId?: string;
      ids?: string[];
    },
    limit: number,
    offset: number,
  ): Promise<[ChannelOrderEntity[], number]> {
    const q = this.m
      .getRepository(ChannelOrderEntity)
      .createQueryBuilder('o')
      .where('o.merchant_id = :merchantId', { merchantId });
    if (filter.platform) q.andWhere('o.platform = :platform', { platform: filter.platform });
    if (filter.statuses?.length) q.andWhere('o.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.connectionId) q.andWhere('o.connection_id = :connectionId', { connectionId: filter.connectionId });
    if (filter.risk === 'none') q.andWhere('o.deadline_risk IS NULL');
    else if (filter.risk) q.andWhere('o.deadline_risk = :risk', { risk: filter.risk });
    if (filter.ids) q.andWhere(filter.ids.length ? 'o.id IN (:...ids)' : '1 = 0', { ids: filter.ids });
    return q
      .orderBy('o.platform_created_at', 'DESC')
      .addOrderBy('o.id', 'ASC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
  }

  /** Open orders whose deadline has reached a risk level not raised yet. */
  async deadlineCandidates(now: number, h12: number, h4: number, limit: number): Promise<string[]> {
    const rows = await this.m
      .getRepository(ChannelOrderEntity)
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where("o.status = 'paid' AND o.deadline_at IS NOT NULL AND o.deadline_at <= :h12", { h12: now + h12 })
      .andWhere(
        "(o.deadline_risk IS NULL OR (o.deadline_risk = 'h12' AND o.deadline_at <= :h4) OR (o.deadline_risk <> 'overdue' AND o.deadline_at <= :now))",
        { h4: now + h4, now },
      )
      .orderBy('o.deadline_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Orders of a shop that had a deadline in [since, until] or shipped since. */
  deadlinesOf(
    connectionId: string,
    since: number,
    until: number,
  ): Promise<Pick<ChannelOrderEntity, 'deadlineAt' | 'shippedAt'>[]> {
    return this.m
      .getRepository(ChannelOrderEntity)
      .createQueryBuilder('o')
      .select(['o.deadlineAt', 'o.shippedAt'])
      .where('o.connection_id = :connectionId AND o.deadline_at IS NOT NULL', { connectionId })
      .andWhere('((o.deadline_at >= :since AND o.deadline_at <= :until) OR o.shipped_at >= :since)', { since, until })
      .andWhere("o.status <> 'cancelled'")
      .getMany();
  }

  /** The registry's orders of a shop by platform order id (for the reconciler). */
  async statusesOf(connectionId: string, platformOrderIds: string[]): Promise<Map<string, ChannelOrderEntity>> {
    if (!platformOrderIds.length) return new Map();
    const rows = await this.m
      .getRepository(ChannelOrderEntity)
      .findBy({ connectionId, platformOrderId: In(platformOrderIds) });
    return new Map(rows.map((r) => [r.platformOrderId, r]));
  }

  async saveShopPolicy(policy: OrderShopPolicyEntity): Promise<void> {
    await this.m.getRepository(OrderShopPolicyEntity).save(policy);
  }

  async insertReconcileRun(run: OrderReconcileRunEntity): Promise<OrderReconcileRunEntity> {
    return this.m.getRepository(OrderReconcileRunEntity).save(run);
  }

  reconcileRuns(merchantId: string, limit: number, connectionId?: string): Promise<OrderReconcileRunEntity[]> {
    return this.m.getRepository(OrderReconcileRunEntity).find({
      where: connectionId ? { merchantId, connectionId } : { merchantId },
      order: { startedAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  async promiseHours(connectionId: string): Promise<number | undefined> {
    return (await this.m.getRepository(OrderShopPolicyEntity).findOneBy({ connectionId }))?.promiseHours;
  }

  countByConnection(connectionId: string): Promise<number> {
    return this.m.getRepository(ChannelOrderEntity).countBy({ connectionId });
  }

  /** Stores a push; false when the same message came before. */
  /** Retention: pushes received before the cutoff; returns how many went. */
  async deletePushesReceivedBefore(cutoff: number): Promise<number> {
    return (await this.m.getRepository(PlatformPushEntity).delete({ receivedAt: LessThan(cutoff) })).affected ?? 0;
  }

  async insertPush(push: PlatformPushEntity): Promise<boolean> {
    try {
      await this.m.getRepository(PlatformPushEntity).insert(push);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  syncState(connectionId: string): Promise<OrderSyncStateEntity | null> {
    return this.m.getRepository(OrderSyncStateEntity).findOneBy({ connectionId });
  }

  /**
   * Moves a shop's poll watermarks forward, never back: polls of one shop may overlap (the
   * schedule, settlement, another instance), and the one that finishes last may have read less.
   */
  async advanceSyncState(
    connectionId: string,
    progress: {
      polledUntil?: number;
      feedCompleteUntil?: number;
      refundsPolledUntil?: number;
      at: number;
      seen: number;
    },
  ): Promise<void> {
    const repo = this.m.getRepository(OrderSyncStateEntity);
    const max = (a: number | null | undefined, b: number | undefined) =>
      b === undefined ? (a ?? null) : a === null || a === undefined ? b : Math.max(a, b);
    for (let attempt = 0; ; attempt++) {
      const row = await this.db
        .forUpdate(repo.createQueryBuilder('s').where('s.connection_id = :connectionId', { connectionId }))
        .getOne();
      if (row) {
        row.polledUntil = max(row.polledUntil, progress.polledUntil) ?? 0;
        row.feedCompleteUntil = max(row.feedCompleteUntil, progress.feedCompleteUntil);
        row.refundsPolledUntil = max(row.refundsPolledUntil, progress.refundsPolledUntil);
        row.lastPollAt = progress.at;
        row.ordersSeen += progress.seen;
        await repo.save(row);
        return;
      }
      const fresh = Object.assign(new OrderSyncStateEntity(), {
        connectionId,
        polledUntil: progress.polledUntil ?? 0,
        feedCompleteUntil: progress.feedCompleteUntil ?? null,
        refundsPolledUntil: progress.refundsPolledUntil ?? null,
        lastPollAt: progress.at,
        ordersSeen: progress.seen,
      });
      try {
        await repo.insert(fresh);
        return;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt > 0) throw error;
      }
    }
  }

  /** Orders still to ship that reached a deadline risk level, per shop connection and level. */
  async deadlineRisksByConnection(): Promise<{ connectionId: string; risk: string; orders: number }[]> {
    const rows = await this.db.manager
      .getRepository(ChannelOrderEntity)
      .createQueryBuilder('o')
      .select('o.connection_id', 'connectionId')
      .addSelect('o.deadline_risk', 'risk')
      .addSelect('COUNT(*)', 'n')
      .where("o.status = 'paid' AND o.deadline_risk IS NOT NULL")
      .groupBy('o.connection_id')
      .addGroupBy('o.deadline_risk')
      .getRawMany<{ connectionId: string; risk: string; n: number | string }>();
    return rows.map((r) => ({ connectionId: r.connectionId, risk: r.risk, orders: Number(r.n) }));
  }
}
