import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/** The claim of one run of a scheduled job for one period: one row, so one run, across instances. */
@Entity('scheduled_job_run')
@Index('idx_scheduled_job_run_claimed_at', ['claimedAt'])
export class ScheduledJobRunEntity {
  @PrimaryColumn({ name: 'job_name', type: 'varchar', length: 80 })
  jobName: string;

  /** Epoch ms where the period starts (a multiple of the period length). */
  @PrimaryColumn({ name: 'period_start', type: 'bigint', transformer: bigintNumber })
  periodStart: number;

  @Column({ name: 'claimed_at', type: 'bigint', transformer: bigintNumber })
  claimedAt: number;

  @Column({ type: 'varchar', length: 64 })
  instance: string;
}
