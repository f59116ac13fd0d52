import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { isUniqueViolation } from '@app/common/errors/db-errors';
import { Db } from '@app/database/db';
import { InboxMessageEntity, InboxOutcome } from './inbox-message.entity';

@Injectable()
export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** Records the event as handled; false when it already was ("already done"). */
  async claim(consumer: string, eventId: string, outcome: InboxOutcome, at: number): Promise<boolean> {
    try {
      await this.db.manager.getRepository(InboxMessageEntity).insert({ consumer, eventId, outcome, processedAt: at });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  find(consumer: string, eventId: string): Promise<InboxMessageEntity | null> {
    return this.db.manager.getRepository(InboxMessageEntity).findOneBy({ consumer, eventId });
  }

  async markProcessed(consumer: string, eventId: string, at: number): Promise<void> {
    await this.db.manager
      .getRepository(InboxMessageEntity)
      .update({ consumer, eventId }, { outcome: 'processed', processedAt: at });
  }

  async deleteBefore(cutoff: number): Promise<number> {
    const result = await this.db.transaction((m) =>
      m.getRepository(InboxMessageEntity).delete({ processedAt: LessThan(cutoff) }),
    );
    return result.affected ?? 0;
  }
}
