import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber, jsonText } from '@app/database/columns';

export const OPS_ALERT_KINDS = ['breaker_open', 'error_rate', 'no_successful_call'] as const;
export type OpsAlertKind = (typeof OPS_ALERT_KINDS)[number];
export type AlertFigures = Record<string, number | string | string[]>;

/**
 * A condition the scheduled check found on a platform (breaker open, error rate, no successful call), raised once
 * while it holds and resolved when it clears. `open_marker` is 1 while the alert is active and null once resolved:
 * the unique index over (kind, scope, marker) allows one active alert per condition and any number of past ones.
 */
@Entity('ops_alert')
@Index('uq_ops_alert_active', ['kind', 'scopeKey', 'openMarker'], { unique: true })
@Index('idx_ops_alert_raised', ['raisedAt'])
@Index('idx_ops_alert_resolved', ['resolvedAt'])
export class OpsAlertEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  kind: OpsAlertKind;

  /** The platform, or `platform:breaker group` for a breaker. */
  @Column({ name: 'scope_key', type: 'varchar', length: 80 })
  scopeKey: string;

  @Column({ type: 'varchar', length: 16 })
  platform: string;

  @Column({ name: 'open_marker', type: 'int', nullable: true })
  openMarker: number | null;

  /** The figures that raised it (calls, errors, instances…), updated on each check while it holds. */
  @Column({ type: 'text', transformer: jsonText })
  figures: AlertFigures;

  @Column({ name: 'raised_at', type: 'bigint', transformer: bigintNumber })
  raisedAt: number;

  @Column({ name: 'last_seen_at', type: 'bigint', transformer: bigintNumber })
  lastSeenAt: number;

  @Column({ name: 'resolved_at', type: 'bigint', transformer: bigintNumber, nullable: true })
  resolvedAt: number | null;
}
