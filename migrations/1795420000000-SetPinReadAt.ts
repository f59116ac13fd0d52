import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint } from './support';

/**
 * When the read behind an absolute stock set started: sales made certainly before it are in the
 * count the set left (they were unheard then), so hearing them lowers it even while it is pinned.
 */
export class SetPinReadAt1795420000000 implements MigrationInterface {
  name = 'SetPinReadAt1795420000000';

  public async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('channel_allocation', new TableColumn(bigint('set_read_at', true)));
  }

  public async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('channel_allocation', 'set_read_at');
  }
}
