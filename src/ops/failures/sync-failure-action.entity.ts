import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';
import { SyncFailureStatus } from './sync-failure.entity';

export type SyncFailureActionKind = 'retry' | 'replay' | 'dismiss';
/** done: the action ran (a retry may still have failed: see statusAfter); refused: nothing was changed. */
export type SyncFailureActionOutcome = 'done' | 'refused';

/** One audited console action on one failure; the failures acted on together share a batch. */
@Entity('sync_failure_action')
@Index('idx_sync_failure_action_failure', ['failureId', 'createdAt'])
@Index('idx_sync_failure_action_batch', ['batchId'])
export class SyncFailureActionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'batch_id', type: 'varchar', length: 36 })
  batchId: string;

  @Column({ name: 'failure_id', type: 'varchar', length: 36 })
  failureId: string;

  @Column({ type: 'varchar', length: 16 })
  action: SyncFailureActionKind;

  @Column({ name: 'actor_id', type: 'varchar', length: 36 })
  actorId: string;

  @Column({ name: 'actor_email', type: 'varchar', length: 191 })
  actorEmail: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'varchar', length: 16 })
  outcome: SyncFailureActionOutcome;

  @Column({ name: 'status_after', type: 'varchar', length: 16, nullable: true })
  statusAfter: SyncFailureStatus | null;

  /** The new error after a failed retry, or why the action was refused. */
  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
