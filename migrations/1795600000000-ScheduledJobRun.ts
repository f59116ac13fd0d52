import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { bigint, varchar } from './support';

/** One row per scheduled job and period: the claim that makes a job run once per period across instances. */
export class ScheduledJobRun1795600000000 implements MigrationInterface {
  name = 'ScheduledJobRun1795600000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'scheduled_job_run',
        columns: [
          { ...varchar('job_name', 80), isPrimary: true },
          { ...bigint('period_start'), isPrimary: true },
          bigint('claimed_at'),
          varchar('instance', 64),
        ],
        indices: [new TableIndex({ name: 'idx_scheduled_job_run_claimed_at', columnNames: ['claimed_at'] })],
      }),
    );
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('scheduled_job_run');
  }
}
