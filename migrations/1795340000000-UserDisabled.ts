import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint } from './support';

/** A disabled user keeps their row (and history) but cannot sign in; null means active. */
export class UserDisabled1795340000000 implements MigrationInterface {
  name = 'UserDisabled1795340000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('app_user', new TableColumn(bigint('disabled_at', true)));
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('app_user', 'disabled_at');
  }
}
