import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/**
 * Last sequence number given out per (topic, key). Taking it under a row lock serializes the
 * producers of one key, so sequence order is commit order and the relay can keep it.
 */
@Entity('outbox_key_sequence')
export class OutboxKeySequenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 150 })
  topic: string;

  @PrimaryColumn({ name: 'event_key', type: 'varchar', length: 191 })
  eventKey: string;

  @Column({ name: 'last_seq', type: 'bigint', transformer: bigintNumber })
  lastSeq: number;
}
