import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Db } from '@app/database/db';
import { OutboundDeliveryEntity, OutboundDeliveryStatus } from './outbound-delivery.entity';

const TABLE = 'webhook_outbound_delivery';

/** No earlier delivery of the same subject to the same subscription is still pending: this one is next in line. */
const HEAD_OF_SUBJECT = `NOT EXISTS (SELECT 1 FROM ${TABLE} e WHERE e.subscription_id = d.subscription_id AND e.subject = d.subject AND e.status = 'pending' AND e.subject_seq < d.subject_seq)`;

export interface AttemptResult {
  status: OutboundDeliveryStatus;
  nextAttemptAt: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

@Injectable()
export class OutboundDeliveryRepository {
  constructor(private readonly db: Db) {}

  private get repo() {
    return this.db.manager.getRepository(OutboundDeliveryEntity);
  }

  findById(id: string): Promise<OutboundDeliveryEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** False when the row was there already (the same event again); a concurrent insert fails on the unique key. */
  async insertIfNew(delivery: OutboundDeliveryEntity): Promise<boolean> {
    if (await this.repo.existsBy({ id: delivery.id })) return false;
    await this.repo.insert(delivery);
    return true;
  }

  /** Pending deliveries due now that are first in their subject's line (oldest first). */
  async dueHeads(now: number, limit: number): Promise<OutboundDeliveryEntity[]> {
    return this.repo
      .createQueryBuilder('d')
      .where("d.status = 'pending'")
      .andWhere('d.next_attempt_at <= :now', { now })
      .andWhere(HEAD_OF_SUBJECT)
      .orderBy('d.next_attempt_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** When the earliest head of a line becomes due (an attempt's claim expiry counts), or null with none pending. */
  async nextDueAt(): Promise<number | null> {
    const row = await this.repo
      .createQueryBuilder('d')
      .select('MIN(d.next_attempt_at)', 'at')
      .where("d.status = 'pending'")
      .andWhere(HEAD_OF_SUBJECT)
      .getRawOne<{ at: string | number | null }>();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  /**
   * Takes a due delivery for one attempt: the claim's expiry becomes its next attempt time, so if the sender dies
   * the delivery is due again then. False when another sender took it first.
   */
  async claim(
    id: string,
    token: string,
    now: number,
    expiresAt: number,
    from: OutboundDeliveryStatus,
  ): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(OutboundDeliveryEntity)
      .set({
        claimToken: token,
        nextAttemptAt: expiresAt,
        attempts: () => 'attempts + 1',
        lastAttemptAt: now,
        updatedAt: now,
      })
      .where('id = :id', { id })
      .andWhere('status = :from', { from })
      .andWhere(from === 'pending' ? 'next_attempt_at <= :now' : '1 = 1', { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Records an attempt's result only while the attempt still holds its claim (never overwrites a later state). */
  async settle(id: string, token: string, result: AttemptResult, now: number): Promise<boolean> {
    const updated = await this.repo
      .createQueryBuilder()
      .update(OutboundDeliveryEntity)
      .set({ ...result, lastError: result.lastError?.slice(0, 500) ?? null, claimToken: null, updatedAt: now })
      .where('id = :id', { id })
      .andWhere('claim_token = :token', { token })
      .execute();
    return (updated.affected ?? 0) > 0;
  }

  /** Back in line for a new round of attempts (replay from the log). */
  async requeue(id: string, now: number): Promise<void> {
    await this.repo.update(
      { id },
      { status: 'pending', attempts: 0, nextAttemptAt: now, claimToken: null, deliveredAt: null, updatedAt: now },
    );
  }

  /** A deleted subscription's pending deliveries are not sent. */
  async cancelPendingOf(subscriptionId: string, now: number): Promise<void> {
    await this.repo.update(
      { subscriptionId, status: 'pending' },
      { status: 'cancelled', claimToken: null, lastError: 'subscription deleted', updatedAt: now },
    );
  }

  /** Per merchant: deliveries given up on, and deliveries still being retried after a failed attempt. */
  async failingByMerchant(): Promise<{ merchantId: string; failed: number; retrying: number }[]> {
    const rows = await this.repo
      .createQueryBuilder('d')
      .select('d.merchant_id', 'merchantId')
      .addSelect("SUM(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END)", 'failed')
      .addSelect("SUM(CASE WHEN d.status = 'pending' AND d.attempts > 0 THEN 1 ELSE 0 END)", 'retrying')
      .where("d.status = 'failed' OR (d.status = 'pending' AND d.attempts > 0)")
      .groupBy('d.merchant_id')
      .getRawMany<{ merchantId: string; failed: number | string; retrying: number | string }>();
    return rows.map((r) => ({ merchantId: r.merchantId, failed: Number(r.failed), retrying: Number(r.retrying) }));
  }

  /** Retention: deliveries the endpoint took before the cutoff (pending, failed and cancelled ones stay). */
  async deleteDeliveredBefore(cutoff: number): Promise<number> {
    return (await this.repo.delete({ status: 'delivered', deliveredAt: LessThan(cutoff) })).affected ?? 0;
  }

  page(
    merchantId: string,
    filter: { subscriptionId?: string; status?: OutboundDeliveryStatus },
    skip: number,
    take: number,
  ): Promise<[OutboundDeliveryEntity[], number]> {
    return this.repo.findAndCount({
      where: { merchantId, ...filter },
      order: { createdAt: 'DESC', subjectSeq: 'DESC' },
      skip,
      take,
    });
  }
}
