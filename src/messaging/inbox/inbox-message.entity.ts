import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

export type InboxOutcome = 'processed' | 'dead_lettered' | 'dropped';

/** A consumer's record of having handled an event; written with the consumer's effect. */
@Entity('inbox_message')
@Index('idx_inbox_message_processed_at', ['processedAt'])
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  consumer: string;

  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: InboxOutcome;

  @Column({ name: 'processed_at', type: 'bigint', transformer: bigintNumber })
  processedAt: number;
}
