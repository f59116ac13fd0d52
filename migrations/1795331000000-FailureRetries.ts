import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { int } from './support';

/** Automatic retries are scheduled by how many the failure service ran, not by every attempt. */
export class FailureRetries1795331000000 implements MigrationInterface {
  name = 'FailureRetries1795331000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('sync_failure', new TableColumn(int('auto_retries', false, 0)));
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('sync_failure', 'auto_retries');
  }
}
