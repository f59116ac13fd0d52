import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

export type OutboxStatus = 'pending' | 'published';

@Entity('outbox_event')
@Index('idx_outbox_event_status_id', ['status', 'id'])
@Index('idx_outbox_event_status_published', ['status', 'publishedAt'])
@Index('uq_outbox_event_event_id', ['eventId'], { unique: true })
@Index('uq_outbox_event_key_seq', ['topic', 'eventKey', 'keySeq'], { unique: true })
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ type: 'varchar', length: 150 })
  topic: string;

  @Column({ name: 'event_key', type: 'varchar', length: 191 })
  eventKey: string;

  @Column({ name: 'key_seq', type: 'bigint', transformer: bigintNumber })
  keySeq: number;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 64, nullable: true })
  correlationId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'published_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  publishedAt: number | null;

  @Column({ name: 'publish_attempts', type: 'int', default: 0 })
  publishAttempts: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}
