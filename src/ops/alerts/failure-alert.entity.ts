import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/** One alert: open sync failures of a merchant (or of all, `scope_key` = 'total') reached the threshold in a window. */
@Entity('sync_failure_alert')
@Index('uq_sync_failure_alert_window', ['scopeKey', 'windowStart'], { unique: true })
@Index('idx_sync_failure_alert_raised', ['raisedAt'])
@Index('idx_sync_failure_alert_resolved', ['resolvedAt'])
export class FailureAlertEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The merchant id, or `total` for all failures together. */
  @Column({ name: 'scope_key', type: 'varchar', length: 40 })
  scopeKey: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 36, nullable: true })
  merchantId: string | null;

  /** Start of the window (a multiple of its length since the epoch): one alert per scope and window. */
  @Column({ name: 'window_start', type: 'bigint', transformer: bigintNumber })
  windowStart: number;

  @Column({ name: 'window_minutes', type: 'int' })
  windowMinutes: number;

  @Column({ type: 'int' })
  threshold: number;

  /** Open failures counted when the alert was raised. */
  @Column({ name: 'open_failures', type: 'int' })
  openFailures: number;

  @Column({ name: 'raised_at', type: 'bigint', transformer: bigintNumber })
  raisedAt: number;

  /** Set by the scheduled check once the scope's open failures within the window fell below the threshold. */
  @Column({ name: 'resolved_at', type: 'bigint', transformer: bigintNumber, nullable: true })
  resolvedAt: number | null;
}
