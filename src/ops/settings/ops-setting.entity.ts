import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from '@app/database/columns';

/** A setting an admin changed; a setting without a row has its default from the environment. */
@Entity('ops_setting')
export class OpsSettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** JSON text, parsed by the service (a hand-edited row that does not parse is ignored, not fatal). */
  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 254 })
  updatedBy: string;
}
