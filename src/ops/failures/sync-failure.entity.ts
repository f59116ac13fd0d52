import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '@app/database/columns';

export type SyncFailureStatus = 'open' | 'retrying' | 'resolved' | 'dismissed';

/** What a retry needs to run the failed operation again. */
export interface ReplaySpec {
  kind: string;
  data: unknown;
}

@Entity('sync_failure')
@Index('idx_sync_failure_status_next_retry', ['status', 'nextRetryAt'])
@Index('idx_sync_failure_created', ['createdAt'])
@Index('idx_sync_failure_merchant_created', ['merchantId', 'createdAt'])
@Index('idx_sync_failure_closed', ['closedAt'])
@Index('uq_sync_failure_dedupe_key', ['dedupeKey'], { unique: true })
export class SyncFailureEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Bounded context or consumer that failed, e.g. `inventory` or `consumer:inventory.stock-writer`. */
  @Column({ type: 'varchar', length: 80 })
  context: string;

  @Column({ type: 'varchar', length: 100 })
  operation: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  platform: string | null;

  @Column({ name: 'shop_ref', type: 'varchar', length: 100, nullable: true })
  shopRef: string | null;

  /** The merchant whose sync failed, when the failing operation knows it (alerts are counted per merchant). */
  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true })
  merchantId: string | null;

  @Column({ name: 'entity_type', type: 'varchar', length: 40, nullable: true })
  entityType: string | null;

  @Column({ name: 'entity_ref', type: 'varchar', length: 191, nullable: true })
  entityRef: string | null;

  /** Normalized code (TEMPORARY, RATE_LIMITED, AUTH_REVOKED, …, OUTCOME_UNKNOWN, INVALID_MESSAGE, INTERNAL). */
  @Column({ name: 'error_code', type: 'varchar', length: 40 })
  errorCode: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'platform_code', type: 'varchar', length: 100, nullable: true })
  platformCode: string | null;

  @Column({ name: 'platform_message', type: 'text', nullable: true })
  platformMessage: string | null;

  @Column({ type: 'int' })
  attempts: number;

  /** Retries run by the failure service (automatic or manual); the backoff schedule follows this count. */
  @Column({ name: 'auto_retries', type: 'int', default: 0 })
  autoRetries: number;

  @Column({ name: 'next_retry_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  nextRetryAt: number | null;

  @Column({ type: 'varchar', length: 16 })
  status: SyncFailureStatus;

  @Column({ type: 'text', nullable: true, transformer: jsonText })
  replay: ReplaySpec | null;

  /** Open failures of the same operation on the same thing collapse into one row; cleared when closed. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 191, nullable: true })
  dedupeKey: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  @Column({ name: 'last_attempt_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastAttemptAt: number | null;

  @Column({ name: 'closed_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  closedAt: number | null;

  @Column({ name: 'closed_note', type: 'varchar', length: 500, nullable: true })
  closedNote: string | null;
}
