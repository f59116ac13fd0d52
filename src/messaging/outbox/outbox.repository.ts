import { Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Db } from '@app/database/db';
import { OutboxEventEntity } from './outbox-event.entity';
import { OutboxKeySequenceEntity } from './outbox-key-sequence.entity';

@Injectable()
export class OutboxRepository {
  constructor(private readonly db: Db) {}

  /** Next sequence number of (topic, key); must run inside the producing transaction. */
  async nextSequence(topic: string, eventKey: string): Promise<number> {
    const repo = this.db.manager.getRepository(OutboxKeySequenceEntity);
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.db
        .forUpdate(
          repo.createQueryBuilder('s').where('s.topic = :topic AND s.event_key = :eventKey', { topic, eventKey }),
        )
        .getOne();
      if (row) {
        await repo.update({ topic, eventKey }, { lastSeq: row.lastSeq + 1 });
        return row.lastSeq + 1;
      }
      try {
        await repo.insert({ topic, eventKey, lastSeq: 1 });
        return 1;
      } catch (error) {
        // Another producer created the row first; its lock now orders us behind it.
        if (!isUniqueViolation(error)) throw error;
      }
    }
    throw new Error(`could not allocate a sequence for ${topic}/${eventKey}`);
  }

  /** Last sequence given out for (topic, key): every event up to it has committed. */
  async currentSequence(topic: string, eventKey: string): Promise<number> {
    const row = await this.db.manager.getRepository(OutboxKeySequenceEntity).findOneBy({ topic, eventKey });
    return row?.lastSeq ?? 0;
  }

  async insert(event: Omit<OutboxEventEntity, 'id'>): Promise<void> {
    await this.db.manager.getRepository(OutboxEventEntity).insert(event);
  }

  /** Oldest pending events, in id order (which is sequence order within a key). */
  pending(limit: number, excludeIds: string[]): Promise<OutboxEventEntity[]> {
    const qb = this.db.dataSource.manager
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .where('e.status = :status', { status: 'pending' });
    if (excludeIds.length) qb.andWhere('e.id NOT IN (:...excludeIds)', { excludeIds });
    return qb.orderBy('e.id', 'ASC').take(limit).getMany();
  }

  async markPublished(ids: string[], at: number): Promise<void> {
    if (!ids.length) return;
    await this.db.transaction((m) =>
      m.getRepository(OutboxEventEntity).update({ id: In(ids) }, { status: 'published', publishedAt: at }),
    );
  }

  async markFailedAttempt(ids: string[], error: string): Promise<void> {
    if (!ids.length) return;
    await this.db.transaction((m) =>
      m
        .getRepository(OutboxEventEntity)
        .createQueryBuilder()
        .update()
        .set({ publishAttempts: () => 'publish_attempts + 1', lastError: error.slice(0, 500) })
        .whereInIds(ids)
        .execute(),
    );
  }

  async countPending(): Promise<number> {
    return this.db.dataSource.manager.getRepository(OutboxEventEntity).countBy({ status: 'pending' });
  }

  async deletePublishedBefore(cutoff: number): Promise<number> {
    const result = await this.db.transaction((m) =>
      m.getRepository(OutboxEventEntity).delete({ status: 'published', publishedAt: LessThan(cutoff) }),
    );
    return result.affected ?? 0;
  }
}
